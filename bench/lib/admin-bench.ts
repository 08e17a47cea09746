// The shape the admin-page benchmarks (admin-pages, moderation-queue) share. Per database: a fresh
// database is seeded, the real server is started as a child process (pinned to CPU 1, this load
// generator to CPU 0), the bench signs in through POST /admin/sign-in as a browser would, checks
// every page answers 200 with what it should show, then loads each page in turn with autocannon (a
// few connections, like a newsroom, not a crowd) and compares its p50 with the target.
// Each benchmark supplies what differs: its seed, its pages, its report and its results file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase, type DatabaseKind } from '../../test/harness/databases.js';
import { pinSelf } from './children.js';
import { chooseDatabases, cleanups, describeEnvironment, installDeadline, once, runBenchmark } from './lifecycle.js';
import { runLoad, type LoadResult } from './load.js';
import { intOption, serverOption } from './options.js';
import { startReadout } from './readout.js';
import { codesText, fmt, onlyStatus, table } from './report.js';
import type { SeededNewsroom } from './seed-newsroom.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = path.join(root, 'bench', 'results');

// ---------- options ----------

/** A size the benchmark seeds, given as --name=N: its default and the range accepted. */
export interface CountOption {
  default: number;
  min: number;
  max: number;
}

/** What every admin-page benchmark understands (npm run bench passes the last five to all of them). */
const sharedOptions = {
  seconds: { type: 'string', default: '5' },
  warmup: { type: 'string', default: '1' },
  connections: { type: 'string', default: '4' },
  'quiet-wait': { type: 'string', default: '10' },
  pg: { type: 'boolean', default: false },
  'no-pg': { type: 'boolean', default: false },
  'no-pin': { type: 'boolean', default: false },
  server: { type: 'string', default: 'auto' },
} as const;

type SharedValues = { [K in keyof typeof sharedOptions]: (typeof sharedOptions)[K]['default'] extends boolean ? boolean : string };

export type AdminBenchSettings<K extends string> = {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  quietWaitSeconds: number;
  /** Set once the processes are pinned to CPUs (main), not an option. */
  pinned: boolean;
} & Record<K, number>;

export interface AdminBenchArgs<K extends string> {
  opts: SharedValues;
  settings: AdminBenchSettings<K>;
}

/**
 * Parses the command line: the shared options plus the benchmark's seeded sizes (`counts`). A bad
 * value ends the process with a message and exit code 2. The settings keep the order the result
 * files have always had: timing, then the counts, then the quiet wait.
 */
export function parseAdminBenchArgs<K extends string>(counts: Record<K, CountOption>): AdminBenchArgs<K> {
  const entries = Object.entries<CountOption>(counts);
  const countOptions = Object.fromEntries(entries.map(([name, c]) => [name, { type: 'string' as const, default: String(c.default) }]));
  const { values } = parseArgs({ options: { ...sharedOptions, ...countOptions }, strict: true });
  // parseArgs types dynamic option names loosely; the defaults above make every value present.
  const opts = values as SharedValues & Record<string, string>;
  const settings = {
    seconds: intOption('seconds', opts.seconds, 1, 120),
    warmupSeconds: intOption('warmup', opts.warmup, 0, 60),
    connections: intOption('connections', opts.connections, 1, 64),
    ...Object.fromEntries(entries.map(([name, c]) => [name, intOption(name, opts[name] as string, c.min, c.max)])),
    quietWaitSeconds: intOption('quiet-wait', opts['quiet-wait'], 0, 300),
    pinned: false,
  } as AdminBenchSettings<K>;
  serverOption(opts.server);
  return { opts, settings };
}

// ---------- one page ----------

export interface Page {
  name: string;
  path: string;
  /** Text the page must contain, so a redirect to sign-in or an empty list is not measured as a fast page. */
  expect: RegExp;
}

/** Signs in through the sign-in form, as a browser would, and returns the session cookie. */
export async function signInCookie(baseUrl: string, admin: SeededNewsroom['admin']): Promise<string> {
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

/** Fetches a page once, signed in, and returns its size; throws unless it is a 200 showing `page.expect`. */
export async function checkPage(baseUrl: string, page: Page, cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl}${page.path}`, { redirect: 'manual', headers: { cookie }, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${page.path} answered ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''}`);
  if (!page.expect.test(body)) throw new Error(`GET ${page.path} does not show ${page.expect} (${body.length} bytes)`);
  return Buffer.byteLength(body);
}

