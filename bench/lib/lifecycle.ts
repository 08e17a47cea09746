import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseKind } from '../../test/harness/databases.js';
import { postgresAdminUrl, probePostgres } from '../../test/harness/services.js';

/**
 * What every benchmark process needs around its measurements: clean-ups run in reverse order on
 * success, failure, a signal or the overall deadline, so no child server or temp database is left.
 */
export const cleanups: (() => Promise<void>)[] = [];

export async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error: unknown) => console.error('cleanup failed:', error));
}

export function abort(why: string, code: number): void {
  console.error(why);
  setTimeout(() => process.exit(code), 15_000).unref();
  void cleanUp().finally(() => process.exit(code));
}

/** Stops the benchmark, cleaning up, after `deadlineMs` or on SIGINT/SIGTERM. */
export function installDeadline(deadlineMs: number): void {
  setTimeout(() => abort(`The benchmark did not finish within ${Math.round(deadlineMs / 1000)} s; stopping.`, 1), deadlineMs).unref();
  process.once('SIGINT', () => abort('Interrupted.', 130));
  process.once('SIGTERM', () => abort('Terminated.', 143));
}

/** Runs `fn` at most once; later calls return the first call's promise. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** How to start the Readout server: the built dist/main.js when it is current, else the sources through tsx. */
/**
 * The Node flags `npm start` gives the server (package.json's start script, e.g. V8's
 * --no-flush-bytecode: see docs/performance.md), so a benchmark runs it as operators do.
 */
export function startFlags(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const start = pkg.scripts?.start ?? '';
  const match = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main\.js$/.exec(start.trim());
  if (!match) throw new Error(`package.json's start script is not "node [--flags] dist/main.js": ${start}`);
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

export function serverCommand(root: string, mode: string): { args: string[]; from: string } {
  const dist = path.join(root, 'dist', 'main.js');
  const marker = path.join(root, 'dist', 'public', 'comments.js');
  if (!fs.existsSync(marker)) throw new Error('dist/public is missing: run "npm run build" first (the server serves its assets from it).');
  const buildInfo = path.join(root, 'dist', '.tsbuildinfo');
  const built = fs.existsSync(buildInfo) ? Math.min(fs.statSync(marker).mtimeMs, fs.statSync(buildInfo).mtimeMs) : 0;
  const distFresh = fs.existsSync(dist) && built >= newestMtime(path.join(root, 'src'));
  if (mode === 'dist' || (mode === 'auto' && distFresh)) {
    if (!fs.existsSync(dist)) throw new Error('dist/main.js is missing: run "npm run build" first.');
    return { args: [...startFlags(root), dist], from: distFresh ? 'dist/main.js' : 'dist/main.js (older than src/)' };
  }
  return { args: [...startFlags(root), '--import', 'tsx', path.join(root, 'src', 'main.ts')], from: `src/main.ts via tsx${distFresh ? '' : ' (dist/ is older than src/)'}` };
}

function newestMtime(dir: string, depth = 0): number {
  let newest = 0;
  if (depth > 20) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full, depth + 1) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The databases to measure: SQLite always, PostgreSQL when it answers (required with --pg, skipped with --no-pg). */
export async function chooseDatabases(o: { pg: boolean; noPg: boolean }): Promise<{ kinds: DatabaseKind[]; note: string }> {
  const kinds: DatabaseKind[] = ['sqlite'];
  if (o.noPg) return { kinds, note: 'PostgreSQL skipped (--no-pg)' };
  const reason = await probePostgres();
  if (reason === undefined) {
    kinds.push('postgres');
    return { kinds, note: `PostgreSQL at ${postgresAdminUrl.replace(/\/\/[^@]*@/, '//')}` };
  }
  if (o.pg) throw new Error(`--pg was given but ${reason}`);
  return { kinds, note: `PostgreSQL skipped: ${reason}` };
}

/** What a result file records about the machine and the code measured. */
export function describeEnvironment(root: string, serverMode: string) {
  const cpu = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`,
    platform: `${os.platform()} ${os.release()}`,
    gitCommit: gitCommit(root),
    server: serverCommand(root, serverMode).from,
    loadAverageAtStart: os.loadavg(),
  };
}

function gitCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs a benchmark's `main` as the whole process: a failure prints one line and exits 1 (a missed
 * target is not a failure, the report says FAIL); the clean-ups run either way; then the process
 * exits, because autocannon and pg may keep handles open for a moment after the report is done.
 */
export async function runBenchmark(main: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (error) {
    console.error('The benchmark failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
  process.exit(process.exitCode ?? 0);
}
