import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PageCache } from '../platform/page-cache.js';
import { findLastEventId, listEventIdsAfter, listEventsById, type OutboxEvent } from '../platform/outbox.js';
import { PeriodicTask } from './periodic.js';
import { cacheKeysForEvent } from './purge-cache.js';

/** How long a hole in the id sequence may stay open (a PostgreSQL transaction still in flight) before it is skipped. */
const gapTimeoutMs = 10_000;

/**
 * Tails the outbox and purges the pages each event affects, so a change made by another
 * process (another app node, or the CLI) reaches this node's page cache within one interval.
 * Changes made in this process are purged at once by `purgeLocal`.
 */
export class CacheFollower {
  private watermark = 0;
  /** Ids seen above the watermark, and the time each hole below them was first noticed. */
  private readonly seenAbove = new Set<number>();
  private readonly holes = new Map<number, number>();
  private readonly task: PeriodicTask<void>;

  constructor(
    private readonly deps: { db: Kysely<Database>; pageCache: PageCache; log: FastifyBaseLogger; now: () => number },
    intervalMs: number,
  ) {
    this.task = new PeriodicTask({ name: 'cache follower: reading the outbox', intervalMs, log: deps.log, run: () => this.pollOnce() });
  }

  async start(): Promise<void> {
    this.watermark = await findLastEventId(this.deps.db);
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Purges what this process's own committed events made stale, at once, and remembers them as
   * handled so the next poll does not purge the same pages a second time (which would throw away
   * pages cached since).
   */
  purgeLocal(events: readonly OutboxEvent[]): void {
    this.purge(events);
    for (const event of events) if (event.id > this.watermark) this.seenAbove.add(event.id);
  }

  /**
   * Purges what another node announced it made stale (through Redis, src/platform/cache-bus.ts),
   * and remembers those events as handled so the next poll of the outbox skips them.
   */
  purgeAnnounced(purges: readonly { id: number; keys: readonly string[] }[]): void {
    for (const { id, keys } of purges) {
      this.deps.pageCache.purge(keys);
      if (id > this.watermark) this.seenAbove.add(id);
    }
  }

  private purge(events: readonly OutboxEvent[]): void {
    for (const event of events) this.deps.pageCache.purge(cacheKeysForEvent(event));
  }

  /** Reads the outbox now (unless a read is in progress). */
  async poll(): Promise<void> {
    await this.task.runNow();
  }

  /**
   * Reads the ids above the watermark, then only the events among them that this process did not
   * write (or hear of) itself: under a stream of comment posts nearly every event is its own, and
   * reading and parsing ~500 rows every interval cost the posts' thread CPU for nothing.
   */
  private async pollOnce(): Promise<void> {
    for (;;) {
      const ids = await listEventIdsAfter(this.deps.db, this.watermark, 500);
      const freshIds = ids.filter((id) => !this.seenAbove.has(id));
      this.purge(await listEventsById(this.deps.db, freshIds));
      for (const id of freshIds) this.seenAbove.add(id);
      this.advance();
      if (ids.length < 500 || freshIds.length === 0) return;
    }
  }

  /** Moves the watermark over every id seen in a row, and over holes that stayed open too long. */
  private advance(): void {
    const now = this.deps.now();
    const max = Math.max(this.watermark, ...this.seenAbove);
    for (let id = this.watermark + 1; id <= max; id++) {
      if (this.seenAbove.delete(id)) {
        this.holes.delete(id);
        this.watermark = id;
        continue;
      }
      const since = this.holes.get(id);
      if (since === undefined) this.holes.set(id, now);
      if (since !== undefined && now - since > gapTimeoutMs) {
        this.holes.delete(id);
        this.watermark = id;
        continue;
      }
      break;
    }
  }
}
