import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import type { WebhookEventName } from './webhooks.events.js';
import * as repo from './webhooks.repo.js';
import { subscribedEvents } from './webhooks.schemas.js';

type CommentEvent = Extract<OutboxEvent, { topic: 'comment.created' | 'comment.status-changed' | 'comment.reported' }>;

/**
 * Which webhook events a comment event is. A new comment is `comment.created` plus its fate:
 * `comment.approved` when the rules let it through, `comment.held` when they held it. A comment
 * the rules sent straight to spam is NOT announced at all: a spam wave would otherwise become a
 * wave of webhook calls (and spam text in the newsroom's chat); if a moderator rescues it, the
 * status change announces it then. A status change to approved is `comment.approved`, back to
 * pending `comment.held`; spam, trash and deletions are not announced. A report is `comment.reported`.
 */
export function webhookEventsFor(event: CommentEvent): WebhookEventName[] {
  switch (event.topic) {
    case 'comment.created':
      if (event.payload.status === 'approved') return ['comment.created', 'comment.approved'];
      if (event.payload.status === 'pending') return ['comment.created', 'comment.held'];
      return [];
    case 'comment.status-changed':
      if (event.payload.from === event.payload.to) return [];
      if (event.payload.to === 'approved') return ['comment.approved'];
      if (event.payload.to === 'pending') return ['comment.held'];
      return [];
    case 'comment.reported':
      return ['comment.reported'];
  }
}

/**
 * Appends one `webhook.requested` row per active webhook subscribed to each event this comment
 * event is, in the transaction that wrote the comment event. Resolves with the rows appended.
 */
export async function appendWebhookRequests(trx: Kysely<Database>, event: CommentEvent, now: string): Promise<OutboxEvent[]> {
  const names = webhookEventsFor(event);
  if (names.length === 0) return [];
  const hooks = await repo.listActiveWebhooks(trx);
  const appended: OutboxEvent[] = [];
  for (const name of names) {
    for (const hook of hooks) {
      if (!subscribedEvents(hook).includes(name)) continue;
      const payload = { webhookId: hook.id, event: name, commentId: event.payload.commentId, storyId: event.payload.storyId, occurredAt: event.createdAt };
      appended.push(await appendEvent(trx, { topic: 'webhook.requested', payload, now }));
    }
  }
  return appended;
}
