import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { emailKey } from '../../src/lib/email-key.js';
import { commandLineActor, createApiToken, createStaffMember } from '../../src/modules/people/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';
import { freePort, httpRequest, ServerProcess } from '../harness/server-process.js';
import { eventually } from '../harness/wait.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string | number>) => new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
/** Distinctive enough that no page could contain it by chance. */
const email = 'Zelda.Sweep-7731@Privacy-Probe.example';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`no commenter email on any public page or API response on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ db: kind });
      await useCommentSettings(t.deps, { rules: openDoorRules });
    });
    after(() => t?.close());

    it('never shows the address (or its key) on pages, listings, permalinks, privacy pages or the API', async () => {
      const story = await buildStory(t.deps, { headline: 'Sweep story', slug: 'sweep-story', section: 'City', tags: ['Harbour'], authors: ['Jane Sweeper'] });
      const post = (fields: Record<string, string | number>, accept = 'text/html') =>
        t.app.inject({ method: 'POST', url: '/comments', headers: { ...formHeaders, accept }, payload: form({ author: 'Zelda', email, url: '', comment_post_ID: story.id, comment_parent: 0, ...fields }) });
      const first = await post({ comment: 'Top-level comment by Zelda' });
      assert.equal(first.statusCode, 303, first.body);
      const topId = Number(String(first.headers.location).split('-').pop());
      const reply = await post({ comment: 'A reply by Zelda', comment_parent: topId }, 'application/json');
      assert.equal(reply.statusCode, 201, reply.body);
      const replyId = reply.json().id as number;
      const key = emailKey(t.deps.ipSalt, email);

      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Author Person', email: 'author.person@newsroom.example', role: 'author', password: 'lantern harbour tide 12' });
      const token = (await createApiToken(t.deps, { personId: person.id, name: person.name, role: 'author' }, { name: 'sweep' })).secret;

      const responses: { url: string; body: string; headers: string }[] = [
        { url: 'POST /comments (html)', body: first.body, headers: JSON.stringify(first.headers) },
        { url: 'POST /comments (json)', body: reply.body, headers: JSON.stringify(reply.headers) },
      ];
      const fetch = async (url: string, headers: Record<string, string> = {}) => {
        const res = await t.app.inject({ url, headers });
        responses.push({ url, body: res.body, headers: JSON.stringify(res.headers) });
        return res;
      };
      const page = await fetch('/stories/sweep-story');
      assert.match(page.body, /Top-level comment by Zelda/);
      assert.match(page.body, /A reply by Zelda/);
      const links = new Set([...page.body.matchAll(/href="(\/[^"#]*)/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&')));
      for (const url of [
        '/',
        `/stories/sweep-story?replytocom=${topId}`,
        `/comment/${topId}`,
        `/comment/${replyId}`,
        '/corrections',
        '/privacy/comments',
        ...[...links].filter((l) => /^\/(sections|tags|authors|stories|comment)\//.test(l)),
        // Feeds (every comment feed and the story feeds), sitemaps and search: issue 5.
        ...['rss.xml', 'atom.xml', 'feed.json'].flatMap((f) => [`/feed/${f}`, `/comments/feed/${f}`, `/stories/sweep-story/comments/feed/${f}`, `/sections/city/feed/${f}`]),
        '/sitemap.xml',
        '/sitemaps/stories-1.xml',
        '/sitemaps/news.xml',
        '/robots.txt',
        '/search?q=Zelda',
        '/search?q=sweep',
      ]) {
        const res = await fetch(url);
        assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
        if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) await fetch(String(res.headers.location).replace(testPublicUrl, ''));
      }
      // The sweep reads the comments themselves in the feeds, and the commenter's name in search.
      for (const url of ['/comments/feed/atom.xml', '/stories/sweep-story/comments/feed/feed.json']) {
        assert.match(responses.find((r) => r.url === url)?.body ?? '', /A reply by Zelda/, url);
      }
      // The author's own held comment, shown to their browser alone (uncached JSON with its HTML).
      const held = await post({ comment: 'A held comment by Zelda' });
      const heldId = Number(String(held.headers.location).split('-').pop());
      await t.deps.store.db.updateTable('comments').set({ status: 'pending' }).where('id', '=', heldId).execute();
      const cookies = [held.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0] as string);
      const owner = cookies.find((c) => c.startsWith('readout_owner=')) ?? '';
      const mine = await fetch(`/comments/mine?story=${story.id}`, { cookie: cookies.join('; ') });
      assert.ok(owner, 'the post set the owner cookie');
      assert.equal(mine.json().held.length, 1, 'the held comment is shown to its author');
      for (const avatar of new Set([...page.body.matchAll(/src="(\/avatars\/[^"]+)"/g)].map((m) => m[1] as string))) await fetch(avatar);
      const privacyAnswer = await t.app.inject({ method: 'POST', url: '/privacy/comments', headers: formHeaders, payload: form({ email }) });
      responses.push({ url: 'POST /privacy/comments', body: privacyAnswer.body, headers: JSON.stringify(privacyAnswer.headers) });

      // The API as a non-moderator: every GET path of its own description, ids filled with the story's.
      const auth = { authorization: `Bearer ${token}` };
      const spec = (await fetch('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
      for (const [p, methods] of Object.entries(spec.paths)) {
        if (!('get' in methods)) continue;
        const res = await fetch(p.replace(/^\/api/, '/api').replace(/\{[^}]+\}/g, String(story.id)), auth);
        assert.ok(res.statusCode < 500, `${p}: ${res.statusCode}`);
      }

      assert.ok(responses.length >= 15, `swept ${responses.length} responses`);
      for (const r of responses) {
        const text = `${r.headers}\n${r.body}`.toLowerCase();
        assert.ok(!text.includes(email.toLowerCase()), `${r.url} shows the commenter's address`);
        assert.ok(!text.includes('privacy-probe.example'), `${r.url} shows the address's domain`);
        assert.ok(!text.includes(key.toLowerCase()), `${r.url} shows the address's key`);
      }
    });
  });

  describe(`no commenter email in the server's log on ${kind}`, { skip }, () => {
    let database: TestDatabase;
    let server: ServerProcess | undefined;
    let dataDir: string;
    before(async () => {
      database = await createTestDatabase(kind);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-privacy-log-'));
    });
    after(async () => {
      await server?.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    });

    it('logs a comment post and a privacy request at info level without the address', async () => {
      const port = await freePort();
      server = await ServerProcess.start({ databaseUrl: database.url, port, env: { READOUT_LOG_LEVEL: 'info', READOUT_DATA_DIR: dataDir } });
      const origin = `http://127.0.0.1:${port}`;
      const front = await httpRequest({ port, path: '/' });
      const storyPath = /href="(\/stories\/[^"#?]+)"/.exec(front.body)?.[1];
      assert.ok(storyPath, 'the sample story is linked from the front page');
      const story = await httpRequest({ port, path: storyPath });
      const commentForm = /<form action="\/comments"[\s\S]*?<\/form>/.exec(story.body)?.[0] ?? '';
      const hidden = Object.fromEntries([...commentForm.matchAll(/<input type="hidden" name="([^"]+)"[^>]*value="([^"]*)"|<input type="hidden"[^>]*value="([^"]*)"[^>]*name="([^"]+)"/g)].map((m) => (m[1] ? [m[1], m[2] ?? ''] : [m[4] ?? '', m[3] ?? ''])));
      assert.ok(hidden.comment_post_ID, 'the comment form names its story');
      const headers = { 'content-type': 'application/x-www-form-urlencoded', origin };
      const posted = await httpRequest({ port, path: '/comments', method: 'POST', headers, body: form({ ...hidden, comment: 'Logged comment', author: 'Zelda', email, url: '' }) });
      assert.ok(posted.status === 303 || posted.status === 422, `comment post: ${posted.status}`);
      const bad = await httpRequest({ port, path: '/comments', method: 'POST', headers, body: form({ ...hidden, comment: '', author: 'Zelda', email }) });
      assert.equal(bad.status, 422);
      const privacy = await httpRequest({ port, path: '/privacy/comments', method: 'POST', headers, body: form({ email }) });
      assert.equal(privacy.status, 200);
      if (posted.status === 303) {
        // The relay sends the privacy link: its "mail sent" line is in the log too.
        await eventually(async () => server!.recentOutput().includes('"purpose":"privacy-link"'), 10_000);
      }
      const output = server.recentOutput();
      assert.ok(output.length > 0, 'the server logged something');
      assert.ok(!output.toLowerCase().includes(email.toLowerCase()), `the log holds the address:\n${output}`);
      assert.ok(!output.toLowerCase().includes('privacy-probe.example'), 'the log holds the address domain');
    });
  });
}
