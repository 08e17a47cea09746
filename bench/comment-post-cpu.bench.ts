// CPU time per comment POST (µs), the figure that bounds the comment POST's throughput and p99 on
// SQLite (issue 4): one Node thread does every post's work, so less CPU per post means shorter
// group-commit cycles. CPU time, unlike wall time, moves little when other processes share the
// machine, and comparing two versions of the code side by side in one process cancels most of
// what remains, so this can judge a change of a few percent on a busy machine.
//
// Readout (boot + buildApp, with its background jobs, as `npm start` runs it, rate limits off and
// every rule and spam check running, as in story-page.bench.ts) is loaded into this process from
// the sources of this tree, and with --compare=DIR a second copy from DIR's sources (a copy of the
// repository with src/, package.json, tsconfig.json, node_modules and dist/public), each on its own
// fresh database with the seeded story. Posts go through `app.inject()` in waves of `--connections`
// at once (one group commit a wave on SQLite), every fourth a reply. A sample is `--posts` posts;
// samples alternate between the copies (A B | B A | …) and the process's CPU time (user + system)
// is taken around each. The report gives each copy's median and lower quartile, and the median of
// the paired ratios.
//
//   node --import tsx bench/comment-post-cpu.bench.ts [--db=sqlite|postgres] [--compare=DIR]
//        [--samples=12] [--posts=800] [--warmup=2000] [--connections=16] [--comments=200]
//        [--profile=FILE.cpuprofile] (a V8 CPU profile of the measured samples only)
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type * as AppModule from '../src/app.js';
import type * as BootModule from '../src/boot.js';
import type * as ConfigModule from '../src/config/config.js';
import type * as LoggerModule from '../src/platform/logger.js';
import { createTestDatabase, type DatabaseKind } from '../test/harness/databases.js';
import { cleanups, installDeadline, once, runBenchmark } from './lib/lifecycle.js';
import { median } from './lib/load.js';
import { intOption } from './lib/options.js';
import { seedStory } from './lib/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    compare: { type: 'string' },
    samples: { type: 'string', default: '12' },
    posts: { type: 'string', default: '800' },
    warmup: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '16' },
    comments: { type: 'string', default: '200' },
    profile: { type: 'string' },
  },
  strict: true,
});
if (opts.db !== 'sqlite' && opts.db !== 'postgres') {
  console.error(`--db must be sqlite or postgres, got "${opts.db}"`);
  process.exit(2);
}
const kind: DatabaseKind = opts.db;
const samples = intOption('samples', opts.samples, 1, 200);
const posts = intOption('posts', opts.posts, 1, 100_000);
const warmup = intOption('warmup', opts.warmup, 0, 1_000_000);
const connections = intOption('connections', opts.connections, 1, 512);
const comments = intOption('comments', opts.comments, 0, 5_000);

installDeadline(20 * 60_000);

/** A copy of Readout running in this process. */
interface Copy {
  label: string;
  app: FastifyInstance;
  storyId: number;
  replyTargets: number[];
  token: string;
  micros: number[];
}

/** Boots Readout from `sourceRoot`'s sources (its own module instances) on a fresh seeded database. */
async function startCopy(label: string, sourceRoot: string): Promise<Copy> {
  if (!fs.existsSync(path.join(sourceRoot, 'src', 'boot.ts'))) throw new Error(`${sourceRoot} has no src/boot.ts`);
  const load = <T>(file: string) => import(pathToFileURL(path.join(sourceRoot, 'src', file)).href) as Promise<T>;
  const { boot } = await load<typeof BootModule>('boot.ts');
  const { buildApp } = await load<typeof AppModule>('app.ts');
  const { loadConfig } = await load<typeof ConfigModule>('config/config.ts');
  const { createLogger } = await load<typeof LoggerModule>('platform/logger.ts');

  const database = await createTestDatabase(kind);
  cleanups.push(once(() => database.drop()));
  const seeded = await seedStory(database.url, comments);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-data-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig(
    {
      DATABASE_URL: database.url,
      PUBLIC_URL: 'http://127.0.0.1:3999',
      READOUT_LOG_LEVEL: 'warn',
      READOUT_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      READOUT_COMMENT_RATE_IP: 'off',
      READOUT_COMMENT_RATE_EMAIL: 'off',
    },
    sourceRoot,
  );
  const runtime = await boot(config, { log: createLogger(config.logLevel) });
  cleanups.push(() => runtime.close());
  const app = await buildApp(runtime.deps, { siteName: runtime.siteName, assetsDir: path.join(sourceRoot, 'dist', 'public') });
  cleanups.push(() => app.close());
  await app.ready();
  const token = (await app.inject({ method: 'GET', url: '/comments/form-token' })).json<{ token: string }>().token;
  return { label, app, storyId: seeded.storyId, replyTargets: seeded.replyTargets, token, micros: [] };
}

