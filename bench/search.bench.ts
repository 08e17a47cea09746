// Search latency over 100,000 stories (issue 5, acceptance 8: "search p50 < 20 ms over 100,000
// stories on SQLite and on PostgreSQL"). A report, not a test: it exits 0 when a query misses the
// target and prints FAIL (1 only when it could not measure). Results: bench/results/search-latest.json.
//
// Per database: a fresh database gets 100,000 stories of news-like text (bench/lib/seed-search.ts:
// Zipf-distributed words, set phrases, sections, tags; 85% published), indexed by the real rebuild
// (timed), then each kind of query runs through the search service in this process (parse, ranked
// page of 20, total count, highlighted snippets: everything /search does but the HTML), a few
// different queries of each kind, each --repeat times after a warm-up pass, one at a time.
//
// Options: --stories=100000 --repeat=20 --pg | --no-pg
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config/config.js';
import { searchStories, type SearchRequest } from '../src/modules/search/index.js';
import { createLogger } from '../src/platform/logger.js';
import { createTestDatabase, type DatabaseKind } from '../test/harness/databases.js';
import { chooseDatabases, cleanups, describeEnvironment, installDeadline, once, runBenchmark } from './lib/lifecycle.js';
import { intOption, commonBenchOptions } from './lib/options.js';
import { fmt, table } from './lib/report.js';
import { newsWords, seedSearchStories, type SeededSearch } from './lib/seed-search.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = { p50Ms: 20 } as const;

const { values: opts } = parseArgs({
  options: {
    ...commonBenchOptions('0'),
    stories: { type: 'string', default: '100000' },
    repeat: { type: 'string', default: '20' },
  },
  strict: true,
});
const settings = { stories: intOption('stories', opts.stories, 1_000, 1_000_000), repeat: intOption('repeat', opts.repeat, 1, 1_000) };

interface QueryKind {
  name: string;
  requests: SearchRequest[];
}

/** The queries: several of each kind, so one lucky word does not make the figure. */
function queryKinds(seeded: SeededSearch): QueryKind[] {
  const w = (rank: number) => newsWords[rank] as string;
  const tail = seeded.vocabulary.tail;
  const q = (text: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({ q: text, page: 1, ...extra });
  return [
    { name: '1 word, common', requests: [q(w(0)), q(w(2)), q(w(5)), q(w(9))] },
    { name: '1 word, rare', requests: [q(tail[1_500] as string), q(tail[3_000] as string), q(tail[4_500] as string), q(tail[5_900] as string)] },
    { name: '2 words', requests: [q(`${w(1)} ${w(40)}`), q(`${w(3)} ${w(120)}`), q(`${w(60)} ${w(200)}`), q(`${w(7)} ${w(8)}`)] },
    { name: 'phrase', requests: [q('"city council"'), q('"ferry strike"'), q('"harbour master"'), q('"fishing quota"')] },
    { name: 'with section filter', requests: [q(w(0), { section: 'harbour' }), q(w(4), { section: 'sport' }), q(`${w(2)} ${w(30)}`, { section: 'news' }), q(w(10), { section: 'islands' })] },
    { name: 'with date range', requests: [q(w(1), range(seeded, 0.4, 0.12)), q(w(6), range(seeded, 0.7, 0.01)), q(`${w(2)} ${w(50)}`, range(seeded, 0.1, 0.05))] },
    { name: 'page 5 of a common word', requests: [q(w(0), { page: 5 }), q(w(3), { page: 5 })] },
  ];
}

/** `from`/`to` covering `length` of the seeded time span, starting `at` of the way through it. */
function range(seeded: SeededSearch, at: number, length: number): Partial<SearchRequest> {
  const day = (f: number) => new Date(seeded.span.first + f * (seeded.span.last - seeded.span.first)).toISOString().slice(0, 10);
  return { from: day(at), to: day(at + length) };
}

interface KindResult {
  name: string;
  /** Each query's count, "1,000+" when it stopped counting. */
  matches: string[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function benchDatabase(kind: DatabaseKind) {
  const database = await createTestDatabase(kind);
  const drop = once(() => database.drop());
  cleanups.push(drop);
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL: 'http://127.0.0.1', READOUT_LOG_LEVEL: 'silent' });
  const runtime = await boot(config, { log: createLogger('silent'), seed: false, jobs: false });
  try {
    console.log(`[${kind}] seeding ${settings.stories} stories…`);
    const seeded = await seedSearchStories(runtime.deps, { stories: settings.stories });
    console.log(`[${kind}] seeded in ${fmt(seeded.seedSeconds)} s; index rebuilt (${seeded.indexed} published stories) in ${fmt(seeded.indexSeconds)} s`);
    const results: KindResult[] = [];
    for (const k of queryKinds(seeded)) {
      const matches: string[] = [];
      for (const request of k.requests) {
        const first = await searchStories(runtime.deps, request); // warm-up, and a check that it finds something
        if (first.total === 0) throw new Error(`[${kind}] "${request.q}" found nothing: the seed or the search is broken`);
        matches.push(`${first.total.toLocaleString('en-US')}${first.more ? '+' : ''}`);
      }
      const times: number[] = [];
      for (let i = 0; i < settings.repeat; i++) {
        for (const request of k.requests) {
          const started = process.hrtime.bigint();
          await searchStories(runtime.deps, request);
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      times.sort((a, b) => a - b);
      results.push({ name: k.name, matches, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? NaN, samples: times.length });
      console.log(`[${kind}] ${k.name}: p50 ${fmt(percentile(times, 50), 2)} ms`);
    }
    return { kind, seeded, results };
  } finally {
    await runtime.close();
    await drop();
  }
}

await runBenchmark(async () => {
  installDeadline(3 * 60 * 60_000);
  const { kinds, note } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  const environment = describeEnvironment(root, 'src');
  console.log(`Readout search benchmark: ${settings.stories} stories; Node ${environment.node}; ${environment.cpus}; ${note}`);
  const runs = [];
  for (const kind of kinds) runs.push(await benchDatabase(kind));

  const rows = [['query', 'db', 'matches', 'p50 ms', 'p99 ms', 'max ms', 'verdict']];
  for (const run of runs) {
    for (const r of run.results) {
      rows.push([r.name, run.kind, r.matches.join(' / '), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.maxMs, 2), r.p50Ms < target.p50Ms ? 'PASS' : 'FAIL']);
    }
  }
  console.log(`\nEach kind: ${settings.repeat} rounds of its queries after a warm-up, one at a time, in process (parse, ranked page, count, snippets).`);
  console.log(table(rows, new Set([2, 3, 4, 5])));
  const overall = runs.map((run) => {
    const all = run.results.map((r) => r.p50Ms).sort((a, b) => a - b);
    return { kind: run.kind, medianOfKindsMs: percentile(all, 50), worstKindP50Ms: all.at(-1) ?? NaN };
  });
  const failed = runs.flatMap((run) => run.results.filter((r) => !(r.p50Ms < target.p50Ms)).map((r) => `${r.name} [${run.kind}] ${fmt(r.p50Ms, 1)} ms`));
  console.log(
    failed.length === 0
      ? `\nPASS  every kind of query p50 < ${target.p50Ms} ms over ${settings.stories} stories [${kinds.join(', ')}]`
      : `\nFAIL  search p50 < ${target.p50Ms} ms: ${failed.join('; ')}`,
  );
  const resultsDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'search-latest.json');
  fs.writeFileSync(file, JSON.stringify({ environment, settings, target, runs, overall }, null, 2) + '\n');
  console.log(`\nResults written to ${path.relative(root, file)}`);
});
