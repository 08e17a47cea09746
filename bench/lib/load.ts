import { createRequire } from 'node:module';
import net from 'node:net';
import autocannon from 'autocannon';
import { processCpuSeconds } from './children.js';
import { machineBusySeconds, pidsNamed, waitForQuiet } from './cpu.js';

export interface LoadOptions {
  title: string;
  url: string;
  connections: number;
  /** Seconds of measured load, after `warmupSeconds` of unmeasured load on the same server. */
  seconds: number;
  warmupSeconds: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: autocannon.RequestStep[];
  /** The server process, to report how much CPU it used while measured. */
  serverPid: number;
  /**
   * The server's CPU seconds so far, read just before and just after the measured run; by default
   * `serverPid`'s own (a cluster primary's workers are counted with processTreeCpuSeconds).
   */
  serverCpuSeconds?: () => number;
  /** Command name of a database server's processes (`postgres`) whose CPU use is reported apart from "other". */
  databaseProcessName?: string;
  /** Wait up to this many seconds for other processes to leave the CPUs alone before measuring. */
  quietWaitSeconds: number;
}

export interface LoadResult {
  title: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Average response size on the wire (status line, headers and body). */
  bytesPerResponse: number;
  /** CPU used while measured, in cores (1.0 = one core busy all the time). */
  serverCores: number;
  /** Server CPU time per completed request, in µs: what the throughput would be bound by if the server were the bottleneck. */
  serverMicrosPerRequest: number;
  loadGeneratorCores: number;
  /** CPU used by the database server's processes (PostgreSQL), when asked for. */
  databaseCores: number;
  /** CPU used by everything else on the machine while measured: more than a little means the numbers are disturbed. */
  otherCores: number;
}

// Two changes to autocannon's HTTP client, so that on a 2-core machine the server, not the load
// generator, is what runs out of CPU. Against the 200 KB story page, stock autocannon used a whole
// core to receive ~5,000 responses/s (the bare node:http baseline then idled at 0.6 cores):
//  1. It appends every response body to a string (`body += chunk`, a UTF-8 decode of 200 KB) only
//     for verifyBody/expectBody/onResponse, which this benchmark does not use: drop the bodies.
//  2. Each socket read allocates a fresh 64 KB Buffer, which keeps the garbage collector busy: read
//     plain-HTTP sockets into one reused 256 KB buffer per connection (net.connect `onread`).
// Statuses, byte counts and timings are unaffected. Together these roughly doubled the baseline's
// measured requests/s and put it at ~0.95 server cores.
const require = createRequire(import.meta.url);
const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody(data: unknown): void } };
queue.prototype.addBody = () => undefined;

interface AutocannonClient {
  secure: boolean;
  ipc: boolean;
  destroyed: boolean;
  opts: { port: number; hostname: string; pipelining: number };
  conn: net.Socket;
  parser: { execute(chunk: Buffer, start: number, length: number): unknown };
  pipelinedRequests: { addByteCount(count: number): void };
  readBuffer?: Buffer;
  emit(event: string, ...args: unknown[]): boolean;
  _connect(): void;
  _doRequest(): void;
}
const Client = require('autocannon/lib/httpClient.js') as { prototype: AutocannonClient };
const stockConnect = Client.prototype._connect;
Client.prototype._connect = function (this: AutocannonClient) {
  if (this.secure || this.ipc) return stockConnect.call(this);
  // Same as autocannon's _connect for plain TCP, but reading into a reused buffer.
  this.readBuffer ??= Buffer.allocUnsafe(256 * 1024);
  this.conn = net.connect({
    port: this.opts.port,
    host: this.opts.hostname,
    onread: {
      buffer: this.readBuffer,
      callback: (bytes: number, buffer: Uint8Array) => {
        this.pipelinedRequests.addByteCount(bytes);
        this.parser.execute(buffer as Buffer, 0, bytes);
        return true;
      },
    },
  });
  this.conn.on('error', (error) => {
    this.emit('connError', error);
    if (!this.destroyed) this._connect();
  });
  this.conn.on('end', () => {
    if (!this.destroyed) this._connect();
  });
  for (let i = 0; i < this.opts.pipelining; i++) this._doRequest();
};

/** Most latencies kept per run; beyond this the percentiles describe the first ones (never reached at the rates here). */
const maxSamples = 5_000_000;

export interface Measured {
  result: LoadResult;
  /** Every response time of the measured run, in ms, sorted. */
  samples: Float64Array;
}

