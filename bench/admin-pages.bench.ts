// Latency of the newsroom's admin pages with 10,000 stories in the database (issue 3, acceptance 10:
// "admin pages render in under 50 ms p50"). A report, not a test: it exits 0 when a page misses the
// target and prints FAIL (it exits 1 only when it could not measure). Results: bench/results/admin-latest.json.
//
// Per database: a fresh database is seeded (bench/lib/seed-newsroom.ts: 10,000 stories with authors,
// sources, sections, tags, revisions and 20,000 audit rows; an admin with a known password), the real
// server is started as a child process (pinned to CPU 1, this load generator to CPU 0), the bench signs
// in through POST /admin/sign-in, checks every page answers 200 with what it should show, and loads
// each page in turn with autocannon (a few connections, like a newsroom, not a crowd).
//
// Options: --seconds=5 --warmup=1 --connections=4 --stories=10000 --audit=20000
//          --pg (require PostgreSQL) | --no-pg (skip it; by default it runs when it answers)
//          --server=auto|dist|src (auto: dist/main.js when it is newer than src/, else src/main.ts via tsx)
//          --no-pin (do not pin processes to CPUs)
//          --quiet-wait=10 (seconds to wait, before each measured run, for other processes to leave the CPUs idle)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase, type DatabaseKind } from '../test/harness/databases.js';
import { freePort, pinSelf, startChild, type Child } from './lib/children.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { seedNewsroom, type SeededNewsroom } from './lib/seed-newsroom.js';
import { chooseDatabases, cleanUp, cleanups, describeEnvironment, installDeadline, once, serverCommand } from './lib/lifecycle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');

const targets = { p50Ms: 50 } as const;

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '4' },
    stories: { type: 'string', default: '10000' },
    audit: { type: 'string', default: '20000' },
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
  stories: intOption('stories', opts.stories, 200, 200_000),
  audit: intOption('audit', opts.audit, 0, 1_000_000),
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
  /** Text the page must contain, so a redirect to sign-in or an empty list is not measured as a fast page. */
  expect: RegExp;
}

function pagesFor(s: SeededNewsroom): Page[] {
  return [
    { name: 'dashboard', path: '/admin', expect: /<h1 class="page-title">Newsroom<\/h1>/ },
    { name: 'stories, page 1', path: '/admin/stories', expect: /rel="next"/ },
    { name: 'stories, page 100', path: '/admin/stories?page=100', expect: /rel="next"/ },
    { name: 'stories, published + "harbour"', path: '/admin/stories?status=published&q=harbour', expect: /<tbody>\s*<tr>/ },
    { name: `stories, section ${s.sectionId}`, path: `/admin/stories?section=${s.sectionId}`, expect: /rel="next"/ },
    { name: `stories, author ${s.authorId}`, path: `/admin/stories?author=${s.authorId}`, expect: /rel="next"/ },
    { name: 'story editor', path: `/admin/stories/${s.storyId}/edit`, expect: /name="headline"/ },
    { name: `revisions (${s.revisionsOfStory})`, path: `/admin/stories/${s.storyId}/revisions`, expect: new RegExp(`<tr><td>${s.revisionsOfStory}</td>`) },
    { name: 'audit log', path: '/admin/audit', expect: /rel="next"/ },
  ];
}

// Every phase is bounded; this deadline catches anything else (e.g. a server that stops answering).
const pagesPerDatabase = 9;
const deadlineMs = (2 * (pagesPerDatabase * (settings.seconds + settings.warmupSeconds + settings.quietWaitSeconds + 10) + 240) + 60) * 1_000;
installDeadline(deadlineMs);

async function startReadout(databaseUrl: string, label: string): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name: `Readout server (${label})`,
    args: serverCommand(root, opts.server).args,
    cwd: root,
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      READOUT_HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      READOUT_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    ready: /Readout is serving/,
    timeoutMs: 60_000,
    cpu: settings.pinned ? 1 : undefined,
  });
  cleanups.push(() => child.stop());
  const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
  if (health.status !== 200) throw new Error(`${child.name}: /healthz answered ${health.status}`);
  return { child, baseUrl };
}

/** Signs in through the sign-in form, as a browser would, and returns the session cookie. */
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
  if (response.headers.get('location') !== '/admin') throw new Error(`sign-in sent the admin to ${response.headers.get('location')}, not /admin`);
  return cookie.split(';', 1)[0] as string;
}

async function checkPage(baseUrl: string, page: Page, cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl}${page.path}`, { redirect: 'manual', headers: { cookie }, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${page.path} answered ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''}`);
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
  seeded: SeededNewsroom;
  pages: PageRun[];
}

const onlyStatus = (r: LoadResult, code: string) => r.errors === 0 && r.timeouts === 0 && Object.keys(r.statusCodes).every((c) => c === code);

