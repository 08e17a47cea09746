import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** A port nothing listens on (found by listening and closing). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Redis rate limiter without Redis', () => {
  it('fails open to counting in this process, with one logged warning', async () => {
    const warnings: string[] = [];
    const log = { warn: (_o: unknown, message: string) => warnings.push(message) } as unknown as FastifyBaseLogger;
    const limiter = new RedisRateLimiter({ url: `redis://127.0.0.1:${await deadPort()}`, keyPrefix: 'readout-unit:', log, commandTimeoutMs: 200 });
    try {
      await limiter.connect();
      const now = new Date('2026-11-27T09:00:30Z');
      const limit = { max: 2, windowMs: 60_000 };
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await limiter.consume('comment-ip', 'k', limit, now));
      assert.deepEqual(results, [
        { allowed: true, retryAfterSeconds: 0 },
        { allowed: true, retryAfterSeconds: 0 },
        { allowed: false, retryAfterSeconds: 30 },
      ]);
      assert.equal(warnings.length, 1, 'warned once, not on every request');
      assert.match(warnings[0] ?? '', /Redis unavailable for rate limits/);
    } finally {
      await limiter.close();
    }
  });
});
