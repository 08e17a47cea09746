// Latency of the moderation queue with 100,000 comments in the database (issue 4, acceptance 9:
// "moderation queue renders in < 50 ms p50 with 100,000 comments"). A report, not a test: it exits 0
// when a page misses the target and prints FAIL (1 only when it could not measure).
// Results: bench/results/moderation-latest.json.
//
// Per database: a fresh database gets a small newsroom (bench/lib/seed-newsroom.ts) and 100,000
// comments (bench/lib/seed-comments.ts: mostly approved, ~3,000 held, spam, trash, reports, a
// history entry each), the real server starts as a child process (pinned to CPU 1, this process to
// CPU 0), the bench signs in as an admin, checks each page shows what it should, and loads each page
// with autocannon (a few connections: a moderation desk, not a crowd).
//
// Options: --seconds=5 --warmup=1 --connections=4 --comments=100000 --stories=2000
//          --pg | --no-pg, --server=auto|dist|src, --no-pin, --quiet-wait=10
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase, type DatabaseKind } from '../test/harness/databases.js';
import { freePort, pinSelf, startChild, type Child } from './lib/children.js';
import { chooseDatabases, cleanUp, cleanups, describeEnvironment, installDeadline, once, serverCommand } from './lib/lifecycle.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { seedComments, type SeededComments } from './lib/seed-comments.js';
import { seedNewsroom, type SeededNewsroom } from './lib/seed-newsroom.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const targets = { p50Ms: 50 } as const;

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '4' },
    comments: { type: 'string', default: '100000' },
    stories: { type: 'string', default: '2000' },
    'quiet-wait': { type: 'string', default: '10' },
    pg: { type: 'boolean', default: false },
    'no-pg': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    server: { type: 'string', default: 'auto' },
  },
  strict: true,
});

function intOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    process.exit(2);
  }
  return n;
}
const settings = {
  seconds: intOption('seconds', opts.seconds, 1, 120),
  warmupSeconds: intOption('warmup', opts.warmup, 0, 60),
  connections: intOption('connections', opts.connections, 1, 64),
  comments: intOption('comments', opts.comments, 1_000, 2_000_000),
  stories: intOption('stories', opts.stories, 200, 200_000),
  quietWaitSeconds: intOption('quiet-wait', opts['quiet-wait'], 0, 300),
  pinned: false,
};
if (opts.server !== 'auto' && opts.server !== 'dist' && opts.server !== 'src') {
  console.error(`--server must be auto, dist or src, got "${opts.server}"`);
  process.exit(2);
}

interface Page {
  name: string;
  path: string;
  expect: RegExp;
}

function pagesFor(c: SeededComments): Page[] {
  const queueItem = /<li id="c-\d+" class="queue-item/;
  return [
    { name: 'queue: needs attention', path: '/admin/comments', expect: /rel="next"/ },
    { name: 'queue: spam', path: '/admin/comments?view=spam', expect: /rel="next"/ },
    { name: 'queue: reported', path: '/admin/comments?view=reported', expect: /rel="next"/ },
    { name: 'queue: approved, older page', path: `/admin/comments?view=approved&before=${c.middleId}`, expect: /rel="next"/ },
    { name: `queue: one commenter (${c.busiestCommenter.comments})`, path: `/admin/comments?view=all&commenter=${c.busiestCommenter.key}`, expect: queueItem },
    { name: 'comment detail', path: `/admin/comments/${c.detailId}`, expect: /<h2>History<\/h2>/ },
  ];
}

const pagesPerDatabase = 6;
const deadlineMs = (2 * (pagesPerDatabase * (settings.seconds + settings.warmupSeconds + settings.quietWaitSeconds + 10) + 300) + 60) * 1_000;
installDeadline(deadlineMs);

async function startReadout(databaseUrl: string, label: string): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name: `Readout server (${label})`,
    args: serverCommand(root, opts.server).args,
    cwd: root,
    env: { DATABASE_URL: databaseUrl, PORT: String(port), READOUT_HOST: '127.0.0.1', PUBLIC_URL: baseUrl, READOUT_LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    ready: /Readout is serving/,
    timeoutMs: 60_000,
    cpu: settings.pinned ? 1 : undefined,
  });
  cleanups.push(() => child.stop());
  return { child, baseUrl };
}