async function benchDatabase(kind: DatabaseKind): Promise<DatabaseRun> {
  const database = await createTestDatabase(kind);
  const drop = once(() => database.drop());
  cleanups.push(drop);
  console.log(`[${kind}] seeding ${settings.stories} stories and ${settings.audit} audit rows…`);
  const seeded = await seedNewsroom(database.url, { stories: settings.stories, audit: settings.audit });
  console.log(
    `[${kind}] seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ')}; ${seeded.headlinesWithHarbour} headlines say "harbour"`,
  );
  const readout = await startReadout(database.url, kind);
  const cookie = await signInCookie(readout.baseUrl, seeded.admin);
  const pages = pagesFor(seeded);
  const sizes = new Map<Page, number>();
  for (const page of pages) sizes.set(page, await checkPage(readout.baseUrl, page, cookie));
  console.log(`[${kind}] signed in; all ${pages.length} pages answer 200 with their content`);

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
    console.log(`[${kind}]   ${page.path}: p50 ${fmt(result.latencyMs.p50, 2)} ms, ${fmt(result.requestsPerSecond, 0)} req/s`);
  }
  await readout.child.stop();
  await drop();
  return { kind, seeded, pages: runs };
}

// ---------- report ----------

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const codesText = (r: LoadResult) =>
  (Object.entries(r.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ') || 'none') + (r.errors ? ` errors×${r.errors}` : '');

function report(runs: DatabaseRun[]): { page: string; db: DatabaseKind; p50Ms: number; pass: boolean }[] {
  const header = ['page', 'db', 'path', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB', 'status codes', 'server CPU', 'srv µs/req', 'db CPU', 'other CPU', 'verdict'];
  const rows: string[][] = [header];
  for (const run of runs) {
    for (const { page, bytes, result: r, pass } of run.pages) {
      rows.push([
        page.name,
        run.kind,
        page.path,
        fmt(r.requestsPerSecond, 0),
        fmt(r.latencyMs.p50, 2),
        fmt(r.latencyMs.p99, 2),
        fmt(r.latencyMs.max, 1),
        fmt(bytes / 1024, 1),
        codesText(r),
        fmt(r.serverCores, 2),
        fmt(r.serverMicrosPerRequest, 0),
        run.kind === 'postgres' ? fmt(r.databaseCores, 2) : '-',
        fmt(r.otherCores, 2),
        `${pass ? 'PASS' : 'FAIL'} (p50 < ${targets.p50Ms} ms)${onlyStatus(r, '200') ? '' : ' NOT ALL 200'}`,
      ]);
    }
  }
  console.log('');
  console.log(
    `Each page: ${settings.seconds} s after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections, signed in as an admin; ` +
      `${settings.stories} stories, ${settings.audit} audit rows. autocannon, pipelining 1, one page at a time, 127.0.0.1, ` +
      (settings.pinned ? 'server pinned to CPU 1 and the load generator to CPU 0.' : 'no CPU pinning.'),
  );
  console.log(table(rows, new Set([3, 4, 5, 6, 7, 9, 10, 11, 12])));
  const disturbed = runs.flatMap((run) => run.pages.filter((p) => p.result.otherCores > 0.15).map((p) => `"${p.page.name}" [${run.kind}] (${fmt(p.result.otherCores, 2)} cores)`));
  if (disturbed.length > 0) {
    console.log(`WARNING: other processes used CPU while measuring ${disturbed.join(', ')}; those numbers are disturbed; run again on a quiet machine.`);
  }
  const verdicts = runs.flatMap((run) => run.pages.map((p) => ({ page: p.page.path, db: run.kind, p50Ms: p.result.latencyMs.p50, pass: p.pass })));
  const failed = verdicts.filter((v) => !v.pass);
  console.log('');
  console.log(
    failed.length === 0
      ? `PASS  every admin page p50 < ${targets.p50Ms} ms with ${settings.stories} stories [${runs.map((r) => r.kind).join(', ')}]`
      : `FAIL  admin pages p50 < ${targets.p50Ms} ms with ${settings.stories} stories: ${failed.map((v) => `${v.page} [${v.db}] ${fmt(v.p50Ms, 1)} ms`).join('; ')}`,
  );
  return verdicts;
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const { kinds, note: pgNote } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  settings.pinned = !opts['no-pin'] && os.availableParallelism() >= 2 && pinSelf(0);

  const environment = describeEnvironment(root, opts.server);
  console.log(`Readout admin pages benchmark: ${settings.stories} stories; Node ${environment.node}; ${environment.cpus}; server from ${environment.server}`);
  console.log(`${pgNote}; ${settings.pinned ? 'load generator on CPU 0, server on CPU 1' : 'no CPU pinning'}`);

  const runs: DatabaseRun[] = [];
  for (const kind of kinds) runs.push(await benchDatabase(kind));
  const verdicts = report(runs);

  const out = {
    environment,
    settings,
    targets,
    runs: runs.map((r) => ({ kind: r.kind, seeded: { ...r.seeded, admin: { email: r.seeded.admin.email } }, pages: r.pages.map((p) => ({ path: p.page.path, name: p.page.name, bytes: p.bytes, pass: p.pass, result: p.result })) })),
    verdicts,
  };
  const file = path.join(resultsDir, 'admin-latest.json');
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
// autocannon and pg may keep handles open for a moment; the report is done.
process.exit(process.exitCode ?? 0);
