import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import type { Config } from './config/config.js';
import type { Store } from './db/database.js';
import type { OutboxEvent } from './platform/outbox.js';
import type { PageCache } from './platform/page-cache.js';
import type { RateLimiter } from './platform/rate-limit.js';

export interface Clock {
  now(): Date;
}

/** Everything the domain services and routes need, built once in main.ts (or the test harness). */
export interface Deps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  readonly pageCache: PageCache;
  /** Secret used to hash client IP addresses; stored in the settings table so every node shares it. */
  readonly ipSalt: string;
  /** Per-IP and per-address limits (in process, or shared through Redis when REDIS_URL is set). */
  readonly rateLimiter: RateLimiter;
  /** Called by services after a transaction that appended events has committed: in-process side effects (cache purge). */
  readonly onCommitted: (events: readonly OutboxEvent[]) => void;
  /**
   * Called by services inside a transaction, after appending its events: appends the follow-ups
   * those events lead to (reply notifications, webhook deliveries) in the same transaction and
   * resolves with them (pass them to onCommitted with the rest).
   */
  readonly deriveEvents: (trx: Kysely<Database>, events: readonly OutboxEvent[]) => Promise<OutboxEvent[]>;
}

/** Who is asking, and when: built by the HTTP handler, never the request object itself. */
export interface RequestContext {
  readonly now: Date;
  readonly ip: string;
  readonly userAgent: string;
  readonly requestId: string;
}

export const systemClock: Clock = { now: () => new Date() };
