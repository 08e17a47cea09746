import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { OutboxEvent } from '../../platform/outbox.js';

/**
 * A comment transaction's events plus the follow-ups they lead to (reply notifications, webhook
 * deliveries), appended in the same transaction: call it last, just before the transaction returns.
 */
export async function withFollowUps(trx: Kysely<Database>, deps: Pick<Deps, 'deriveEvents'>, events: readonly OutboxEvent[]): Promise<OutboxEvent[]> {
  return [...events, ...(await deps.deriveEvents(trx, events))];
}
