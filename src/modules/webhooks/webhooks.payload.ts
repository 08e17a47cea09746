import type { WebhookEventName } from './webhooks.events.js';
import type { WebhookCommentFacts } from './webhooks.repo.js';

/** Characters of the comment's text in `comment.excerpt`. */
export const excerptLength = 500;

/** The JSON body of a comment event's delivery. Built at delivery time, so an erased commenter is erased here too. */
export interface WebhookCommentBody {
  event: WebhookEventName;
  deliveryId: number;
  occurredAt: string;
  comment: {
    id: number;
    storyId: number;
    parentId: number | null;
    status: string;
    authorName: string;
    authorUrl: string | null;
    excerpt: string;
    html: string;
    permalink: string;
    createdAt: string;
  };
  story: { id: number; headline: string; url: string };
}

/**
 * The body of a comment event. It deliberately carries nothing a reader could not see on the
 * comment itself (plus its moderation status): never the commenter's email, email key, IP hash
 * or browser.
 */
export function commentEventBody(
  facts: WebhookCommentFacts,
  o: { event: WebhookEventName; deliveryId: number; occurredAt: string; publicUrl: string; storyPath: string },
): WebhookCommentBody {
  return {
    event: o.event,
    deliveryId: o.deliveryId,
    occurredAt: o.occurredAt,
    comment: {
      id: facts.id,
      storyId: facts.story_id,
      parentId: facts.parent_id,
      status: facts.status,
      authorName: facts.author_name,
      authorUrl: facts.author_url,
      excerpt: excerpt(facts.body_source),
      html: facts.body_html,
      permalink: `${o.publicUrl}/comment/${facts.id}`,
      createdAt: facts.created_at,
    },
    story: { id: facts.story_id, headline: facts.headline, url: `${o.publicUrl}${o.storyPath}` },
  };
}

/** The body of a test delivery asked for in the admin. */
export function testEventBody(o: { webhookId: number; description: string; deliveryId: number; occurredAt: string }) {
  return {
    event: 'webhook.test' as const,
    deliveryId: o.deliveryId,
    occurredAt: o.occurredAt,
    webhook: { id: o.webhookId, description: o.description },
  };
}

/** The first `excerptLength` characters of the text with runs of white space made one space, "…" when cut. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= excerptLength ? flat : `${chars.slice(0, excerptLength - 1).join('').trimEnd()}…`;
}