/** Runs autocannon against one server: a warm-up run that is thrown away, then the measured run. */
export async function runLoad(o: LoadOptions): Promise<Measured> {
  const base = {
    url: o.url,
    connections: o.connections,
    pipelining: 1,
    timeout: 10,
    ...(o.method ? { method: o.method } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.requests ? { requests: o.requests } : {}),
  };
  await waitForQuiet(o.quietWaitSeconds);
  if (o.warmupSeconds > 0) await autocannon({ ...base, title: `${o.title} (warm-up)`, duration: o.warmupSeconds });

  // autocannon's own histogram has 1 ms resolution; keep the exact response times instead.
  let samples = new Float64Array(1 << 16);
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const serverCpuSeconds = o.serverCpuSeconds ?? (() => processCpuSeconds(o.serverPid));
  const serverBefore = serverCpuSeconds();
  const machineBefore = machineBusySeconds();
  const databasePids = o.databaseProcessName ? pidsNamed(o.databaseProcessName) : [];
  const databaseSeconds = () => databasePids.reduce((n, pid) => n + (processCpuSeconds(pid) || 0), 0);
  const databaseBefore = databaseSeconds();
  const started = process.hrtime.bigint();
  const instance = autocannon({ ...base, title: o.title, duration: o.seconds });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (count === samples.length) {
      if (count >= maxSamples) return;
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[count++] = responseTime;
  });
  const result = await instance;
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const serverSeconds = serverCpuSeconds() - serverBefore;
  const machineSeconds = machineBusySeconds() - machineBefore;
  const benchSeconds = (cpu.user + cpu.system) / 1e6;
  const databaseUsed = databaseSeconds() - databaseBefore;

  const sorted = samples.slice(0, count).sort();
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    samples: sorted,
    result: {
      title: o.title,
      connections: o.connections,
      seconds: result.duration,
      requests: completed,
      requestsPerSecond: completed / result.duration,
      latencyMs: latencySummary(sorted),
      statusCodes,
      errors: result.errors,
      timeouts: result.timeouts,
      bytesPerResponse: completed ? result.throughput.total / completed : 0,
      serverCores: serverSeconds / wallSeconds,
      serverMicrosPerRequest: completed ? (serverSeconds * 1e6) / completed : Number.NaN,
      loadGeneratorCores: benchSeconds / wallSeconds,
      databaseCores: Math.max(0, databaseUsed) / wallSeconds,
      otherCores: Math.max(0, machineSeconds - serverSeconds - benchSeconds - databaseUsed) / wallSeconds,
    },
  };
}

function latencySummary(sorted: Float64Array): LoadResult['latencyMs'] {
  const count = sorted.length;
  const quantile = (q: number) => (count === 0 ? Number.NaN : (sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))] ?? Number.NaN));
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i] ?? 0;
  return { p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), max: quantile(1), mean: count ? sum / count : Number.NaN };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Several measured rounds of the same load as one result: the median round's requests/s,
 * latency percentiles over every response of every round, status codes and errors summed.
 */
export function combineRounds(title: string, rounds: readonly Measured[]): LoadResult & { roundsRequestsPerSecond: number[] } {
  const first = rounds[0];
  if (!first) throw new Error('no rounds to combine');
  const all = new Float64Array(rounds.reduce((n, r) => n + r.samples.length, 0));
  let at = 0;
  for (const r of rounds) {
    all.set(r.samples, at);
    at += r.samples.length;
  }
  all.sort();
  const sum = (pick: (r: LoadResult) => number) => rounds.reduce((n, r) => n + pick(r.result), 0);
  const mean = (pick: (r: LoadResult) => number) => sum(pick) / rounds.length;
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, n] of Object.entries(r.result.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const requests = sum((r) => r.requests);
  return {
    title,
    connections: first.result.connections,
    seconds: sum((r) => r.seconds),
    requests,
    requestsPerSecond: median(rounds.map((r) => r.result.requestsPerSecond)),
    roundsRequestsPerSecond: rounds.map((r) => r.result.requestsPerSecond),
    latencyMs: latencySummary(all),
    statusCodes,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    bytesPerResponse: requests ? sum((r) => r.bytesPerResponse * r.requests) / requests : 0,
    serverCores: mean((r) => r.serverCores),
    serverMicrosPerRequest: requests ? sum((r) => r.serverMicrosPerRequest * r.requests) / requests : Number.NaN,
    loadGeneratorCores: mean((r) => r.loadGeneratorCores),
    databaseCores: mean((r) => r.databaseCores),
    otherCores: Math.max(...rounds.map((r) => r.result.otherCores)),
  };
}
