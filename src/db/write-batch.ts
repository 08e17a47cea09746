import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

interface Pending<T> {
  work: (trx: Transaction<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: transactions that arrive while the event loop is busy are run one after
 * the other inside ONE database transaction and committed with one fsync. A failing piece of work
 * is left out and its caller gets the error; the others commit. Every caller is answered only
 * after the commit, so an acknowledged write is as durable as with its own transaction
 * (synchronous=FULL). On SQLite every commit waits for an fsync of the WAL with the whole process
 * blocked (better-sqlite3 is synchronous), which was a third of a comment post's time under load;
 * batching shares it.
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
    if (batch.length > 0) await this.commit(batch);
  }

  /**
   * Runs the batch in one transaction. Work that throws is rare (input is checked before), so there
   * are no savepoints: the failing piece's caller gets its error, the transaction is rolled back,
   * and the rest of the batch runs again without it (its work only reads and writes the database).
   */
  private async commit(batch: Pending<unknown>[]): Promise<void> {
    const values: unknown[] = [];
    let failed: { index: number; error: unknown } | undefined;
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [index, item] of batch.entries()) {
          try {
            values.push(await item.work(trx));
          } catch (error) {
            failed = { index, error };
            throw error;
          }
        }
      });
    } catch (error) {
      if (!failed) {
        // The commit itself failed: nothing of the batch was stored.
        for (const item of batch) item.reject(error);
        return;
      }
      const { index, error: own } = failed;
      batch[index]?.reject(own);
      const rest = batch.filter((_, i) => i !== index);
      if (rest.length > 0) await this.commit(rest);
      return;
    }
    batch.forEach((item, i) => item.resolve(values[i]));
  }
}
