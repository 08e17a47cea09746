import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../db/database.js';
import type { Database, OutboxRow } from '../db/schema.js';
import type { Mailer } from '../platform/mail.js';
import type { OutboxEvent, Topic } from '../platform/outbox.js';
import { PeriodicTask } from './periodic.js';

/** Topics whose rows the relay must act on (others only feed the cache follower). */
const relayedTopics: Topic[] = ['mail.requested'];
/** A claimed row is another worker's again after this long (the worker crashed mid-way). */
const leaseMs = 60_000;
const maxAttempts = 10;

export interface RelayDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  mailer: Mailer;
  log: FastifyBaseLogger;
  now: () => Date;
  host: string;
}

/**
 * Drains the outbox's side effects after commit, with retries: a row is claimed (a lease, with
 * FOR UPDATE SKIP LOCKED on PostgreSQL so several workers never take the same row), its handler
 * runs, and the row is marked handled. A crash between send and mark leaves the lease to expire
 * and the message is sent again with the same Message-ID, so receivers can drop the duplicate.
 */
export class OutboxRelay {
  private readonly task: PeriodicTask<number>;

  constructor(
    private readonly deps: RelayDeps,
    intervalMs: number,
  ) {
    this.task = new PeriodicTask({ name: 'outbox relay: draining', intervalMs, log: deps.log, run: () => this.drainOnce() });
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
        .where('topic', 'in', relayedTopics)
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
    try {
      if (event.topic !== 'mail.requested') return false;
      const where = await this.deps.mailer.send({
        to: event.payload.to,
        subject: event.payload.subject,
        text: event.payload.text,
        messageId: `<outbox-${row.id}-${row.created_at.replace(/\D/g, '')}@${this.deps.host}>`,
      });
      // Blank the message: it may hold a one-use link that must not outlive its delivery.
      const redacted = JSON.stringify({ ...event.payload, text: '[sent]' });
      await this.deps.db
        .updateTable('outbox')
        .set({ handled_at: this.deps.now().toISOString(), payload: redacted, last_error: null })
        .where('id', '=', row.id)
        .execute();
      this.deps.log.info({ outboxId: row.id, purpose: event.payload.purpose, deliveredTo: where }, 'mail sent');
      return true;
    } catch (error) {
      const attempts = row.attempts + 1;
      const backoffMs = Math.min(60 * 60_000, 5_000 * 2 ** attempts);
      await this.deps.db
        .updateTable('outbox')
        .set({ attempts, last_error: String((error as Error).message ?? error).slice(0, 500), next_attempt_at: new Date(this.deps.now().getTime() + backoffMs).toISOString() })
        .where('id', '=', row.id)
        .execute();
      this.deps.log.warn({ outboxId: row.id, attempts, err: error }, 'outbox relay: handler failed; will retry');
      return false;
    }
  }
}
