import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

interface Pending<T> {
  work: (trx: Transaction<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: transactions that arrive while the event loop is busy are run one after
 * the other inside ONE database transaction, each in its own savepoint, and committed with one
 * fsync. A failing piece of work rolls back to its savepoint alone and its caller gets the error;
 * the others commit. Every caller is answered only after the commit, so an acknowledged write is
 * as durable as with its own transaction (synchronous=FULL). On SQLite every commit waits for an
 * fsync of the WAL with the whole process blocked (better-sqlite3 is synchronous), which was a
 * third of a comment post's time under load; batching shares it.
 */
export class WriteBatcher {
  private queue: Pending<unknown>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    /** Most pieces of work per transaction (bounds a batch's latency and its undo on failure). */
    private readonly maxBatch = 64,
  ) {}

  /** Runs `work` in a transaction shared with other work queued in the same turn of the event loop. */
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the requests already readable in this turn have queued their work.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    this.scheduled = this.queue.length > 0;
    if (this.scheduled) setImmediate(() => void this.flush());
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const item of batch) {
          await sql`savepoint batch_item`.execute(trx);
          try {
            outcomes.push({ ok: true, value: await item.work(trx) });
            await sql`release batch_item`.execute(trx);
          } catch (error) {
            await sql`rollback to batch_item`.execute(trx);
            await sql`release batch_item`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch was stored.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }
}
