// Builds the browser assets into dist/public: the progressive-enhancement script (bundled and
// minified by esbuild) and the stylesheet.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'public');
fs.mkdirSync(out, { recursive: true });
for (const name of ['comments', 'admin']) {
  await build({
    entryPoints: [path.join(root, 'src', 'client', `${name}.ts`)],
    outfile: path.join(out, `${name}.js`),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}
for (const file of ['site.css', 'favicon.svg']) fs.copyFileSync(path.join(root, 'src', 'client', file), path.join(out, file));
