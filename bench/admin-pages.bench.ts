// Latency of the newsroom's admin pages with 10,000 stories in the database (issue 3, acceptance 10:
// "admin pages render in under 50 ms p50"). A report, not a test: it exits 0 when a page misses the
// target and prints FAIL (it exits 1 only when it could not measure). Results: bench/results/admin-latest.json.
//
// Per database: a fresh database is seeded (bench/lib/seed-newsroom.ts: 10,000 stories with authors,
// sources, sections, tags, revisions and 20,000 audit rows; an admin with a known password), the real
// server is started as a child process (pinned to CPU 1, this load generator to CPU 0), the bench signs
// in through POST /admin/sign-in, checks every page answers 200 with what it should show, and loads
// each page in turn with autocannon (a few connections, like a newsroom, not a crowd). The steps are
// bench/lib/admin-bench.ts, shared with bench/moderation-queue.bench.ts.
//
// Options: --seconds=5 --warmup=1 --connections=4 --stories=10000 --audit=20000
//          --pg (require PostgreSQL) | --no-pg (skip it; by default it runs when it answers)
//          --server=auto|dist|src (auto: dist/main.js when it is newer than src/, else src/main.ts via tsx)
//          --no-pin (do not pin processes to CPUs)
//          --quiet-wait=10 (seconds to wait, before each measured run, for other processes to leave the CPUs idle)
import { parseAdminBenchArgs, printPageTable, runAdminPageBench, warnIfDisturbed, type DatabaseRun, type Page } from './lib/admin-bench.js';
import { fmt } from './lib/report.js';
import { seedNewsroom, type SeededNewsroom } from './lib/seed-newsroom.js';

const targets = { p50Ms: 50 } as const;

const args = parseAdminBenchArgs({
  stories: { default: 10_000, min: 200, max: 200_000 },
  audit: { default: 20_000, min: 0, max: 1_000_000 },
});
const { settings } = args;

/** The seeded newsroom as the results file records it: the admin's password left out. */
type RecordedNewsroom = Omit<SeededNewsroom, 'admin'> & { admin: { email: string } };

async function seed(kind: string, databaseUrl: string) {
  console.log(`[${kind}] seeding ${settings.stories} stories and ${settings.audit} audit rows…`);
  const seeded = await seedNewsroom(databaseUrl, { stories: settings.stories, audit: settings.audit });
  console.log(
    `[${kind}] seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ')}; ${seeded.headlinesWithHarbour} headlines say "harbour"`,
  );
  const recorded: RecordedNewsroom = { ...seeded, admin: { email: seeded.admin.email } };
  return { seeded: recorded, admin: seeded.admin };
}

function pagesFor(s: RecordedNewsroom): Page[] {
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

function report(runs: DatabaseRun<RecordedNewsroom>[]): { page: string; db: string; p50Ms: number; pass: boolean }[] {
  console.log('');
  console.log(
    `Each page: ${settings.seconds} s after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections, signed in as an admin; ` +
      `${settings.stories} stories, ${settings.audit} audit rows. autocannon, pipelining 1, one page at a time, 127.0.0.1, ` +
      (settings.pinned ? 'server pinned to CPU 1 and the load generator to CPU 0.' : 'no CPU pinning.'),
  );
  const columns = ['page', 'db', 'path', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB', 'status codes', 'server CPU', 'srv µs/req', 'db CPU', 'other CPU', 'verdict'] as const;
  printPageTable(runs, columns, targets.p50Ms);
  warnIfDisturbed(runs);
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

await runAdminPageBench({
  title: `admin pages benchmark: ${settings.stories} stories`,
  args,
  targets,
  pagesPerDatabase: 9,
  setupSeconds: 240,
  seed,
  pagesFor,
  log: { checkedPages: true, p99: false },
  report,
  resultsFile: 'admin-latest.json',
});
