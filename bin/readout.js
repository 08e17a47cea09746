#!/usr/bin/env node
// The `readout` command. Runs the built CLI (npm install builds it; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('readout: the CLI is not built yet. Run "npm run build" in the Readout folder first.');
  process.exit(1);
}
await import(cli.href);