let n = 0;
const runId = Date.now().toString(36);

/** The next unique comment form for a copy; every fourth answers a seeded comment. */
function nextBody(copy: Copy): string {
  n++;
  const parent = n % 4 === 0 && copy.replyTargets.length > 0 ? copy.replyTargets[(n * 7) % copy.replyTargets.length] : 0;
  return new URLSearchParams({
    comment: `Benchmark comment ${runId}-${n}: the readout does not say when the overtime ban ends, and *that* is the story.`,
    author: `Bench Reader ${n % 50}`,
    email: `bench${n % 50}@example.org`,
    url: '',
    comment_post_ID: String(copy.storyId),
    comment_parent: String(parent),
    readout_form_token: copy.token,
    readout_hp: '',
  }).toString();
}

const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:3999', 'user-agent': 'readout-bench' };

/** POSTs `count` comments in waves of `connections`; resolves with the process's CPU µs they took. */
async function post(copy: Copy, count: number): Promise<number> {
  const bodies = Array.from({ length: count }, () => nextBody(copy));
  const started = process.cpuUsage();
  for (let i = 0; i < count; i += connections) {
    const wave = bodies.slice(i, i + connections).map((payload) => copy.app.inject({ method: 'POST', url: '/comments', headers, payload }));
    for (const response of await Promise.all(wave)) {
      if (response.statusCode !== 303) throw new Error(`[${copy.label}] POST /comments answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
    }
  }
  const used = process.cpuUsage(started);
  return used.user + used.system;
}

const quartile = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 4)] ?? Number.NaN;

async function main(): Promise<void> {
  const copies = [await startCopy('this tree', root)];
  if (opts.compare) copies.push(await startCopy(`compare ${opts.compare}`, path.resolve(opts.compare)));
  // The signed form timestamp must be older than the rules' minimum seconds to submit.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (const copy of copies) await post(copy, warmup);
  const session = opts.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  for (let sample = 1; sample <= samples; sample++) {
    for (const copy of sample % 2 === 1 ? copies : [...copies].reverse()) copy.micros.push((await post(copy, posts)) / posts);
  }
  if (session && opts.profile) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(opts.profile, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured samples written to ${opts.profile}`);
  }
  for (const copy of copies) {
    console.log(
      `[${kind}, ${copy.label}] CPU per comment POST: median ${median(copy.micros).toFixed(0)} µs, lower quartile ${quartile(copy.micros).toFixed(0)} µs ` +
        `(samples ${copy.micros.map((m) => m.toFixed(0)).join(' ')})`,
    );
  }
  const [a, b] = copies;
  if (a && b) {
    const ratios = a.micros.map((m, i) => m / (b.micros[i] ?? Number.NaN));
    console.log(`[${kind}] this tree / compare: median ratio ${median(ratios).toFixed(3)} (per sample ${ratios.map((r) => r.toFixed(2)).join(' ')})`);
  }
  console.log(`${connections} posts at once, ${posts} posts a sample, ${samples} samples a copy after ${warmup} warm-up posts; app.inject(), so no socket or HTTP parsing cost.`);
}

await runBenchmark(main);
