// `npm run bench`: the story page, story render (cache miss), cluster (READOUT_WORKERS), admin pages, comment pages,
// moderation queue and search benchmarks, one after the other
// (never at once: each wants the CPUs to itself). Flags all understand are passed to all:
// --pg | --no-pg, --no-pin, --server=auto|dist|src, --quiet-wait=N. For other options run one
// benchmark directly, e.g. node --import tsx bench/admin-pages.bench.ts --seconds=10.
// Exits with the worst exit code (1 when a benchmark could not measure; a missed target is 0 and FAIL).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchmarks = [
  'bench/story-page.bench.ts',
  'bench/story-render.bench.ts',
  'bench/cluster.bench.ts',
  'bench/admin-pages.bench.ts',
  'bench/comment-pages.bench.ts',
  'bench/moderation-queue.bench.ts',
  'bench/search.bench.ts',
];

let forwarded: string[];
try {
  const { values } = parseArgs({
    options: {
      pg: { type: 'boolean', default: false },
      'no-pg': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      server: { type: 'string' },
      'quiet-wait': { type: 'string' },
    },
    strict: true,
  });
  forwarded = [
    ...(values.pg ? ['--pg'] : []),
    ...(values['no-pg'] ? ['--no-pg'] : []),
    ...(values['no-pin'] ? ['--no-pin'] : []),
    ...(values.server !== undefined ? [`--server=${values.server}`] : []),
    ...(values['quiet-wait'] !== undefined ? [`--quiet-wait=${values['quiet-wait']}`] : []),
  ];
} catch (error) {
  console.error(`${(error as Error).message}\nnpm run bench passes only --pg, --no-pg, --no-pin, --server and --quiet-wait; run ${benchmarks.join(' or ')} directly for the others.`);
  process.exit(2);
}

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, file), ...forwarded], { cwd: root, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
    child.once('error', (error) => {
      console.error(`${file} could not be started: ${error.message}`);
      resolve(1);
    });
  });
}

let worst = 0;
for (const file of benchmarks) {
  console.log(`\n===== ${file} =====`);
  worst = Math.max(worst, await run(file));
}
process.exit(worst);
