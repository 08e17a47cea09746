import fs from 'node:fs';
import BetterSqlite from 'better-sqlite3';
const stats = new Map<string, { n: number; ms: number }>();
let measuring = false;
const origPrepare = (BetterSqlite as any).prototype.prepare;
(BetterSqlite as any).prototype.prepare = function (sql: string) {
  const st = origPrepare.call(this, sql);
  for (const m of ['all', 'get', 'run', 'iterate']) {
    const f = st[m];
    if (typeof f !== 'function') continue;
    st[m] = function (...args: unknown[]) {
      const t = performance.now();
      try { return f.apply(st, args); } finally { if (measuring) { const e = stats.get(sql) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; stats.set(sql, e); } }
    };
  }
  return st;
};
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { boot } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { buildStory } from '../../test/builders/stories.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const config = loadConfig({ DATABASE_URL: `sqlite:${dir}/db.sqlite`, PUBLIC_URL: 'http://127.0.0.1', READOUT_LOG_LEVEL: 'silent', READOUT_DATA_DIR: dir, READOUT_COMMENT_RATE_IP: 'off', READOUT_COMMENT_RATE_EMAIL: 'off' });
const runtime = await boot(config, { log: createLogger('silent'), seed: false, jobs: false });
const app = await buildApp(runtime.deps, { siteName: runtime.siteName });
const story = await buildStory(runtime.deps, {});
const { useCommentSettings, openDoorRules } = await import('../../test/harness/comment-settings.js');
if (process.argv[3] === 'open') await useCommentSettings(runtime.deps, { rules: openDoorRules });
const tokenRes = await app.inject({ url: '/comments/form-token' });
const token = JSON.parse(tokenRes.body).token ?? JSON.parse(tokenRes.body).value;
console.log('token body', tokenRes.body.slice(0, 80));
await new Promise((r) => setTimeout(r, 4000));
const n = Number(process.argv[2] ?? 2000);
const names = ['Marta K.', 'harbourwatcher', 'Jon Ellis', 'Priya'];
measuring = process.argv[4] !== 'cpu';
const inspector = await import('node:inspector/promises');
const session = new inspector.Session();
if (process.argv[4] === 'cpu') { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const body = new URLSearchParams({ comment: `Comment number ${i} about the harbour talks and the ferry.`, author: names[i % 4]!, email: `r${i % 4}@example.org`, url: '', comment_post_ID: String((story as { id: number }).id), comment_parent: '0', readout_form_token: token, readout_hp: '' });
  const res = await app.inject({ method: 'POST', url: '/comments', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1' }, payload: body.toString() });
  if (res.statusCode !== 303) { console.log(res.statusCode, res.body.slice(0, 300)); break; }
}
const ms = performance.now() - t0;
if (process.argv[4] === 'cpu') { const { profile } = await session.post('Profiler.stop'); fs.writeFileSync('/tmp/post-loop.cpuprofile', JSON.stringify(profile)); }
console.log(`${n} posts: ${(ms / n).toFixed(3)} ms each`);
measuring = false;
for (const [sql, e] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`${(e.ms / n * 1000).toFixed(0).padStart(6)} µs/post  ${String(e.n / n).padStart(4)}×  ${sql.slice(0, 150)}`);
await app.close();
await runtime.close();
