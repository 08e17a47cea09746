// `npm run bench`: requests/s and p50/p99 latency of the cached story page (200 comments), asked
// for with `Accept-Encoding: gzip, br`, next to a node:http server that returns the same response
// from memory: the same stored brotli bytes with the same header list (the ceiling for a Node
// server on this machine). For information also: node:http sending the same body with only four
// headers (no security or caching headers), and nginx serving the same stored forms with
// gzip_static/brotli_static where it is installed. Then comment POST throughput. A report, not a test: it exits 0 when a target is missed
// and prints FAIL (it exits 1 only when it could not measure). Results: bench/results/latest.json.
//
// Each server is a separate OS process pinned to CPU 1; this process (the autocannon load
// generator) is pinned to CPU 0, and one server is loaded at a time. The story page and the
// baseline are measured in alternating rounds (B S | S B | B S …) so drift and other processes'
// bursts hit both alike; req/s is the median round, latency percentiles cover every response.
//
// Options: --seconds=10 --warmup=2 --rounds=3 --connections=32 --post-connections=16 --comments=200
//          --pg (require PostgreSQL) | --no-pg (skip it; by default it runs when it answers)
//          --server=auto|dist|src (auto: dist/main.js when it is newer than src/, else src/main.ts via tsx)
//          --no-pin (do not pin processes to CPUs)
//          --quiet-wait=30 (seconds to wait, before each measured run, for other processes to leave the CPUs idle)
//          --profile (write V8 CPU profiles of the Readout servers to bench/results/profiles/)
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase, type DatabaseKind } from '../test/harness/databases.js';
import { pinSelf, startChild, type Child } from './lib/children.js';
import { intOption, serverOption, commonBenchOptions } from './lib/options.js';
import { combineRounds, median, runLoad, type LoadResult, type Measured } from './lib/load.js';
import { startNginx } from './lib/nginx.js';
import { startReadout } from './lib/readout.js';
import { codesText, fmt, onlyStatus, table } from './lib/report.js';
import { seedStory, type SeededStory } from './lib/seed.js';
import { chooseDatabases, cleanups, describeEnvironment, installDeadline, once, runBenchmark } from './lib/lifecycle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');

/**
 * Cached story page against the baseline serving the same precompressed bytes, p99 at 32 connections
 * (issue 5); comment POST with every moderation rule and spam check running, rate limits lifted (issue 4).
 */
const targets = { storyVsBaseline: 0.8, storyP99Ms: 10, postP99Ms: 30, postPerSecond: 1_000 } as const;
/** What the load generator accepts, as browsers do: the servers answer with their stored brotli form. */
const acceptEncoding = { 'accept-encoding': 'gzip, br' };