// ---------- one database ----------

export interface PageRun {
  page: Page;
  bytes: number;
  result: LoadResult;
  pass: boolean;
}

export interface DatabaseRun<S> {
  kind: DatabaseKind;
  seeded: S;
  pages: PageRun[];
}

export interface AdminPageBench<S, K extends string> {
  /** Names the run in the first line, e.g. "admin pages benchmark: 10000 stories". */
  title: string;
  args: AdminBenchArgs<K>;
  targets: { p50Ms: number };
  /** For the overall deadline: how many pages are loaded, and a bound on seeding and starting, per database. */
  pagesPerDatabase: number;
  setupSeconds: number;
  /**
   * Seeds a fresh database and says so. `seeded` is what `pagesFor` reads and the results file
   * records (so it must not hold the password); `admin` is who signs in.
   */
  seed(kind: DatabaseKind, databaseUrl: string): Promise<{ seeded: S; admin: SeededNewsroom['admin'] }>;
  pagesFor(seeded: S): Page[];
  /** Progress lines each benchmark has always printed: "all N pages answer 200" and the p99 after each page. */
  log: { checkedPages: boolean; p99: boolean };
  /** Prints the report and returns the verdicts for the results file. */
  report(runs: DatabaseRun<S>[]): unknown[];
  /** Under bench/results/. */
  resultsFile: string;
}

/** Loads each page in turn, one autocannon run each, signed in with `cookie`. */
export async function measurePages<S, K extends string>(
  bench: AdminPageBench<S, K>,
  kind: DatabaseKind,
  readout: Awaited<ReturnType<typeof startReadout>>,
  cookie: string,
  pages: { page: Page; bytes: number }[],
): Promise<PageRun[]> {
  const { settings } = bench.args;
  const runs: PageRun[] = [];
  for (const { page, bytes } of pages) {
    const { result } = await runLoad({
      title: page.name,
      url: `${readout.baseUrl}${page.path}`,
      headers: { cookie, 'user-agent': 'readout-bench' },
      connections: settings.connections,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      serverPid: readout.child.pid,
      quietWaitSeconds: settings.quietWaitSeconds,
      // PostgreSQL's own processes, so their CPU use is reported as the database's rather than as a disturbance.
      ...(kind === 'postgres' ? { databaseProcessName: 'postgres' } : {}),
    });
    const pass = onlyStatus(result, '200') && result.latencyMs.p50 < bench.targets.p50Ms;
    runs.push({ page, bytes, result, pass });
    const p99 = bench.log.p99 ? `, p99 ${fmt(result.latencyMs.p99, 2)} ms` : '';
    console.log(`[${kind}]   ${page.path}: p50 ${fmt(result.latencyMs.p50, 2)} ms${p99}, ${fmt(result.requestsPerSecond, 0)} req/s`);
  }
  return runs;
}

async function benchDatabase<S, K extends string>(bench: AdminPageBench<S, K>, kind: DatabaseKind): Promise<DatabaseRun<S>> {
  const { opts, settings } = bench.args;
  const database = await createTestDatabase(kind);
  const drop = once(() => database.drop());
  cleanups.push(drop);
  const { seeded, admin } = await bench.seed(kind, database.url);
  const readout = await startReadout({ label: kind, databaseUrl: database.url, serverMode: opts.server, pinned: settings.pinned, timeoutMs: 60_000 });
  const cookie = await signInCookie(readout.baseUrl, admin);
  // Every page is checked before any is loaded, so a broken page fails the run within seconds.
  const checked: { page: Page; bytes: number }[] = [];
  for (const page of bench.pagesFor(seeded)) checked.push({ page, bytes: await checkPage(readout.baseUrl, page, cookie) });
  if (bench.log.checkedPages) console.log(`[${kind}] signed in; all ${checked.length} pages answer 200 with their content`);
  const pages = await measurePages(bench, kind, readout, cookie, checked);
  await readout.child.stop();
  await drop();
  return { kind, seeded, pages };
}

// ---------- the whole run ----------

/** Runs the benchmark as the whole process (see runBenchmark): every database, the report, the results file. */
export function runAdminPageBench<S, K extends string>(bench: AdminPageBench<S, K>): Promise<never> {
  const { settings } = bench.args;
  // Every phase is bounded; this deadline catches anything else (e.g. a server that stops answering). Two databases at most.
  const perPage = settings.seconds + settings.warmupSeconds + settings.quietWaitSeconds + 10;
  installDeadline((2 * (bench.pagesPerDatabase * perPage + bench.setupSeconds) + 60) * 1_000);
  return runBenchmark(() => main(bench));
}

