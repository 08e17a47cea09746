// Runs `npm run build` when dist/ is missing or older than any source file, so `npm start` always serves current code.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'dist', 'public', 'comments.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

// Built means both halves are newer than the sources: the server (tsc) and the browser assets.
const buildInfo = path.join(root, 'dist', '.tsbuildinfo');
const built =
  fs.existsSync(marker) && fs.existsSync(buildInfo) && fs.existsSync(path.join(root, 'dist', 'main.js'))
    ? Math.min(fs.statSync(marker).mtimeMs, fs.statSync(buildInfo).mtimeMs)
    : 0;
if (built === 0 || newestMtime(path.join(root, 'src')) > built) {
  console.log('Building Readout…');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
