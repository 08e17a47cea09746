// `npm test`: builds the app (the server tests load its built assets), then runs every test file
// (src/**/*.test.ts, test/**/*.test.ts) with Node's test runner. Suites that need PostgreSQL or
// Chromium skip themselves with a one-line reason when those are missing, except under CI=true.
// Extra arguments are passed to the runner, e.g. `npm test -- --test-name-pattern=threads`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))].sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...args, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: process.env.TZ ?? 'America/New_York' } },
);
process.exit(result.status ?? 1);
