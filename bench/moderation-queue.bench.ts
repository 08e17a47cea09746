// Latency of the moderation queue with 100,000 comments in the database (issue 4, acceptance 9:
// "moderation queue renders in < 50 ms p50 with 100,000 comments"). A report, not a test: it exits 0
// when a page misses the target and prints FAIL (1 only when it could not measure).
// Results: bench/results/moderation-latest.json.
//
// Per database: a fresh database gets a small newsroom (bench/lib/seed-newsroom.ts) and 100,000
// comments (bench/lib/seed-comments.ts: mostly approved, ~3,000 held, spam, trash, reports, a
// history entry each), the real server starts as a child process (pinned to CPU 1, this process to
// CPU 0), the bench signs in as an admin, checks each page shows what it should, and loads each page
// with autocannon (a few connections: a moderation desk, not a crowd). The steps are
// bench/lib/admin-bench.ts, shared with bench/admin-pages.bench.ts.
//
// Options: --seconds=5 --warmup=1 --connections=4 --comments=100000 --stories=2000
//          --pg | --no-pg, --server=auto|dist|src, --no-pin, --quiet-wait=10
import { parseAdminBenchArgs, printPageTable, runAdminPageBench, type DatabaseRun, type Page } from './lib/admin-bench.js';
import { fmt } from './lib/report.js';
import { seedComments, type SeededComments } from './lib/seed-comments.js';
import { seedNewsroom } from './lib/seed-newsroom.js';

const targets = { p50Ms: 50 } as const;

const args = parseAdminBenchArgs({
  comments: { default: 100_000, min: 1_000, max: 2_000_000 },
  stories: { default: 2_000, min: 200, max: 200_000 },
});
const { settings } = args;

/** The comments go on a small newsroom, whose admin signs in; the results record the comments alone. */
async function seed(kind: string, databaseUrl: string) {
  console.log(`[${kind}] seeding ${settings.stories} stories and ${settings.comments} comments…`);
  const newsroom = await seedNewsroom(databaseUrl, { stories: settings.stories, audit: 0 });
  const seeded = await seedComments(databaseUrl, { count: settings.comments });
  console.log(
    `[${kind}] comments seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; ${seeded.openReports} open reports; busiest commenter ${seeded.busiestCommenter.comments} comments`,
  );
  return { seeded, admin: newsroom.admin };
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

function report(runs: DatabaseRun<SeededComments>[]) {
  console.log(
    `\nEach page: ${settings.seconds} s after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections, signed in as an admin; ${settings.comments} comments on ${settings.stories} stories.`,
  );
  printPageTable(runs, ['page', 'db', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB', 'server CPU', 'verdict'], targets.p50Ms);
  const verdicts = runs.flatMap((run) => run.pages.map((p) => ({ page: p.page.path, db: run.kind, p50Ms: p.result.latencyMs.p50, p99Ms: p.result.latencyMs.p99, pass: p.pass })));
  const failed = verdicts.filter((v) => !v.pass);
  console.log(
    failed.length === 0
      ? `\nPASS  every moderation page p50 < ${targets.p50Ms} ms with ${settings.comments} comments [${runs.map((r) => r.kind).join(', ')}]`
      : `\nFAIL  moderation pages p50 < ${targets.p50Ms} ms: ${failed.map((v) => `${v.page} [${v.db}] ${fmt(v.p50Ms, 1)} ms`).join('; ')}`,
  );
  return verdicts;
}

await runAdminPageBench({
  title: `moderation queue benchmark: ${settings.comments} comments`,
  args,
  targets,
  pagesPerDatabase: 6,
  setupSeconds: 300,
  seed,
  pagesFor,
  log: { checkedPages: false, p99: true },
  report,
  resultsFile: 'moderation-latest.json',
});
