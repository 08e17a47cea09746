import type { Kysely } from 'kysely';
import { prepareQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { CommentEvents } from '../modules/comments/comments.events.js';
import type { CorrectionEvents } from '../modules/corrections/corrections.events.js';
import type { FeedEvents } from '../modules/feeds/feeds.events.js';
import type { StoryEvents } from '../modules/stories/stories.events.js';
import type { WebhookEvents } from '../modules/webhooks/webhooks.events.js';

/** A message to send. Its text may hold a one-use link, so the relay blanks the payload once it is sent. */
export interface MailEvents {
  'mail.requested': {
    to: string;
    subject: string;
    text: string;
    purpose: string;
    /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
    headers?: Record<string, string>;
  };
}

/** Every event any module writes, by topic. */
export type EventMap = StoryEvents & CommentEvents & CorrectionEvents & MailEvents & WebhookEvents & FeedEvents;
export type Topic = keyof EventMap;
export type OutboxEvent = { [T in Topic]: { id: number; topic: T; payload: EventMap[T]; createdAt: string } }[Topic];

/** Appends an event in the caller's transaction: it exists if and only if the change that caused it committed. */
export async function appendEvent<T extends Topic>(
  trx: Kysely<Database>,
  event: { topic: T; payload: EventMap[T]; now: string },
): Promise<OutboxEvent> {
  const row = await insertEventQuery.executeTakeFirstOrThrow(trx, { topic: event.topic, payload: JSON.stringify(event.payload), createdAt: event.now });
  return { id: row.id, topic: event.topic, payload: event.payload, createdAt: event.now } as OutboxEvent;
}

/** Prepared once: every write of the application appends events (src/db/prepared.ts). */
const insertEventQuery = prepareQuery((db, e: { topic: Topic; payload: string; createdAt: string }) =>
  db.insertInto('outbox').values({ topic: e.topic, payload: e.payload, created_at: e.createdAt }).returning('id'),
);

/** Ids of the events above `afterId`, oldest first (the primary key alone: no row is read). */
export async function listEventIdsAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<number[]> {
  const rows = await eventIdsAfterQuery.execute(db, { afterId, limit });
  return rows.map((r) => r.id);
}

const eventIdsAfterQuery = prepareQuery((db, p: { afterId: number; limit: number }) =>
  db.selectFrom('outbox').select('id').where('id', '>', p.afterId).orderBy('id').limit(p.limit),
);

/** The events with these ids, oldest first. */
export async function listEventsById(db: Kysely<Database>, ids: readonly number[]): Promise<OutboxEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, topic: r.topic, payload: JSON.parse(r.payload), createdAt: r.created_at }) as OutboxEvent);
}

export async function findLastEventId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}
