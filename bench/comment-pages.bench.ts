// Story pages with long comment sections (issue 4, point 4: "a story with 10,000 comments renders
// any page in time proportional to the page, not the thread"). A report, not a test: it exits 0
// when the target is missed and prints FAIL (1 only when it could not measure).
// Results: bench/results/comment-pages-latest.json.
//
// Per database: a story with 10,000 approved comments and one with 100, both shaped alike (30% thread
// roots, the rest replies one and two levels deep; test/builders/comment-threads.ts), are seeded with
// batched inserts. The app runs in this process with the page cache off (READOUT_PAGE_CACHE=off), so
// every request is a cache miss: story, one page of thread roots, their replies, rendering. A page
// holds 30 roots, so a page of either story shows about 100 comments. For page 1, a middle page and
// the last page of the long story, the median time of `--requests` requests is compared with the
// median for the short story's only page. Target: each ratio at most 1.5 (close to 1 means the time
// follows the page, not the thread).
//
// Options: --requests=200 --comments=10000
//          --pg (require PostgreSQL) | --no-pg (skip it; by default it runs when it answers)
//          --no-pin, --server, --quiet-wait: accepted (npm run bench passes them) and ignored: nothing is spawned.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commonBenchOptions } from './lib/options.js';
import { performance } from 'node:perf_hooks';
import { useCommentSettings } from '../test/harness/comment-settings.js';
import { createTestApp, type TestApp } from '../test/harness/app.js';
import type { DatabaseKind } from '../test/harness/databases.js';
import { seedCommentThreads } from '../test/builders/comment-threads.js';
import { buildStory } from '../test/builders/stories.js';
import { chooseDatabases, cleanUp, cleanups, describeEnvironment, installDeadline } from './lib/lifecycle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const targets = { maxRatio: 1.5 } as const;
const perPage = 30;

const { values: opts } = parseArgs({
  options: {
    ...commonBenchOptions('0'),
    requests: { type: 'string', default: '200' },
    comments: { type: 'string', default: '10000' },
  },
  strict: true,
});
const requests = Number(opts.requests);
const longCount = Number(opts.comments);
if (!Number.isInteger(requests) || requests < 10 || requests > 10_000 || !Number.isInteger(longCount) || longCount < 1_000 || longCount > 200_000) {
  console.error('--requests must be 10…10000 and --comments 1000…200000');
  process.exit(2);
}
installDeadline(15 * 60_000);

interface PageTiming {
  page: string;
  comments: number;
  medianMs: number;
  p90Ms: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Median and p90 of `requests` cache-miss requests for each address, after a warm-up. The addresses
 * take turns (a, b, c, d, a, b, …), so drift and other processes' bursts hit them alike.
 */
async function timeAll(t: TestApp, urls: string[]): Promise<{ medianMs: number; p90Ms: number; comments: number }[]> {
  const comments = new Map<string, number>();
  for (let i = 0; i < 30; i++) {
    for (const url of urls) {
      const res = await t.app.inject({ url });
      if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}`);
      comments.set(url, (res.body.match(/<li id="comment-/g) ?? []).length);
    }
  }
  const ms = urls.map(() => [] as number[]);
  for (let i = 0; i < requests; i++) {
    for (const [j, url] of urls.entries()) {
      const start = performance.now();
      await t.app.inject({ url });
      ms[j]?.push(performance.now() - start);
    }
  }
  return urls.map((url, j) => {
    const sorted = (ms[j] as number[]).sort((a, b) => a - b);
    return { medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9), comments: comments.get(url) ?? 0 };
  });
}

async function measure(kind: DatabaseKind) {
  const t = await createTestApp({ db: kind, env: { READOUT_PAGE_CACHE: 'off' }, followIntervalMs: 3_600_000 });
  cleanups.push(() => t.close());
  await useCommentSettings(t.deps, { perPage, order: 'oldest' });
  const createdAt = '2026-11-26T13:00:00.000Z';
  const seedStart = performance.now();
  const long = await buildStory(t.deps, { headline: 'A story with a very long thread', slug: 'long-thread' });
  const short = await buildStory(t.deps, { headline: 'A story with a short thread', slug: 'short-thread' });
  const seeded = await seedCommentThreads(t.deps.store.db, { storyId: long.id, count: longCount, createdAt });
  await seedCommentThreads(t.deps.store.db, { storyId: short.id, count: 100, createdAt });
  const seedMs = performance.now() - seedStart;
  const lastPage = Math.ceil(seeded.roots.length / perPage);
  const middle = Math.ceil(lastPage / 2);

  const pages = [['page 1', 1], [`middle page ${middle}`, middle], [`last page ${lastPage}`, lastPage]] as const;
  const urls = ['/stories/short-thread', ...pages.map(([, page]) => (page === 1 ? '/stories/long-thread' : `/stories/long-thread?cpage=${page}`))];
  const measured = await timeAll(t, urls);
  const baseline = measured[0] as (typeof measured)[number];
  const timings: PageTiming[] = [
    { page: 'short story (100 comments), page 1', ...baseline },
    ...pages.map(([label], i) => ({ page: `long story (${longCount} comments), ${label}`, ...(measured[i + 1] as (typeof measured)[number]) })),
  ];
  await t.close();
  cleanups.pop();
  const ratios = timings.slice(1).map((x) => ({ page: x.page, ratio: x.medianMs / baseline.medianMs }));
  return { kind, seedMs, lastPage, timings, ratios };
}

try {
  const { kinds, note } = await chooseDatabases({ pg: opts.pg, noPg: opts['no-pg'] });
  console.log(`Comment pages: ${longCount} vs 100 comments, ${perPage} threads a page, ${requests} cache-miss requests per page; ${note}`);
  const results = [];
  let missed = false;
  for (const kind of kinds) {
    const r = await measure(kind);
    results.push(r);
    console.log(`\n${kind} (seeded in ${(r.seedMs / 1000).toFixed(1)} s):`);
    for (const x of r.timings) console.log(`  ${x.page.padEnd(48)} ${String(x.comments).padStart(4)} comments  median ${x.medianMs.toFixed(2)} ms  p90 ${x.p90Ms.toFixed(2)} ms`);
    for (const x of r.ratios) {
      const ok = x.ratio <= targets.maxRatio;
      missed ||= !ok;
      console.log(`  ratio ${x.page} / short story: ${x.ratio.toFixed(2)} ${ok ? 'PASS' : 'FAIL'} (target ≤ ${targets.maxRatio})`);
    }
  }
  fs.mkdirSync(resultsDir, { recursive: true });
  const environment = (() => {
    try {
      return describeEnvironment(root, opts.server);
    } catch (error) {
      return { note: (error as Error).message };
    }
  })();
  const out = { environment, settings: { requests, longCount, perPage }, targets, results };
  fs.writeFileSync(path.join(resultsDir, 'comment-pages-latest.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`\n${missed ? 'FAIL: a page of the long story is not proportional to the page' : 'PASS'}; results in bench/results/comment-pages-latest.json`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(process.exitCode ?? 0);