const { values: opts } = parseArgs({
  options: {
    ...commonBenchOptions('30'),
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'post-connections': { type: 'string', default: '16' },
    comments: { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
  },
  strict: true,
});

const settings = {
  seconds: intOption('seconds', opts.seconds, 1, 120),
  warmupSeconds: intOption('warmup', opts.warmup, 0, 60),
  rounds: intOption('rounds', opts.rounds, 1, 9),
  connections: intOption('connections', opts.connections, 1, 512),
  postConnections: intOption('post-connections', opts['post-connections'], 1, 512),
  comments: intOption('comments', opts.comments, 0, 5_000),
  quietWaitSeconds: intOption('quiet-wait', opts['quiet-wait'], 0, 300),
  pipelining: 1,
  pinned: false,
};
serverOption(opts.server);

// Every phase is bounded; this deadline catches anything else (e.g. a server that stops answering).
const loadRuns = 2 * (2 * settings.rounds + 1);
const deadlineMs = (loadRuns * (settings.seconds + settings.warmupSeconds + settings.quietWaitSeconds + 15) + 300) * 1_000;
installDeadline(deadlineMs);

const serverCpu = () => (settings.pinned ? 1 : undefined);

/**
 * The node:http baseline serving the stored forms from memory: with `sameHeaders`, each with the
 * very header list Readout sent (the same response bytes); without, with the four headers a bare
 * server needs (content-type, -length, -encoding, vary).
 */
async function startBaseline(forms: PageForms, dir: string, label: string, sameHeaders: boolean): Promise<{ child: Child; baseUrl: string }> {
  const files = (['identity', 'gzip', 'br'] as const).map((coding) => {
    const file = path.join(dir, `story-page-${label}.${coding}`);
    fs.writeFileSync(file, forms[coding]);
    return file;
  });
  const headersFile = path.join(dir, `story-page-${label}.headers.json`);
  fs.writeFileSync(headersFile, JSON.stringify(forms.headers));
  const child = await startChild({
    name: `baseline node:http server (${label})`,
    args: [
      '--import',
      'tsx',
      path.join(root, 'bench', 'baseline-server.ts'),
      files[0] as string,
      forms.contentType,
      files[1] as string,
      files[2] as string,
      ...(sameHeaders ? [headersFile] : []),
    ],
    cwd: root,
    ready: /baseline listening on (\d+)/,
    timeoutMs: 30_000,
    cpu: serverCpu(),
  });
  cleanups.push(() => child.stop());
  return { child, baseUrl: `http://127.0.0.1:${child.ready[1]}` };
}

async function fetchPage(url: string): Promise<{ body: Buffer; contentType: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

interface PageForms {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  contentType: string;
  /** The header list sent with each form, as [name, value, …] (without Date and the connection's own headers). */
  headers: { identity: string[]; gzip: string[]; br: string[] };
}

const perConnection = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The page's bytes as sent on the wire for each Accept-Encoding (fetch() would decompress them). */
async function fetchForms(url: string): Promise<PageForms> {
  const get = (encoding: string) =>
    new Promise<{ body: Buffer; contentType: string; coding: string; headers: string[] }>((resolve, reject) => {
      const request = http.get(url, { headers: { 'accept-encoding': encoding }, agent: false, timeout: 10_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          response.statusCode === 200
            ? resolve({
                body: Buffer.concat(chunks),
                contentType: response.headers['content-type'] ?? '',
                coding: response.headers['content-encoding'] ?? 'identity',
                headers: response.rawHeaders.flatMap((v, i, all) => (i % 2 === 0 && !perConnection.has(v.toLowerCase()) ? [v, all[i + 1] as string] : [])),
              })
            : reject(new Error(`GET ${url} answered ${response.statusCode}`)),
        );
      });
      request.on('error', reject);
    });
  // A miss is answered with a fast compression and the stored forms are made in the background: ask until they are there.
  for (let attempt = 0; ; attempt++) {
    const [identity, gzip, br] = await Promise.all([get('identity'), get('gzip'), get('gzip, br')]);
    const stored = (form: { headers: string[] }) => !form.headers.some((v, i) => i % 2 === 1 && form.headers[i - 1]?.toLowerCase() === 'etag' && v.endsWith('-fast"'));
    if (gzip.coding === 'gzip' && br.coding === 'br' && stored(gzip) && stored(br)) {
      return { identity: identity.body, gzip: gzip.body, br: br.body, contentType: identity.contentType, headers: { identity: identity.headers, gzip: gzip.headers, br: br.headers } };
    }
    if (attempt === 50) throw new Error(`${url} is not served precompressed (${gzip.coding}, ${br.coding})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fetchFormToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/comments/form-token`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET /comments/form-token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** The comment count the page states ("201 comments on …"). */
function statedCommentCount(html: Buffer): number {
  const match = /(\d+) comments on/.exec(html.toString('utf8'));
  return match ? Number(match[1]) : html.includes('One comment on') ? 1 : 0;
}

/** PostgreSQL's own processes, so their CPU use is reported as the database's rather than as a disturbance. */
const databaseProcess = (kind: DatabaseKind) => (kind === 'postgres' ? { databaseProcessName: 'postgres' } : {});

/** POSTs unique comments from `connections` clients; every fourth is a reply to a seeded comment. */
function loadCommentPosts(baseUrl: string, child: Child, seeded: SeededStory, label: DatabaseKind, formToken: string): Promise<Measured> {
  let n = 0;
  const runId = Date.now().toString(36);
  return runLoad({
    title: `comment POST → 303 (${label})`,
    url: baseUrl,
    connections: settings.postConnections,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    serverPid: child.pid,
    quietWaitSeconds: settings.quietWaitSeconds,
    ...databaseProcess(label),
    requests: [
      {
        method: 'POST',
        path: '/comments',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, 'user-agent': 'readout-bench' },
        setupRequest: (request) => {
          n++;
          const parent = n % 4 === 0 && seeded.replyTargets.length > 0 ? seeded.replyTargets[(n * 7) % seeded.replyTargets.length] : 0;
          const body = new URLSearchParams({
            comment: `Benchmark comment ${runId}-${n}: the readout does not say when the overtime ban ends, and *that* is the story.`,
            author: `Bench Reader ${n % 50}`,
            email: `bench${n % 50}@example.org`,
            url: '',
            comment_post_ID: String(seeded.storyId),
            comment_parent: String(parent),
            // The signed form timestamp, taken long before (a person's pace), and the empty honeypot: spam checks pass.
            readout_form_token: formToken,
            readout_hp: '',
          }).toString();
          return { ...request, body };
        },
      },
    ],
  });
}

type Combined = ReturnType<typeof combineRounds>;

interface DatabaseRun {
  kind: DatabaseKind;
  pageBytes: number;
  baseline: Combined;
  story: Combined;
  /** story/baseline req/s of each round, and their median. */
  roundRatios: number[];
  ratio: number;
  /** nginx serving the same stored forms, where installed. */
  nginx: Combined | undefined;
  /** node:http sending the same body with only the headers a bare server needs (information). */
  bare: Combined;
  posts: LoadResult;
  commentsStored: { before: number; after: number; accepted: number };
}

async function benchDatabase(kind: DatabaseKind, tmp: string): Promise<DatabaseRun> {
  const database = await createTestDatabase(kind);
  const drop = once(() => database.drop());
  cleanups.push(drop);
  console.log(`[${kind}] seeding one story with ${settings.comments} comments through the domain services…`);
  const seeded = await seedStory(database.url, settings.comments);
  const readout = await startReadout({
    label: kind,
    databaseUrl: database.url,
    serverMode: opts.server,
    pinned: settings.pinned,
    timeoutMs: 30_000,
    nodeArgs: opts.profile
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir, 'profiles')}`, `--cpu-prof-name=readout-${kind}-${Date.now()}.cpuprofile`]
      : [],
    // The rate limits lifted (as on a private test instance): 16 clients on one address post far faster than readers.
    env: { READOUT_COMMENT_RATE_IP: 'off', READOUT_COMMENT_RATE_EMAIL: 'off' },
  });
  // The comment form's signed timestamp, taken now: by the time the posts start it is many seconds old.
  const formToken = await fetchFormToken(readout.baseUrl);
  const storyUrl = `${readout.baseUrl}/stories/${seeded.slug}`;
  const page = await fetchPage(storyUrl);
  const before = statedCommentCount(page.body);
  if (before !== seeded.comments) throw new Error(`[${kind}] the story page shows ${before} comments, expected ${seeded.comments}`);

  const forms = await fetchForms(storyUrl);
  const baseline = await startBaseline(forms, tmp, `${kind}-same`, true);
  const baselineUrl = `${baseline.baseUrl}/stories/${seeded.slug}`;
  const check = await fetchForms(baselineUrl);
  if (!check.br.equals(forms.br) || !check.gzip.equals(forms.gzip) || check.contentType !== forms.contentType) throw new Error('the baseline does not serve the same bytes');
  if (JSON.stringify(check.headers) !== JSON.stringify(forms.headers)) throw new Error('the baseline does not send the same headers');
  const bare = await startBaseline(forms, tmp, `${kind}-bare`, false);
  console.log(
    `[${kind}] story page: ${forms.identity.length} bytes (${forms.contentType}), stored as gzip ${forms.gzip.length} and brotli ${forms.br.length} bytes, ` +
      `with ${forms.headers.br.length / 2} headers; the baseline sends the same bytes and headers, the bare baseline the same bytes with 4 headers`,
  );

  // Where nginx is installed: nginx serving the same stored forms with gzip_static/brotli_static (information).
  const nginx = await startNginx({ dir: tmp, urlPath: `/stories/${seeded.slug}`, forms, cpu: serverCpu() });
  if (nginx) cleanups.push(() => nginx.stop());
  console.log(nginx ? `[${kind}] nginx ${nginx.brotli ? 'brotli_static + gzip_static' : 'gzip_static only'} serves the same stored forms` : `[${kind}] nginx is not installed: not measured`);

  const storyRounds: Measured[] = [];
  const baselineRounds: Measured[] = [];
  const bareRounds: Measured[] = [];
  const nginxRounds: Measured[] = [];
  /** One measured round of the cached story page from one server, added to `rounds`. */
  const loadRound = async (rounds: Measured[], round: number, server: { label: string; title: string; url: string; pid: number; cpuSeconds?: () => number }) => {
    rounds.push(
      await runLoad({
        title: server.title,
        url: server.url,
        headers: acceptEncoding,
        connections: settings.connections,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        serverPid: server.pid,
        ...(server.cpuSeconds ? { serverCpuSeconds: server.cpuSeconds } : {}),
        quietWaitSeconds: settings.quietWaitSeconds,
        ...databaseProcess(kind),
      }),
    );
    console.log(`[${kind}]   round ${round} ${`${server.label}:`.padEnd(11)} ${rounds.at(-1)?.result.requestsPerSecond.toFixed(0)} req/s`);
  };
  const pagePath = `/stories/${seeded.slug}`;
  const loadStory = (round: number) => loadRound(storyRounds, round, { label: 'story page', title: `story page (${kind})`, url: storyUrl, pid: readout.child.pid });
  const loadBaseline = (round: number) =>
    loadRound(baselineRounds, round, { label: 'baseline', title: 'baseline node:http, same response', url: baselineUrl, pid: baseline.child.pid });
  const loadBare = (round: number) =>
    loadRound(bareRounds, round, { label: 'bare', title: 'bare node:http, same body, 4 headers', url: `${bare.baseUrl}${pagePath}`, pid: bare.child.pid });
  const loadNginx = async (round: number) => {
    if (nginx) await loadRound(nginxRounds, round, { label: 'nginx', title: 'nginx, same stored forms', url: `${nginx.baseUrl}${pagePath}`, pid: nginx.pid, cpuSeconds: () => nginx.cpuSeconds() });
  };
  console.log(
    `[${kind}] ${settings.rounds} round(s) of story page and baseline, each ${settings.warmupSeconds} s warm-up + ${settings.seconds} s, ${settings.connections} connections…`,
  );
  for (let round = 1; round <= settings.rounds; round++) {
    if (round % 2 === 1) {
      await loadBaseline(round);
      await loadStory(round);
      await loadBare(round);
      await loadNginx(round);
    } else {
      await loadNginx(round);
      await loadBare(round);
      await loadStory(round);
      await loadBaseline(round);
    }
  }
  await baseline.child.stop();
  await bare.child.stop();
  await nginx?.stop();
  const after = await fetchPage(storyUrl);
  if (!after.body.equals(page.body)) throw new Error(`[${kind}] the story page changed during the read-only load`);

  console.log(`[${kind}] posting comments: ${settings.warmupSeconds} s warm-up + ${settings.seconds} s, ${settings.postConnections} connections…`);
  const posts = (await loadCommentPosts(readout.baseUrl, readout.child, seeded, kind, formToken)).result;
  const final = statedCommentCount((await fetchPage(storyUrl)).body);
  await readout.child.stop();
  await drop();

  const roundRatios = storyRounds.map((s, i) => s.result.requestsPerSecond / (baselineRounds[i]?.result.requestsPerSecond ?? Number.NaN));
  return {
    kind,
    pageBytes: page.body.length,
    baseline: combineRounds('baseline node:http, same response', baselineRounds),
    bare: combineRounds('bare node:http, same body, 4 headers', bareRounds),
    story: combineRounds(`story page, ${settings.comments} comments`, storyRounds),
    roundRatios,
    ratio: median(roundRatios),
    nginx: nginxRounds.length > 0 ? combineRounds('nginx gzip_static/brotli_static, same bytes', nginxRounds) : undefined,
    posts,
    commentsStored: { before, after: final, accepted: final - before },
  };
}

// ---------- report ----------

interface Verdict {
  target: string;
  db: DatabaseKind;
  value: string;
  /** undefined: reported for information, not a target. */
  pass: boolean | undefined;
}

function report(runs: DatabaseRun[]): Verdict[] {
  const verdicts: Verdict[] = [];
  const header = ['target', 'db', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB/resp', 'status codes', 'server CPU', 'srv µs/req', 'loadgen CPU', 'db CPU', 'other CPU', 'vs baseline', 'verdict'];
  const rows: string[][] = [header];
  const row = (r: LoadResult, db: string, ratio: string, verdict: string) =>
    rows.push([
      r.title,
      db,
      String(r.connections),
      fmt(r.requestsPerSecond, 0),
      fmt(r.latencyMs.p50, 2),
      fmt(r.latencyMs.p99, 2),
      fmt(r.latencyMs.max, 1),
      fmt(r.bytesPerResponse / 1024, 1),
      codesText(r),
      fmt(r.serverCores, 2),
      fmt(r.serverMicrosPerRequest, 0),
      fmt(r.loadGeneratorCores, 2),
      db === 'postgres' ? fmt(r.databaseCores, 2) : '-',
      fmt(r.otherCores, 2),
      ratio,
      verdict,
    ]);
  for (const run of runs) {
    const baselineOk = onlyStatus(run.baseline, '200');
    row(run.baseline, run.kind, '1.00×', baselineOk ? 'ceiling' : 'BROKEN: non-200 or errors');
    const storyOk = onlyStatus(run.story, '200');
    const storyPass = baselineOk && storyOk && run.ratio >= targets.storyVsBaseline && run.story.latencyMs.p99 < targets.storyP99Ms;
    verdicts.push({
      target: `cached story page ≥ ${targets.storyVsBaseline}× baseline req/s, p99 < ${targets.storyP99Ms} ms at ${settings.connections} connections`,
      db: run.kind,
      value: `${fmt(run.ratio, 2)}×, p99 ${fmt(run.story.latencyMs.p99, 2)} ms`,
      pass: storyPass,
    });
    row(
      run.story,
      run.kind,
      `${fmt(run.ratio, 2)}×`,
      `${storyPass ? 'PASS' : 'FAIL'} (≥ ${targets.storyVsBaseline.toFixed(2)}×, p99 < ${targets.storyP99Ms} ms)${storyOk ? '' : ' non-200 or errors'}`,
    );
    const vsBare = run.story.requestsPerSecond / run.bare.requestsPerSecond;
    verdicts.push({ target: 'cached story page vs bare node:http (same body, 4 headers)', db: run.kind, value: `${fmt(vsBare, 2)}×`, pass: undefined });
    row(run.bare, run.kind, `story ${fmt(vsBare, 2)}×`, onlyStatus(run.bare, '200') ? 'info' : 'BROKEN: non-200 or errors');
    if (run.nginx) {
      const vsNginx = run.story.requestsPerSecond / run.nginx.requestsPerSecond;
      verdicts.push({ target: 'cached story page vs nginx serving the same stored forms', db: run.kind, value: `${fmt(vsNginx, 2)}×`, pass: undefined });
      row(run.nginx, run.kind, `story ${fmt(vsNginx, 2)}×`, onlyStatus(run.nginx, '200') ? 'info' : 'BROKEN: non-200 or errors');
    }
    const postsOk = onlyStatus(run.posts, '303');
    const applies = run.kind === 'sqlite';
    const postPass = postsOk && run.posts.latencyMs.p99 < targets.postP99Ms && run.posts.requestsPerSecond >= targets.postPerSecond;
    verdicts.push({
      target: `comment POST p99 < ${targets.postP99Ms} ms and ≥ ${targets.postPerSecond} comments/s at ${settings.postConnections} clients`,
      db: run.kind,
      value: `${fmt(run.posts.latencyMs.p99, 2)} ms, ${fmt(run.posts.requestsPerSecond, 0)} comments/s`,
      pass: applies ? postPass : undefined,
    });
    row(
      { ...run.posts, title: 'comment POST → 303' },
      run.kind,
      '-',
      `${applies ? (postPass ? 'PASS' : 'FAIL') : 'info'} (p99 < ${targets.postP99Ms} ms, ≥ ${targets.postPerSecond}/s)${postsOk ? '' : ' NOT ALL 303'}`,
    );
  }

  console.log('');
  console.log(
    `Story page and baseline: ${settings.rounds} alternating round(s) each of ${settings.seconds} s after ${settings.warmupSeconds} s warm-up; req/s = median round, ` +
      `latency over all rounds. Comment POST: one ${settings.seconds} s run after ${settings.warmupSeconds} s warm-up. ` +
      `autocannon, pipelining ${settings.pipelining}, one server loaded at a time, 127.0.0.1, ` +
      (settings.pinned ? 'servers pinned to CPU 1 and the load generator to CPU 0.' : 'no CPU pinning.'),
  );
  console.log(
    'CPU columns: cores used while measured (1.00 = one core busy); srv µs/req = server CPU time per response; ' +
      'db = PostgreSQL\'s processes; "other" = everything else on the machine (worst round).',
  );
  console.log(table(rows, new Set([2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13])));
  console.log('');
  for (const run of runs) {
    console.log(
      `[${run.kind}] per round req/s: story ${run.story.roundsRequestsPerSecond.map((n) => fmt(n, 0)).join(' / ')}; ` +
        `baseline ${run.baseline.roundsRequestsPerSecond.map((n) => fmt(n, 0)).join(' / ')}; ratio ${run.roundRatios.map((n) => fmt(n, 2)).join(' / ')}`,
    );
    console.log(
      `[${run.kind}] server CPU per story page ${fmt(run.story.serverMicrosPerRequest, 0)} µs vs ${fmt(run.baseline.serverMicrosPerRequest, 0)} µs for the baseline: ` +
        `a CPU-bound server would reach ${fmt(run.baseline.serverMicrosPerRequest / run.story.serverMicrosPerRequest, 2)}× the baseline's req/s`,
    );
    console.log(
      `[${run.kind}] comment POST: ${fmt(run.posts.requestsPerSecond, 0)} accepted comments/s, p50 ${fmt(run.posts.latencyMs.p50, 2)} ms, ` +
        `p99 ${fmt(run.posts.latencyMs.p99, 2)} ms; the page's count went ${run.commentsStored.before} → ${run.commentsStored.after} ` +
        `(+${run.commentsStored.accepted}, warm-up included)`,
    );
  }
  const all = runs.flatMap((r) => [r.baseline, r.story, r.posts]);
  if (opts.profile) {
    console.log('WARNING: --profile runs the Readout server under the V8 sampling profiler, which slows it: its numbers and verdicts are not comparable.');
  }
  const disturbed = all.filter((r) => r.otherCores > 0.15);
  if (disturbed.length > 0) {
    console.log(
      `WARNING: other processes used CPU while measuring ${disturbed.map((r) => `"${r.title}" (${fmt(r.otherCores, 2)} cores)`).join(', ')}; ` +
        'those numbers are disturbed; run again on a quiet machine.',
    );
  }
  const saturated = runs.filter((r) => r.baseline.loadGeneratorCores > 0.9 && r.baseline.serverCores < 0.85);
  if (saturated.length > 0) {
    console.log(
      `note: the load generator was nearly saturated against the baseline (${saturated.map((r) => fmt(r.baseline.loadGeneratorCores, 2)).join(', ')} cores), ` +
        "so the measured ceiling is partly the load generator's and the ratio may flatter Readout.",
    );
  }
  console.log('');
  for (const v of verdicts) {
    const mark = v.pass === undefined ? 'info' : v.pass ? 'PASS' : 'FAIL';
    console.log(`${mark}  ${v.target} [${v.db}]: ${v.value}`);
  }
  return verdicts;
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-bench-'));
  cleanups.push(async () => fs.rmSync(tmp, { recursive: true, force: true }));

  const { kinds, note: pgNote } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  settings.pinned = !opts['no-pin'] && os.availableParallelism() >= 2 && pinSelf(0);

  const environment = describeEnvironment(root, opts.server);
  console.log(`Readout story page benchmark: ${settings.comments} comments; Node ${environment.node}; ${environment.cpus}; server from ${environment.server}`);
  console.log(`${pgNote}; ${settings.pinned ? 'load generator on CPU 0, servers on CPU 1' : 'no CPU pinning'}`);

  const runs: DatabaseRun[] = [];
  for (const kind of kinds) runs.push(await benchDatabase(kind, tmp));
  const verdicts = report(runs);

  const out = { environment, settings, targets, runs, verdicts };
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`\nResults written to ${path.relative(root, path.join(resultsDir, 'latest.json'))}`);
}

await runBenchmark(main);
