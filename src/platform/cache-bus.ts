import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/** A purge one node made, as the others hear it: the outbox ids it came from and the keys it made stale. */
export interface AnnouncedPurge {
  readonly id: number;
  readonly keys: readonly string[];
}

/** What a node does with what another node announced. */
export interface BusListeners {
  /** Purge these pages (the ids are the outbox events they came from). */
  onPurge: (purges: readonly AnnouncedPurge[]) => void;
  /** Another node committed side effects (mail, webhooks, indexing) and runs no relay itself: drain soon. */
  onWake?: () => void;
}

/** How often a Redis failure is logged while it lasts. */
const warnEveryMs = 30_000;

/**
 * Carries page-cache purges between app nodes over Redis pub/sub (REDIS_URL), so a change made
 * on one node reaches every node's cache within milliseconds. Best effort by design: a message
 * lost while Redis is down is made up by each node's cache follower, which reads the outbox.
 */
export class RedisCacheBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  /** This process's id, so it ignores its own announcements. */
  private readonly node = randomUUID();
  private lastWarning = 0;

  constructor(
    private readonly options: { url: string; keyPrefix: string; log: FastifyBaseLogger } & BusListeners,
  ) {
    this.channel = `${options.keyPrefix}cache-purge`;
    const connection = { lazyConnect: true, connectTimeout: 2_000, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
    this.publisher = new Redis(options.url, { ...connection, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.subscriber = new Redis(options.url, connection);
    for (const redis of [this.publisher, this.subscriber]) redis.on('error', (error: Error) => this.warn(error));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
  }

  /** Connects and subscribes; a Redis that is down now is logged and retried in the background. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
      await this.subscriber.subscribe(this.channel);
    } catch (error) {
      this.warn(error as Error);
    }
  }

  /** Tells the other nodes what this node's commit made stale, and whether it left work for a relay. */
  announce(purges: readonly AnnouncedPurge[], wake = false): void {
    if (purges.length === 0 && !wake) return;
    this.publisher.publish(this.channel, JSON.stringify({ node: this.node, purges, ...(wake ? { wake } : {}) })).catch((error: Error) => this.warn(error));
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher, this.subscriber].map((r) => (r.status === 'end' ? undefined : r.quit().catch(() => r.disconnect()))));
  }

  private receive(message: string): void {
    try {
      const parsed = JSON.parse(message) as { node?: unknown; purges?: unknown; wake?: unknown };
      if (parsed.node === this.node || !Array.isArray(parsed.purges)) return;
      const purges = parsed.purges.filter(
        (p): p is AnnouncedPurge =>
          typeof p === 'object' && p !== null && Number.isInteger(p.id) && Array.isArray(p.keys) && p.keys.every((k: unknown) => typeof k === 'string'),
      );
      if (purges.length > 0) this.options.onPurge(purges);
      if (parsed.wake === true) this.options.onWake?.();
    } catch (error) {
      this.options.log.warn({ err: { message: (error as Error).message } }, 'cache bus: ignored a malformed message');
    }
  }

  private warn(error: Error): void {
    const t = Date.now();
    if (t - this.lastWarning < warnEveryMs) return;
    this.lastWarning = t;
    this.options.log.warn({ err: { message: error.message } }, 'Redis unavailable for cache purges: other nodes catch up from the outbox');
  }
}
