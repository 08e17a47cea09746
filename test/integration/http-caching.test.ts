import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { pageCacheFastPath } from '../../src/http/cached-response.js';
import { approveComment } from '../../src/modules/comments/index.js';
import { storedPage } from '../../src/platform/page-cache.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';
import { probeRedis, redisTestUrl, skipUnless } from '../harness/services.js';
import { eventually } from '../harness/wait.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose answer is read as bytes, not decompressed. */
function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(t: TestApp): Promise<number> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as AddressInfo).port;
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`HTTP caching of public pages on ${kind}`, { skip }, () => {
    const clock = new FakeClock();
    let t: TestApp;
    let port: number;
    before(async () => {
      t = await createTestApp({ db: kind, clock, followIntervalMs: 3_600_000, env: { READOUT_CACHE_SHARED_MAX_AGE: '300', READOUT_CACHE_STALE_SECONDS: '45' } });
      await useCommentSettings(t.deps, { rules: openDoorRules });
      port = await listen(t);
    });
    after(() => t?.close());

    it('stores a page once with its gzip and brotli forms and serves the form each client accepts', async () => {
      const story = await buildStory(t.deps, { slug: 'precompressed', body: 'According to a readout posted on Telegram. '.repeat(100) });
      // A miss is answered at once, compressed with the fastest setting under an ETag of its own;
      // the stored forms follow in the background and replace it.
      const miss = await raw(port, '/stories/precompressed', { headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(miss.headers['content-encoding'], 'br');
      assert.match(String(miss.headers.etag), /-br-fast"$/);
      await t.deps.pageCache.settled();
      const plain = await raw(port, '/stories/precompressed');
      assert.equal(plain.status, 200);
      assert.deepEqual(zlib.brotliDecompressSync(miss.body), plain.body);
      assert.equal(String(miss.headers.etag), `${String(plain.headers.etag).slice(0, -1)}-br-fast"`);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers.vary, 'Accept-Encoding');
      assert.equal(plain.headers['cache-control'], 'public, max-age=0, s-maxage=300, stale-while-revalidate=45, stale-if-error=86400');
      assert.ok(String(plain.headers['surrogate-key']).split(' ').includes(`story:${story.id}`));
      assert.ok(Date.parse(String(plain.headers['last-modified'])) <= Date.now());
      assert.match(String(plain.headers['content-security-policy']), /default-src 'self'/);

      const br = await raw(port, '/stories/precompressed', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(Number(br.headers['content-length']), br.body.length);
      assert.deepEqual(zlib.brotliDecompressSync(br.body), plain.body);
      assert.ok(br.body.length < plain.body.length / 3);
      assert.notEqual(br.headers.etag, plain.headers.etag);
      assert.notEqual(br.headers.etag, miss.headers.etag);
      // The fast form's ETag is gone with it: revalidating it gets the stored form.
      assert.equal((await raw(port, '/stories/precompressed', { headers: { 'accept-encoding': 'br', 'if-none-match': String(miss.headers.etag) } })).status, 200);
      // Served before routing, it still carries every security header.
      for (const header of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) assert.ok(br.headers[header], header);

      const gz = await raw(port, '/stories/precompressed', { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.deepEqual(zlib.gunzipSync(gz.body), plain.body);

      const head = await raw(port, '/stories/precompressed', { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers.etag, br.headers.etag);
    });

    it('answers 304 to If-None-Match with any stored form and to If-Modified-Since', async () => {
      await buildStory(t.deps, { slug: 'revalidated' });
      await raw(port, '/stories/revalidated');
      await t.deps.pageCache.settled();
      const first = await raw(port, '/stories/revalidated', { headers: { 'accept-encoding': 'br' } });
      assert.equal(first.headers['content-encoding'], 'br');
      const etag = String(first.headers.etag);
      const again = await raw(port, '/stories/revalidated', { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      // A CDN that holds the gzip form revalidates with that one.
      const cross = await raw(port, '/stories/revalidated', { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      assert.equal(cross.status, 304);
      const since = await raw(port, '/stories/revalidated', { headers: { 'if-modified-since': String(first.headers['last-modified']) } });
      assert.equal(since.status, 304);
      const older = new Date(Date.parse(String(first.headers['last-modified'])) - 1000).toUTCString();
      assert.equal((await raw(port, '/stories/revalidated', { headers: { 'if-modified-since': older } })).status, 200);
      // The same through the router (a query string the cache does not key on goes there).
      const routed = await t.app.inject({ url: '/stories/revalidated?utm_source=feed', headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
      assert.equal(routed.statusCode, 304);
    });

    it('renders a page once for every reader who misses it at the same moment', async () => {
      await buildStory(t.deps, { slug: 'thundering-herd' });
      let renders = 0;
      const render = async () => {
        renders++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return storedPage('<p>herd</p>', ['story:herd'], t.deps.pageCache.policy);
      };
      const pages = await Promise.all(Array.from({ length: 20 }, () => t.deps.pageCache.fill('/herd', render)));
      assert.equal(renders, 1);
      assert.ok(pages.every((p) => p === pages[0]));
    });

    it('serves hits before routing and leaves misses, other methods and per-visitor addresses to the app', async () => {
      await buildStory(t.deps, { slug: 'fast-path' });
      await t.app.inject({ url: '/stories/fast-path' });
      const fast = pageCacheFastPath(t.deps);
      const server = http.createServer((req, res) => {
        if (!fast(req, res)) res.writeHead(599).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const only = (server.address() as AddressInfo).port;
      try {
        assert.equal((await raw(only, '/stories/fast-path')).status, 200);
        assert.equal((await raw(only, '/stories/never-rendered')).status, 599);
        assert.equal((await raw(only, '/stories/fast-path?replytocom=1')).status, 599);
        assert.equal((await raw(only, '/stories/fast-path', { method: 'POST' })).status, 599);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('a change to a comment reaches the cached page at once, in every form', async () => {
      const story = await buildStory(t.deps, { slug: 'changing', body: 'Long enough to compress. '.repeat(50) });
      await raw(port, '/stories/changing');
      await t.deps.pageCache.settled();
      const before = await raw(port, '/stories/changing', { headers: { 'accept-encoding': 'br' } });
      await buildComment(t.deps, { storyId: story.id, comment: 'A reader writes from the harbour.' });
      await raw(port, '/stories/changing');
      await t.deps.pageCache.settled();
      const after = await raw(port, '/stories/changing', { headers: { 'accept-encoding': 'br', 'if-none-match': String(before.headers.etag) } });
      assert.equal(after.status, 200);
      assert.match(zlib.brotliDecompressSync(after.body).toString(), /A reader writes from the harbour\./);
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  const redisSkip = skip || skipUnless(await probeRedis());
  describe(`page cache purges across nodes through Redis on ${kind}`, { skip: redisSkip }, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    const env = { REDIS_URL: redisTestUrl, READOUT_REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}:` };
    before(async () => {
      // The outbox followers would catch up within the hour: anything sooner came through Redis.
      nodeA = await createTestApp({ db: kind, env, followIntervalMs: 3_600_000 });
      nodeB = await createTestApp({ db: kind, env, database: nodeA.database, followIntervalMs: 3_600_000 });
      await useCommentSettings(nodeA.deps, { rules: openDoorRules });
    });
    after(async () => {
      await nodeB?.close();
      await nodeA?.close();
    });

    it("a comment stored on one node purges the other node's cached story page within moments", async () => {
      const story = await buildStory(nodeA.deps, { slug: 'two-nodes' });
      // The story's own purge may still be on its way to node B and void the first render.
      await eventually(async () => {
        await nodeB.app.inject({ url: '/stories/two-nodes' });
        return nodeB.deps.pageCache.get('/stories/two-nodes') !== undefined;
      }, 2_000);
      await buildComment(nodeA.deps, { storyId: story.id, comment: 'Seen on node B at once' });
      await eventually(async () => nodeB.deps.pageCache.get('/stories/two-nodes') === undefined, 2_000);
      assert.match((await nodeB.app.inject({ url: '/stories/two-nodes' })).body, /Seen on node B at once/);
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`CDN purge hook through the outbox on ${kind}`, { skip }, () => {
    const clock = new FakeClock(Date.now());
    let t: TestApp;
    let cdn: http.Server;
    let answer = 200;
    const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    before(async () => {
      cdn = http.createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
          res.writeHead(answer).end();
        });
      });
      await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
      const cdnPort = (cdn.address() as AddressInfo).port;
      t = await createTestApp({
        db: kind,
        clock,
        env: { READOUT_PURGE_URL: `http://127.0.0.1:${cdnPort}/purge?keys={keys}`, READOUT_PURGE_HEADER: 'Fastly-Key: test-secret' },
      });
    });
    after(async () => {
      await t?.close();
      await new Promise((resolve) => cdn?.close(resolve));
    });

    it('tells the CDN which surrogate keys a change made stale, after commit, with retries', async () => {
      const story = await buildStory(t.deps, { slug: 'purged-at-the-edge' });
      await t.runtime.relay.drain();
      const purge = received.find((r) => r.url.includes(encodeURIComponent(`story:${story.id}`)));
      assert.ok(purge, 'the CDN was called');
      assert.equal(purge.method, 'POST');
      assert.equal(purge.headers['fastly-key'], 'test-secret');
      assert.equal(purge.headers['surrogate-key'], `story:${story.id} front lists`);
      assert.deepEqual(JSON.parse(purge.body), { keys: [`story:${story.id}`, 'front', 'lists'] });

      // The CDN fails: the row stays for a retry with back-off, then goes through.
      answer = 503;
      received.length = 0;
      const second = await buildStory(t.deps, { slug: 'purge-retried' });
      await t.runtime.relay.drain();
      assert.equal(received.length, 1);
      const row = await t.deps.store.db.selectFrom('outbox').select(['attempts', 'last_error', 'handled_at']).where('topic', '=', 'story.saved').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(row.attempts, 1);
      assert.equal(row.handled_at, null);
      assert.match(String(row.last_error), /HTTP 503/);
      answer = 204;
      clock.advance(60_000);
      await t.runtime.relay.drain();
      assert.ok(received.some((r) => answer === 204 && r.url.includes(encodeURIComponent(`story:${second.id}`))));
      const done = await t.deps.store.db.selectFrom('outbox').select('handled_at').where('topic', '=', 'story.saved').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.ok(done.handled_at);
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`one moderation decision reaches every cached page that shows it on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ db: kind, followIntervalMs: 3_600_000 });
      await useCommentSettings(t.deps); // the defaults: a first-time commenter is held
    });
    after(() => t?.close());

    it('approving a held comment changes the story page, both comment feeds and the front page count; nothing else', async () => {
      const story = await buildStory(t.deps, { slug: 'moderated-story', headline: 'Moderated story' });
      await buildStory(t.deps, { slug: 'bystander', headline: 'Bystander' });
      const held = await buildComment(t.deps, { storyId: story.id, comment: 'Held until a moderator looks', email: 'first@example.org' });
      assert.equal(held.status, 'pending');
      const urls = ['/stories/moderated-story', '/stories/moderated-story/comments/feed/atom.xml', '/comments/feed/rss.xml', '/', '/stories/bystander'];
      const before = new Map<string, string>();
      for (const url of urls) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 200, url);
        assert.doesNotMatch(res.body, /Held until a moderator looks/, url);
        before.set(url, String(res.headers.etag));
      }
      assert.match((await t.app.inject({ url: '/' })).body, /0 comments/);
      // Cached now: the same ETag again.
      for (const url of urls) assert.equal(String((await t.app.inject({ url })).headers.etag), before.get(url), `${url} was cached`);

      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Moderator', email: 'mod@example.org', role: 'moderator', password: 'tide clock harbour 41' });
      await approveComment(t.deps, { personId: person.id, name: person.name, role: 'moderator' }, held.id);

      for (const url of urls.slice(0, 3)) {
        const res = await t.app.inject({ url });
        assert.notEqual(String(res.headers.etag), before.get(url), `${url} changed`);
        assert.match(res.body, /Held until a moderator looks/, url);
      }
      const front = await t.app.inject({ url: '/' });
      assert.notEqual(String(front.headers.etag), before.get('/'));
      assert.match(front.body, /1 comment\b/);
      assert.ok(t.deps.pageCache.get('/stories/bystander'), 'a page that does not show the comment stays cached');
    });
  });
}