async function signInCookie(baseUrl: string, admin: SeededNewsroom['admin']): Promise<string> {
  const response = await fetch(`${baseUrl}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, 'user-agent': 'readout-bench' },
    body: new URLSearchParams({ email: admin.email, password: admin.password, next: '/admin' }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('readout_session='));
  if (response.status !== 303 || !cookie) throw new Error(`POST /admin/sign-in answered ${response.status} without a session cookie`);
  return cookie.split(';', 1)[0] as string;
}

async function checkPage(baseUrl: string, page: Page, cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl}${page.path}`, { redirect: 'manual', headers: { cookie }, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${page.path} answered ${response.status}`);
  if (!page.expect.test(body)) throw new Error(`GET ${page.path} does not show ${page.expect} (${body.length} bytes)`);
  return Buffer.byteLength(body);
}

interface PageRun {
  page: Page;
  bytes: number;
  result: LoadResult;
  pass: boolean;
}
interface DatabaseRun {
  kind: DatabaseKind;
  seeded: SeededComments;
  pages: PageRun[];
}

const onlyStatus = (r: LoadResult, code: string) => r.errors === 0 && r.timeouts === 0 && Object.keys(r.statusCodes).every((c) => c === code);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function benchDatabase(kind: DatabaseKind): Promise<DatabaseRun> {
  const database = await createTestDatabase(kind);
  const drop = once(() => database.drop());
  cleanups.push(drop);
  console.log(`[${kind}] seeding ${settings.stories} stories and ${settings.comments} comments…`);
  const newsroom = await seedNewsroom(database.url, { stories: settings.stories, audit: 0 });
  const seeded = await seedComments(database.url, { count: settings.comments });
  console.log(
    `[${kind}] comments seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; ${seeded.openReports} open reports; busiest commenter ${seeded.busiestCommenter.comments} comments`,
  );
  const readout = await startReadout(database.url, kind);
  const cookie = await signInCookie(readout.baseUrl, newsroom.admin);
  const pages = pagesFor(seeded);
  const sizes = new Map<Page, number>();
  for (const page of pages) sizes.set(page, await checkPage(readout.baseUrl, page, cookie));
  const runs: PageRun[] = [];
  for (const page of pages) {
    const { result } = await runLoad({
      title: page.name,
      url: `${readout.baseUrl}${page.path}`,
      headers: { cookie, 'user-agent': 'readout-bench' },
      connections: settings.connections,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      serverPid: readout.child.pid,
      quietWaitSeconds: settings.quietWaitSeconds,
      ...(kind === 'postgres' ? { databaseProcessName: 'postgres' } : {}),
    });
    const pass = onlyStatus(result, '200') && result.latencyMs.p50 < targets.p50Ms;
    runs.push({ page, bytes: sizes.get(page) ?? 0, result, pass });
    console.log(`[${kind}]   ${page.path}: p50 ${fmt(result.latencyMs.p50, 2)} ms, p99 ${fmt(result.latencyMs.p99, 2)} ms, ${fmt(result.requestsPerSecond, 0)} req/s`);
  }
  await readout.child.stop();
  await drop();
  return { kind, seeded, pages: runs };
}

function report(runs: DatabaseRun[]) {
  const rows: string[][] = [['page', 'db', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB', 'server CPU', 'verdict']];
  for (const run of runs) {
    for (const { page, bytes, result: r, pass } of run.pages) {
      rows.push([
        page.name,
        run.kind,
        fmt(r.requestsPerSecond, 0),
        fmt(r.latencyMs.p50, 2),
        fmt(r.latencyMs.p99, 2),
        fmt(r.latencyMs.max, 1),
        fmt(bytes / 1024, 1),
        fmt(r.serverCores, 2),
        `${pass ? 'PASS' : 'FAIL'} (p50 < ${targets.p50Ms} ms)${onlyStatus(r, '200') ? '' : ' NOT ALL 200'}`,
      ]);
    }
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  console.log(
    `\nEach page: ${settings.seconds} s after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections, signed in as an admin; ${settings.comments} comments on ${settings.stories} stories.`,
  );
  console.log(rows.map((r) => r.map((cell, i) => (i >= 2 && i <= 7 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n'));
  const verdicts = runs.flatMap((run) => run.pages.map((p) => ({ page: p.page.path, db: run.kind, p50Ms: p.result.latencyMs.p50, p99Ms: p.result.latencyMs.p99, pass: p.pass })));
  const failed = verdicts.filter((v) => !v.pass);
  console.log(
    failed.length === 0
      ? `\nPASS  every moderation page p50 < ${targets.p50Ms} ms with ${settings.comments} comments [${runs.map((r) => r.kind).join(', ')}]`
      : `\nFAIL  moderation pages p50 < ${targets.p50Ms} ms: ${failed.map((v) => `${v.page} [${v.db}] ${fmt(v.p50Ms, 1)} ms`).join('; ')}`,
  );
  return verdicts;
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const { kinds, note } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  settings.pinned = !opts['no-pin'] && os.availableParallelism() >= 2 && pinSelf(0);
  const environment = describeEnvironment(root, opts.server);
  console.log(`Readout moderation queue benchmark: ${settings.comments} comments; Node ${environment.node}; ${environment.cpus}; server from ${environment.server}`);
  console.log(`${note}; ${settings.pinned ? 'load generator on CPU 0, server on CPU 1' : 'no CPU pinning'}`);
  const runs: DatabaseRun[] = [];
  for (const kind of kinds) runs.push(await benchDatabase(kind));
  const verdicts = report(runs);
  const file = path.join(resultsDir, 'moderation-latest.json');
  const out = { environment, settings, targets, runs: runs.map((r) => ({ kind: r.kind, seeded: r.seeded, pages: r.pages.map((p) => ({ path: p.page.path, name: p.page.name, bytes: p.bytes, pass: p.pass, result: p.result })) })), verdicts };
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nResults written to ${path.relative(root, file)}`);
}

try {
  await main();
} catch (error) {
  console.error('The benchmark failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(process.exitCode ?? 0);