async function main<S, K extends string>(bench: AdminPageBench<S, K>): Promise<void> {
  const { opts, settings } = bench.args;
  fs.mkdirSync(resultsDir, { recursive: true });
  const { kinds, note: pgNote } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  settings.pinned = !opts['no-pin'] && os.availableParallelism() >= 2 && pinSelf(0);

  const environment = describeEnvironment(root, opts.server);
  console.log(`Readout ${bench.title}; Node ${environment.node}; ${environment.cpus}; server from ${environment.server}`);
  console.log(`${pgNote}; ${settings.pinned ? 'load generator on CPU 0, server on CPU 1' : 'no CPU pinning'}`);

  const runs: DatabaseRun<S>[] = [];
  for (const kind of kinds) runs.push(await benchDatabase(bench, kind));
  const verdicts = bench.report(runs);

  const out = {
    environment,
    settings,
    targets: bench.targets,
    runs: runs.map((r) => ({ kind: r.kind, seeded: r.seeded, pages: r.pages.map((p) => ({ path: p.page.path, name: p.page.name, bytes: p.bytes, pass: p.pass, result: p.result })) })),
    verdicts,
  };
  const file = path.join(resultsDir, bench.resultsFile);
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nResults written to ${path.relative(root, file)}`);
}

// ---------- report ----------

/** The columns a page table can show; each benchmark picks its own, in its own order. */
const pageColumns = {
  page: { right: false, cell: (p: PageRun) => p.page.name },
  db: { right: false, cell: (_p: PageRun, kind: DatabaseKind) => kind },
  path: { right: false, cell: (p: PageRun) => p.page.path },
  'req/s': { right: true, cell: (p: PageRun) => fmt(p.result.requestsPerSecond, 0) },
  'p50 ms': { right: true, cell: (p: PageRun) => fmt(p.result.latencyMs.p50, 2) },
  'p99 ms': { right: true, cell: (p: PageRun) => fmt(p.result.latencyMs.p99, 2) },
  'max ms': { right: true, cell: (p: PageRun) => fmt(p.result.latencyMs.max, 1) },
  KB: { right: true, cell: (p: PageRun) => fmt(p.bytes / 1024, 1) },
  'status codes': { right: false, cell: (p: PageRun) => codesText(p.result) },
  'server CPU': { right: true, cell: (p: PageRun) => fmt(p.result.serverCores, 2) },
  'srv µs/req': { right: true, cell: (p: PageRun) => fmt(p.result.serverMicrosPerRequest, 0) },
  'db CPU': { right: true, cell: (p: PageRun, kind: DatabaseKind) => (kind === 'postgres' ? fmt(p.result.databaseCores, 2) : '-') },
  'other CPU': { right: true, cell: (p: PageRun) => fmt(p.result.otherCores, 2) },
  verdict: {
    right: false,
    cell: (p: PageRun, _kind: DatabaseKind, p50Ms: number) => `${p.pass ? 'PASS' : 'FAIL'} (p50 < ${p50Ms} ms)${onlyStatus(p.result, '200') ? '' : ' NOT ALL 200'}`,
  },
} as const;

export type PageColumn = keyof typeof pageColumns;

/** Prints one row per page and database, numbers right-aligned. */
export function printPageTable<S>(runs: DatabaseRun<S>[], columns: readonly PageColumn[], p50Ms: number): void {
  const rows: string[][] = [[...columns]];
  for (const run of runs) {
    for (const page of run.pages) rows.push(columns.map((c) => pageColumns[c].cell(page, run.kind, p50Ms)));
  }
  const rightAligned = new Set(columns.flatMap((c, i) => (pageColumns[c].right ? [i] : [])));
  console.log(table(rows, rightAligned));
}

/** Warns about pages measured while other processes used more than a little CPU: their numbers are disturbed. */
export function warnIfDisturbed<S>(runs: DatabaseRun<S>[]): void {
  const disturbed = runs.flatMap((run) => run.pages.filter((p) => p.result.otherCores > 0.15).map((p) => `"${p.page.name}" [${run.kind}] (${fmt(p.result.otherCores, 2)} cores)`));
  if (disturbed.length > 0) {
    console.log(`WARNING: other processes used CPU while measuring ${disturbed.join(', ')}; those numbers are disturbed; run again on a quiet machine.`);
  }
}
