import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, OutboxRow } from '../db/schema.js';
import type { OutboxEvent, Topic } from '../platform/outbox.js';
import { PeriodicTask } from './periodic.js';

/** A claimed row is another worker's again after this long (the worker crashed mid-way). */
const leaseMs = 60_000;
const maxAttempts = 10;

/**
 * Runs one event's side effect. It must be idempotent (a crash after it ran but before the row
 * was marked runs it again). It may return a replacement payload to store once it succeeded
 * (e.g. a mail blanked of its one-use link).
 */
export type RelayHandler<T extends Topic = Topic> = (
  event: Extract<OutboxEvent, { topic: T }>,
  row: OutboxRow,
) => Promise<{ payload?: unknown } | void>;

/** The side effects of each topic: one handler, or several run in turn (a failure retries them all, so each must be idempotent). */
export type RelayHandlers = { [T in Topic]?: RelayHandler<T> | readonly RelayHandler<T>[] };

/** Adds a handler for each topic, after any a topic has already. */
export function addRelayHandler(handlers: RelayHandlers, topics: readonly Topic[], handler: RelayHandler): RelayHandlers {
  const merged: Record<string, unknown> = { ...handlers };
  for (const topic of topics) {
    const existing = handlers[topic] as RelayHandler | readonly RelayHandler[] | undefined;
    merged[topic] = existing === undefined ? handler : [...(Array.isArray(existing) ? existing : [existing]), handler];
  }
  return merged as RelayHandlers;
}

export interface RelayDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  log: FastifyBaseLogger;
  now: () => Date;
  /** The side effect of each topic that has one (others only feed the cache follower). */
  handlers: RelayHandlers;
}

/**
 * Drains the outbox's side effects after commit, with retries: a row is claimed (a lease, with
 * FOR UPDATE SKIP LOCKED on PostgreSQL so several workers never take the same row), its handler
 * runs, and the row is marked handled. A crash between send and mark leaves the lease to expire
 * and the message is sent again with the same Message-ID, so receivers can drop the duplicate.
 */
export class OutboxRelay {
  private readonly task: PeriodicTask<number>;
  private readonly topics: Topic[];

  constructor(
    private readonly deps: RelayDeps,
    intervalMs: number,
  ) {
    this.topics = Object.keys(deps.handlers) as Topic[];
    this.task = new PeriodicTask({ name: 'outbox relay: draining', intervalMs, log: deps.log, run: () => this.drainOnce() });
  }

  /** True when rows of this topic have a side effect this relay runs. */
  handles(topic: Topic): boolean {
    return this.topics.includes(topic);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Handles every row due now (unless a drain is running); resolves with how many were handled. */
  async drain(): Promise<number> {
    return (await this.task.runNow()) ?? 0;
  }

  private async drainOnce(): Promise<number> {
    let handled = 0;
    for (let batch = 0; batch < 100; batch++) {
      const rows = await this.claim(10);
      if (rows.length === 0) return handled;
      for (const row of rows) handled += (await this.handle(row)) ? 1 : 0;
    }
    return handled;
  }

  private async claim(limit: number): Promise<OutboxRow[]> {
    const now = this.deps.now();
    const nowIso = now.toISOString();
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    return this.deps.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('outbox')
        .selectAll()
        .where('handled_at', 'is', null)
        .where('topic', 'in', this.topics)
        .where('attempts', '<', maxAttempts)
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
        .orderBy('id')
        .limit(limit);
      if (this.deps.dialect === 'postgres') query = query.modifyEnd(sql`for update skip locked`);
      const rows = await query.execute();
      if (rows.length > 0) {
        await trx.updateTable('outbox').set({ next_attempt_at: lease }).where('id', 'in', rows.map((r) => r.id)).execute();
      }
      return rows;
    });
  }

  private async handle(row: OutboxRow): Promise<boolean> {
    const event = { id: row.id, topic: row.topic, payload: JSON.parse(row.payload), createdAt: row.created_at } as OutboxEvent;
    const registered = this.deps.handlers[event.topic] as RelayHandler | readonly RelayHandler[] | undefined;
    const handlers: readonly RelayHandler[] = registered === undefined ? [] : Array.isArray(registered) ? registered : [registered as RelayHandler];
    try {
      if (handlers.length === 0) return false;
      let payload = row.payload;
      for (const handler of handlers) {
        const result = await handler(event, row);
        if (result && 'payload' in result) payload = JSON.stringify(result.payload);
      }
      await this.deps.db
        .updateTable('outbox')
        .set({ handled_at: this.deps.now().toISOString(), payload, last_error: null })
        .where('id', '=', row.id)
        .execute();
      return true;
    } catch (error) {
      const attempts = row.attempts + 1;
      const backoffMs = Math.min(60 * 60_000, 5_000 * 2 ** attempts);
      await this.deps.db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: redactAddresses(String((error as Error).message ?? error)).slice(0, 500),
          next_attempt_at: new Date(this.deps.now().getTime() + backoffMs).toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      // The message only: an SMTP server's refusal often quotes the recipient, which must not reach the log.
      const reason = redactAddresses(String((error as Error).message ?? error)).slice(0, 500);
      this.deps.log.warn({ outboxId: row.id, topic: row.topic, attempts, reason }, 'outbox relay: handler failed; will retry');
      return false;
    }
  }
}

/** Replaces anything shaped like an email address, so no commenter's address reaches the log or the outbox row. */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),:;@]+@[^\s<>"'(),:;@]+/g, '[address]');
}
