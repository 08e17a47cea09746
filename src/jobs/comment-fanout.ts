import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { OutboxEvent } from '../platform/outbox.js';

/** Comment events with consequences derived from them: reply notifications, webhook deliveries. */
export type CommentFanoutTopic = 'comment.created' | 'comment.status-changed' | 'comment.reported';
export type CommentFanoutEvent = Extract<OutboxEvent, { topic: CommentFanoutTopic }>;

/**
 * Derives follow-up outbox rows (mail.requested, webhook.requested…) from one comment event, in the
 * transaction that wrote the event. It only reads and appends rows; resolves with what it appended.
 */
export type CommentDeriver = (trx: Kysely<Database>, event: CommentFanoutEvent, deps: Deps) => Promise<OutboxEvent[]>;

const fanoutTopics: ReadonlySet<string> = new Set<CommentFanoutTopic>(['comment.created', 'comment.status-changed', 'comment.reported']);

/**
 * Builds `deps.deriveEvents`: runs every deriver on each comment event, in the writer's own
 * transaction, so the follow-ups exist if and only if the change committed (a crash can neither
 * lose a notification nor send one for a comment that was not stored), and each is then delivered
 * by the relay with its own retries. Deriving at write time rather than in the relay saves the
 * relay a claim and a transaction per comment, which is most of a comment post's cost on SQLite.
 */
export function commentEventDeriver(derivers: readonly CommentDeriver[], deps: () => Deps) {
  return async (trx: Kysely<Database>, events: readonly OutboxEvent[]): Promise<OutboxEvent[]> => {
    const derived: OutboxEvent[] = [];
    for (const event of events) {
      if (!fanoutTopics.has(event.topic)) continue;
      for (const derive of derivers) derived.push(...(await derive(trx, event as CommentFanoutEvent, deps())));
    }
    return derived;
  };
}
