import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';
import { freePort, httpRequest, ServerProcess } from '../harness/server-process.js';
import { probeRedis, redisTestUrl, skipUnless } from '../harness/services.js';

/**
 * Issue 4, point 8: the comment rate limit holds across two real app processes sharing one
 * database and one Redis (REDIS_URL), posts going to either process in turn.
 */
const storyPath = '/stories/harbour-authority-and-dockworkers-agree-to-resume-talks';
const redisSkip = skipUnless(await probeRedis());

for (const { kind, skip } of await databaseMatrix()) {
  describe(`comment rate limit across two server processes sharing Redis on ${kind}`, { skip: skip || redisSkip }, () => {
    const prefix = `readout-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
    let database: TestDatabase | undefined;
    const servers: ServerProcess[] = [];

    after(async () => {
      for (const server of servers) await server.kill('SIGKILL').catch(() => {});
      await database?.drop();
      const redis = new Redis(redisTestUrl);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    it('refuses the fifth post with 429 whichever process gets it', { timeout: 90_000 }, async () => {
      database = await createTestDatabase(kind);
      // A day's window, so the test never straddles two windows (it takes a second or two).
      const env = { REDIS_URL: redisTestUrl, READOUT_REDIS_PREFIX: prefix, READOUT_COMMENT_RATE_IP: '4/1d', READOUT_COMMENT_RATE_EMAIL: 'off' };
      // One after the other: the first migrates and seeds the sample story.
      const a = await ServerProcess.start({ databaseUrl: database.url, port: await freePort(), env });
      servers.push(a);
      const b = await ServerProcess.start({ databaseUrl: database.url, port: await freePort(), env });
      servers.push(b);

      const page = await httpRequest({ port: a.port, path: storyPath });
      assert.equal(page.status, 200);
      const storyId = Number(/name="comment_post_ID" value="(\d+)"/.exec(page.body)?.[1]);
      assert.ok(storyId > 0);
      // A form token from one process is good on the other (they share the site's secret).
      const token = (JSON.parse((await httpRequest({ port: a.port, path: '/comments/form-token' })).body) as { token: string }).token;

      const results: { server: string; status: number; retryAfter: string | undefined }[] = [];
      for (let i = 0; i < 6; i++) {
        const server = i % 2 === 0 ? a : b;
        const res = await httpRequest({
          port: server.port,
          path: '/comments',
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
          body: new URLSearchParams({
            comment: `Shared limit ${i} on ${kind}`,
            author: 'Reader',
            email: `reader${i}@example.org`,
            comment_post_ID: String(storyId),
            comment_parent: '0',
            readout_form_token: token,
          }).toString(),
        });
        results.push({ server: server === a ? 'a' : 'b', status: res.status, retryAfter: res.headers['retry-after'] as string | undefined });
      }
      assert.deepEqual(
        results.map((r) => `${r.server}:${r.status}`),
        ['a:303', 'b:303', 'a:303', 'b:303', 'a:429', 'b:429'],
      );
      for (const r of results.slice(4)) assert.ok(Number(r.retryAfter) > 0, 'Retry-After in seconds');

      const redis = new Redis(redisTestUrl);
      try {
        const keys = await redis.keys(`${prefix}rl:comment-ip:*`);
        assert.equal(keys.length, 1, 'one shared counter for the client');
        assert.equal(await redis.get(keys[0] as string), '6');
      } finally {
        redis.disconnect();
      }
    });
  });
}
