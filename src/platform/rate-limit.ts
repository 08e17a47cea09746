/** A limit: at most `max` hits per `windowMs` for one key. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Whole seconds until the key may try again (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Counts hits per (bucket, key) in fixed windows. In one process it keeps counters in memory;
 * with REDIS_URL set, every app node shares them through Redis (see redis-rate-limiter.ts).
 */
export interface RateLimiter {
  /** Records one hit and says whether it is within the limit. `key` is already hashed or pseudonymous. */
  consume(bucket: string, key: string, limit: RateLimit, now: Date): Promise<RateLimitResult>;
  close(): Promise<void>;
}

/** Fixed-window counters in this process; expired windows are swept as the map grows. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; windowMs: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  consume(bucket: string, key: string, limit: RateLimit, now: Date): Promise<RateLimitResult> {
    const t = now.getTime();
    const id = `${bucket}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w || t >= w.start + w.windowMs) {
      if (this.windows.size >= this.maxKeys) this.sweep(t);
      w = { start: t - (t % limit.windowMs), count: 0, windowMs: limit.windowMs };
      this.windows.set(id, w);
    }
    w.count += 1;
    const allowed = w.count <= limit.max;
    return Promise.resolve({ allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((w.start + w.windowMs - t) / 1000)) });
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }

  private sweep(t: number): void {
    for (const [id, w] of this.windows) if (t >= w.start + w.windowMs) this.windows.delete(id);
    // Still full of live windows (a flood of distinct keys): drop the oldest half rather than grow.
    if (this.windows.size >= this.maxKeys) {
      let n = Math.floor(this.windows.size / 2);
      for (const id of this.windows.keys()) {
        if (n-- <= 0) break;
        this.windows.delete(id);
      }
    }
  }
}
