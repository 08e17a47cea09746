import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { OutboxEvent } from '../platform/outbox.js';
import type { RelayHandler } from './outbox-relay.js';

/** Comment events whose consequences (reply notifications, webhook deliveries) are derived after commit. */
export type CommentFanoutTopic = 'comment.created' | 'comment.status-changed' | 'comment.reported';
export type CommentFanoutEvent = Extract<OutboxEvent, { topic: CommentFanoutTopic }>;

/**
 * Derives follow-up outbox rows (mail.requested, webhook.requested…) from one comment event, in the
 * given transaction. Pure with respect to the outside world: it only reads and appends rows.
 */
export type CommentDeriver = (trx: Kysely<Database>, event: CommentFanoutEvent, deps: Deps) => Promise<void>;

/**
 * The relay's handler for comment events: runs every deriver and marks the event handled in ONE
 * transaction (skipping an event another worker already handled), so a crash at any point either
 * derives everything once or nothing, and each derived row is then delivered with its own retries.
 */
export function commentFanoutHandler(deps: Deps, derivers: readonly CommentDeriver[]): RelayHandler<CommentFanoutTopic> {
  return async (event) => {
    const appended = await deps.store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('outbox').select('handled_at').where('id', '=', event.id).executeTakeFirst();
      if (!row || row.handled_at !== null) return false;
      for (const derive of derivers) await derive(trx, event, deps);
      await trx.updateTable('outbox').set({ handled_at: deps.clock.now().toISOString() }).where('id', '=', event.id).execute();
      return true;
    });
    return appended ? undefined : {};
  };
}
