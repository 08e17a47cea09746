// Using both cores (issue 5, point 8: "a way to use both cores … documented and measured"): the
// cached story page served by Readout with READOUT_WORKERS=1 (one process) and READOUT_WORKERS=2
// (a node:cluster primary and two workers sharing the port). A report with no target: it exits 0
// (1 only when it could not measure). Results: bench/results/cluster-latest.json.
//
// SQLite, the story-page benchmark's story (bench/lib/seed.ts, `--comments` comments), requested
// with `Accept-Encoding: gzip, br` over `--connections` connections. Both servers run at once on the
// same database; one is loaded at a time, in alternating rounds (1 2 | 2 1 | 1 2 …) so drift and
// other processes' bursts hit both alike; req/s is the median round, latency percentiles cover every
// response. Nothing is pinned to a CPU: the workers need both cores, so the load generator (this
// process) shares them with the server, and two workers cannot reach twice the requests of one here.
// Server CPU is summed over the primary and its workers (bench/lib/cpu.ts processTreeCpuSeconds);
// the split per process shows whether both workers took connections.
//
// Options: --seconds=10 --warmup=2 --rounds=3 --connections=32 --comments=200
//          --quiet-wait=30 (seconds to wait, before each measured run, for other processes to leave the CPUs idle)
//          --server=auto|dist|src (auto: dist/main.js when it is newer than src/, else src/main.ts via tsx)
//          --page-cache=on|off (off: every request renders the page, so the server rather than the load generator is busy)
//          --pg, --no-pg, --no-pin: accepted (npm run bench passes them) and ignored: SQLite only, never pinned.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../test/harness/databases.js';
import { processCpuSeconds } from './lib/children.js';
import { childPids, processTree, processTreeCpuSeconds } from './lib/cpu.js';
import { cleanups, describeEnvironment, installDeadline, once, runBenchmark } from './lib/lifecycle.js';
import { combineRounds, median, runLoad, type Measured } from './lib/load.js';
import { intOption, serverOption, commonBenchOptions } from './lib/options.js';
import { startReadout } from './lib/readout.js';
import { codesText, fmt, onlyStatus, table } from './lib/report.js';
import { seedStory } from './lib/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const acceptEncoding = { 'accept-encoding': 'gzip, br' };
const workerCounts = [1, 2] as const;

const { values: opts } = parseArgs({
  options: {
    ...commonBenchOptions('30'),
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    comments: { type: 'string', default: '200' },
    'page-cache': { type: 'string', default: 'on' },
  },
  strict: true,
});
const settings = {
  seconds: intOption('seconds', opts.seconds, 1, 120),
  warmupSeconds: intOption('warmup', opts.warmup, 0, 60),
  rounds: intOption('rounds', opts.rounds, 1, 9),
  connections: intOption('connections', opts.connections, 1, 512),
  comments: intOption('comments', opts.comments, 0, 5_000),
  quietWaitSeconds: intOption('quiet-wait', opts['quiet-wait'], 0, 300),
  pageCache: opts['page-cache'],
  pinned: false,
};
serverOption(opts.server);
if (settings.pageCache !== 'on' && settings.pageCache !== 'off') {
  console.error(`--page-cache must be on or off, got "${settings.pageCache}"`);
  process.exit(2);
}
installDeadline((workerCounts.length * settings.rounds * (settings.seconds + settings.warmupSeconds + settings.quietWaitSeconds + 15) + 300) * 1_000);

/**
 * Waits until the server process has `children` child processes (its workers) and the whole tree
 * has stopped using CPU for half a second (they have booted, and a worker listens as soon as it
 * has booted), so no connection of the measured runs goes only to the workers ready first.
 */
async function waitForWorkers(pid: number, children: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = Number.NaN;
  let steady = 0;
  while (Date.now() < deadline) {
    const cpu = processTreeCpuSeconds(pid);
    steady = childPids(pid).length >= children && cpu - last < 0.03 ? steady + 1 : 0;
    if (steady >= 2) return;
    last = cpu;
    await sleep(250);
  }
  throw new Error(`the server (pid ${pid}) did not have ${children} idle workers within ${timeoutMs / 1000} s`);
}

