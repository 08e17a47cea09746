import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { MemoryRateLimiter, type RateLimit, type RateLimiter, type RateLimitResult } from './rate-limit.js';

/**
 * One fixed window per key: the key names the window (its start), so INCR creates it and the
 * first hit sets its expiry. Atomic on the Redis server, so every app node counts in one place.
 */
const consumeScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** How often a Redis failure is logged while it lasts. */
const warnEveryMs = 30_000;

export interface RedisRateLimiterOptions {
  url: string;
  /** Keys become `${keyPrefix}rl:${bucket}:${key}:${windowStart}`. */
  keyPrefix: string;
  log: FastifyBaseLogger;
  /** Longest wait for one answer before falling back to this process's counters. */
  commandTimeoutMs?: number;
}

/**
 * Rate limits shared by every app node through Redis (REDIS_URL). Fails open: while Redis is
 * unreachable or slow, each node counts in its own memory (a warning is logged) rather than
 * refusing or failing a reader's request.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback = new MemoryRateLimiter();
  private readonly prefix: string;
  private readonly log: FastifyBaseLogger;
  private lastWarning = 0;

  constructor(options: RedisRateLimiterOptions) {
    this.prefix = `${options.keyPrefix}rl:`;
    this.log = options.log;
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail fast instead of queueing commands while disconnected: the fallback answers instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.redis.defineCommand('readoutConsume', { numberOfKeys: 1, lua: consumeScript });
    this.redis.on('error', (error: Error) => this.warn(error));
  }

  /** Connects once; a Redis that is down now is logged and retried in the background (fail open). */
  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.warn(error as Error);
    }
  }

  async consume(bucket: string, key: string, limit: RateLimit, now: Date): Promise<RateLimitResult> {
    const t = now.getTime();
    const start = t - (t % limit.windowMs);
    const remainingMs = start + limit.windowMs - t;
    try {
      const redis = this.redis as Redis & { readoutConsume(key: string, ttlMs: number): Promise<number> };
      // The expiry outlives the window by a little, so clocks a second apart on two nodes still agree.
      const count = await redis.readoutConsume(`${this.prefix}${bucket}:${key}:${start}`, remainingMs + 5_000);
      const allowed = count <= limit.max;
      return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(remainingMs / 1000)) };
    } catch (error) {
      this.warn(error as Error);
      return this.fallback.consume(bucket, key, limit, now);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(error: Error): void {
    const t = Date.now();
    if (t - this.lastWarning < warnEveryMs) return;
    this.lastWarning = t;
    this.log.warn({ err: { message: error.message } }, 'Redis unavailable for rate limits: counting in this process until it is back');
  }
}
