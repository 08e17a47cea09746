import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';
import { probeRedis, redisTestUrl, skipUnless } from '../harness/services.js';

/**
 * Comment post rate limits over HTTP (issue 4, point 3): per client IP and per email address,
 * 429 with Retry-After, the form re-rendered with the text kept, `off` lifting them; shared
 * between two app nodes through Redis, and failing open while Redis is away.
 */
const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const redisSkip = skipUnless(await probeRedis());

async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(redisTestUrl, { lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`comment rate limits on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    const clock = new FakeClock(new Date('2026-11-27T09:00:10Z').getTime());
    let n = 0;

    before(async () => {
      t = await createTestApp({ db: kind, clock, env: { READOUT_COMMENT_RATE_IP: '3/1m', READOUT_COMMENT_RATE_EMAIL: '2/1h' } });
      await useCommentSettings(t.deps, { rules: openDoorRules });
      storyId = (await buildStory(t.deps, { headline: 'Rate limits', slug: 'rate-limits' })).id;
    });
    after(() => t?.close());

    const post = (app: TestApp, o: { ip: string; email?: string; json?: boolean; comment?: string }) =>
      app.app.inject({
        method: 'POST',
        url: '/comments',
        remoteAddress: o.ip,
        headers: { ...formHeaders, ...(o.json ? { accept: 'application/json' } : {}) },
        payload: form({
          comment: o.comment ?? `Comment ${++n}`,
          author: 'Reader',
          email: o.email ?? `reader${n}-${randomBytes(3).toString('hex')}@example.org`,
          comment_post_ID: storyId,
          comment_parent: 0,
        }),
      });

    it('answers 429 with Retry-After past the per-IP limit, re-rendering the form with the text kept', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await post(t, { ip: '203.0.113.7' })).statusCode, 303);
      const res = await post(t, { ip: '203.0.113.7', comment: 'Hold <this> thought' });
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers['retry-after'], '50', 'the rest of the minute (the clock is at :10)');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /<textarea id="comment"[^>]*>Hold &lt;this&gt; thought<\/textarea>/);
      assert.match(res.body, /You are posting comments faster than this site allows. Please wait 50 seconds/);

      const json = await post(t, { ip: '203.0.113.7', json: true });
      assert.equal(json.statusCode, 429);
      assert.equal(json.headers['retry-after'], '50');
      assert.equal(json.json().error, 'COMMENT_RATE_LIMITED');

      // Another client is not affected; the same one may post again in the next window.
      assert.equal((await post(t, { ip: '198.51.100.9' })).statusCode, 303);
      clock.advance(50_000);
      assert.equal((await post(t, { ip: '203.0.113.7' })).statusCode, 303);
    });

    it('limits one email address across client addresses (case and spaces aside)', async () => {
      const email = `limited-${kind}@example.org`;
      assert.equal((await post(t, { ip: '192.0.2.1', email })).statusCode, 303);
      assert.equal((await post(t, { ip: '192.0.2.2', email: ` ${email.toUpperCase()}` })).statusCode, 303);
      const res = await post(t, { ip: '192.0.2.3', email, json: true });
      assert.equal(res.statusCode, 429);
      assert.ok(Number(res.headers['retry-after']) > 60, 'until the hour is over');
      assert.equal(res.json().error, 'COMMENT_RATE_LIMITED');
    });

    it('counts the client IP as resolved under TRUST_PROXY: X-Forwarded-For only from a named proxy', async () => {
      const viaProxy = (app: TestApp, forwardedFor: string) =>
        app.app.inject({
          method: 'POST',
          url: '/comments',
          remoteAddress: '127.0.0.1',
          headers: { ...formHeaders, 'x-forwarded-for': forwardedFor },
          payload: form({ comment: `Proxied ${++n}`, author: 'R', email: `proxied${n}@example.org`, comment_post_ID: storyId }),
        });
      // Not trusted: four readers "behind" 127.0.0.1 are one client to the limit.
      const untrusted = [];
      for (let i = 1; i <= 4; i++) untrusted.push((await viaProxy(t, `198.18.0.${i}`)).statusCode);
      assert.deepEqual(untrusted, [303, 303, 303, 429]);
      const proxied = await createTestApp({ db: kind, clock, database: t.database, env: { TRUST_PROXY: '127.0.0.1', READOUT_COMMENT_RATE_IP: '3/1m' } });
      try {
        const trusted = [];
        for (let i = 1; i <= 4; i++) trusted.push((await viaProxy(proxied, `198.18.1.${i}`)).statusCode);
        assert.deepEqual(trusted, [303, 303, 303, 303], 'four readers, each under the limit');
        for (let i = 0; i < 2; i++) await viaProxy(proxied, '198.18.1.1');
        assert.equal((await viaProxy(proxied, '198.18.1.1')).statusCode, 429);
      } finally {
        await proxied.close();
      }
    });

    it('never answers 429 with the limits off (as on a private test instance)', async () => {
      const open = await createTestApp({ db: kind, clock, database: t.database, env: { READOUT_COMMENT_RATE_IP: 'off', READOUT_COMMENT_RATE_EMAIL: 'off' } });
      try {
        for (let i = 0; i < 12; i++) assert.equal((await post(open, { ip: '203.0.113.50', email: 'chatty@example.org' })).statusCode, 303);
      } finally {
        await open.close();
      }
    });
  });

  describe(`rate limits shared through Redis by two app nodes on ${kind}`, { skip: skip || redisSkip }, () => {
    const prefix = `readout-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const clock = new FakeClock(new Date('2026-11-27T09:00:00Z').getTime());
    let a: TestApp;
    let b: TestApp;
    let storyId: number;
    const env = { REDIS_URL: redisTestUrl, READOUT_REDIS_PREFIX: prefix, READOUT_COMMENT_RATE_IP: '4/1m', READOUT_COMMENT_RATE_EMAIL: 'off' };

    before(async () => {
      a = await createTestApp({ db: kind, clock, env });
      b = await createTestApp({ db: kind, clock, env, database: a.database });
      await useCommentSettings(a.deps, { rules: openDoorRules });
      storyId = (await buildStory(a.deps, { headline: 'Shared limits' })).id;
    });
    after(async () => {
      await b?.close();
      await a?.close();
      await deleteKeys(prefix);
    });

    const post = (app: TestApp, ip: string) =>
      app.app.inject({
        method: 'POST',
        url: '/comments',
        remoteAddress: ip,
        headers: formHeaders,
        payload: form({ comment: `Shared ${randomBytes(4).toString('hex')}`, author: 'R', email: `${randomBytes(4).toString('hex')}@example.org`, comment_post_ID: storyId }),
      });

    it('counts posts to either node against one limit, under the configured key prefix', async () => {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await post(i % 2 === 0 ? a : b, '203.0.113.77')).statusCode);
      assert.deepEqual(statuses, [303, 303, 303, 303, 429, 429]);
      const redis = new Redis(redisTestUrl);
      try {
        const keys = await redis.keys(`${prefix}rl:comment-ip:*`);
        assert.equal(keys.length, 1);
        assert.equal(await redis.get(keys[0] as string), '6');
        assert.ok((await redis.pttl(keys[0] as string)) > 0, 'the window expires');
      } finally {
        redis.disconnect();
      }
    });

    it('fails open while Redis is unreachable: posts are counted in each process, never a 500', async () => {
      // A node whose Redis is a proxy we can take away.
      const proxy = await startProxy();
      const c = await createTestApp({ db: kind, clock, database: a.database, env: { ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
      try {
        assert.equal((await post(c, '203.0.113.88')).statusCode, 303);
        await proxy.close();
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await post(c, '203.0.113.88')).statusCode);
        // Redis's count (1) is gone with it; this process's own count takes over at once.
        assert.deepEqual(statuses, [303, 303, 303, 303, 429, 429]);
      } finally {
        await c.close();
        await proxy.close();
      }
    });
  });
}

/** A TCP proxy to the test Redis on a port of its own; close() cuts every connection and stops listening. */
async function startProxy(): Promise<{ port: number; close(): Promise<void> }> {
  const target = new URL(redisTestUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.hostname, port: Number(target.port || 6379) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