/** The page as sent for `Accept-Encoding: gzip, br`: status, coding and bytes. */
function fetchBrotli(url: string): Promise<{ coding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: acceptEncoding, agent: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () =>
        response.statusCode === 200
          ? resolve({ coding: response.headers['content-encoding'] ?? 'identity', body: Buffer.concat(chunks) })
          : reject(new Error(`GET ${url} answered ${response.statusCode}`)),
      );
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
  });
}

interface Server {
  workers: number;
  pid: number;
  url: string;
  rounds: Measured[];
  /** Per round: cores each process of the server used while measured (the primary first), with its command name. */
  split: { name: string; cores: number }[][];
}

/** A process's command name (`node`; a child of tsx may be `esbuild`). */
function commandName(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** "node 0.00 + node 0.45 + node 0.44". */
const splitText = (split: readonly { name: string; cores: number }[]) => split.map((p) => `${p.name} ${fmt(p.cores, 2)}`).join(' + ');

/** The comment count the page states ("200 comments on …"), from its brotli form. */
function statedCommentCount(brotli: Buffer): number {
  const match = /(\d+) comments on/.exec(zlib.brotliDecompressSync(brotli).toString('utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

/** One measured run, with the CPU of each process of the server's tree read at the run's bounds. */
async function loadServer(server: Server): Promise<void> {
  const readings: Map<number, number>[] = [];
  const serverCpuSeconds = () => {
    const reading = new Map(processTree(server.pid).map((p) => [p, processCpuSeconds(p)]));
    readings.push(reading);
    return [...reading.values()].reduce((sum, s) => sum + (s || 0), 0);
  };
  const measured = await runLoad({
    title: `story page, READOUT_WORKERS=${server.workers}`,
    url: server.url,
    headers: acceptEncoding,
    connections: settings.connections,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    serverPid: server.pid,
    serverCpuSeconds,
    quietWaitSeconds: settings.quietWaitSeconds,
  });
  // runLoad reads the server's CPU just before and just after the measured run.
  const [before, after] = readings.slice(-2) as [Map<number, number>, Map<number, number>];
  server.split.push([...after].map(([pid, s]) => ({ name: commandName(pid), cores: (s - (before.get(pid) ?? s)) / measured.result.seconds })));
  server.rounds.push(measured);
  const { result } = measured;
  console.log(
    `  READOUT_WORKERS=${server.workers}: ${fmt(result.requestsPerSecond, 0)} req/s, p99 ${fmt(result.latencyMs.p99, 2)} ms, ` +
      `server CPU ${splitText(server.split.at(-1) ?? [])}, load generator ${fmt(result.loadGeneratorCores, 2)}, other ${fmt(result.otherCores, 2)}`,
  );
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const environment = describeEnvironment(root, opts.server);
  console.log(`Readout on both cores (READOUT_WORKERS); Node ${environment.node}; ${environment.cpus}; server from ${environment.server}`);
  console.log(
    'SQLite only; no CPU pinning: the workers need both cores, so the load generator shares them with the server ' +
      '(two workers cannot reach twice the requests of one on this machine).',
  );
  const database = await createTestDatabase('sqlite');
  const drop = once(() => database.drop());
  cleanups.push(drop);
  console.log(`seeding one story with ${settings.comments} comments through the domain services…`);
  const seeded = await seedStory(database.url, settings.comments);

  const servers: Server[] = [];
  let pageBytes = 0;
  // One at a time: the first worker of each migrates (nothing to do) and checks the seed.
  for (const workers of workerCounts) {
    const readout = await startReadout({
      label: `READOUT_WORKERS=${workers}`,
      databaseUrl: database.url,
      serverMode: opts.server,
      pinned: false,
      timeoutMs: 60_000,
      env: { READOUT_WORKERS: String(workers), READOUT_PAGE_CACHE: settings.pageCache },
      ...(workers > 1 ? { ready: /Readout runs \d+ worker processes/ } : {}),
    });
    await waitForWorkers(readout.child.pid, workers > 1 ? workers : 0, 60_000);
    const url = `${readout.baseUrl}/stories/${seeded.slug}`;
    // A miss is answered plainly and compressed in the background; each worker has its own cache.
    let answer = await fetchBrotli(url);
    for (let attempt = 0; settings.pageCache === 'on' && answer.coding !== 'br' && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await fetchBrotli(url);
    }
    if (settings.pageCache !== 'off' && answer.coding !== 'br') throw new Error(`READOUT_WORKERS=${workers} answered Accept-Encoding: gzip, br with ${answer.coding}`);
    if (statedCommentCount(answer.body) !== seeded.comments) throw new Error(`READOUT_WORKERS=${workers}: the story page does not show ${seeded.comments} comments`);
    pageBytes = answer.body.length;
    servers.push({ workers, pid: readout.child.pid, url, rounds: [], split: [] });
  }
  console.log(
    `story page${settings.pageCache === 'off' ? ' (page cache off: every request renders)' : ''}: ${pageBytes} bytes as brotli; ${settings.rounds} round(s), each ${settings.warmupSeconds} s warm-up + ${settings.seconds} s, ` +
      `${settings.connections} connections`,
  );
  for (let round = 1; round <= settings.rounds; round++) {
    console.log(`round ${round}:`);
    for (const server of round % 2 === 1 ? servers : [...servers].reverse()) await loadServer(server);
  }
  // Each worker renders its own copy (its signed form timestamp differs), so the check is what the page says, not its bytes.
  for (const server of servers) {
    const after = await fetchBrotli(server.url);
    if (after.coding !== 'br' || statedCommentCount(after.body) !== seeded.comments) throw new Error(`READOUT_WORKERS=${server.workers} served another page after the load`);
  }

  const [one, two] = servers as [Server, Server];
  const roundRatios = two.rounds.map((r, i) => r.result.requestsPerSecond / (one.rounds[i]?.result.requestsPerSecond ?? Number.NaN));
  const ratio = median(roundRatios);
  const combined = servers.map((s) => ({ server: s, result: combineRounds(`story page, READOUT_WORKERS=${s.workers}`, s.rounds) }));

  const rows: string[][] = [['READOUT_WORKERS', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'status codes', 'server CPU', 'per process', 'srv µs/req', 'loadgen CPU', 'other CPU', 'vs 1 worker']];
  for (const { server, result } of combined) {
    const perProcess = (server.split[0] ?? []).map((p, i) => ({ name: p.name, cores: median(server.split.map((round) => round[i]?.cores ?? Number.NaN)) }));
    rows.push([
      String(server.workers),
      fmt(result.requestsPerSecond, 0),
      fmt(result.latencyMs.p50, 2),
      fmt(result.latencyMs.p99, 2),
      fmt(result.latencyMs.max, 1),
      codesText(result) + (onlyStatus(result, '200') ? '' : ' NOT ALL 200'),
      fmt(result.serverCores, 2),
      splitText(perProcess),
      fmt(result.serverMicrosPerRequest, 0),
      fmt(result.loadGeneratorCores, 2),
      fmt(result.otherCores, 2),
      server.workers === 1 ? '1.00×' : `${fmt(ratio, 2)}×`,
    ]);
  }
  console.log(`\n${table(rows, new Set([1, 2, 3, 4, 6, 8, 9, 10, 11]))}`);
  console.log(
    `CPU in cores (1.0 = one core busy); per process: the primary first, then its workers (median round). ` +
      `Ratio: median over rounds of (2 workers req/s / 1 worker req/s): ${roundRatios.map((r) => fmt(r, 2)).join(', ')}.`,
  );
  const disturbed = combined.filter(({ result }) => result.otherCores > 0.15);
  if (disturbed.length > 0) {
    console.log(`WARNING: other processes used up to ${fmt(Math.max(...disturbed.map((d) => d.result.otherCores)), 2)} cores while measuring; the numbers are disturbed.`);
  }

  const out = {
    environment,
    settings,
    note: 'no CPU pinning: the load generator shares the two cores with the server',
    runs: combined.map(({ server, result }) => ({ workers: server.workers, perProcessCores: server.split, result })),
    ratio: { workers2OverWorkers1: ratio, rounds: roundRatios },
  };
  const file = path.join(resultsDir, 'cluster-latest.json');
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nREADOUT_WORKERS=2 / READOUT_WORKERS=1: ${fmt(ratio, 2)}× the requests/s (a report, no target); results in ${path.relative(root, file)}`);
}

await runBenchmark(main);
