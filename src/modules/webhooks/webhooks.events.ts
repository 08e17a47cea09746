/** Comment events a webhook may subscribe to. */
export const webhookEventNames = ['comment.created', 'comment.held', 'comment.approved', 'comment.reported'] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];

/** A delivery asked for from the admin ("Send test delivery"): no comment, same signing and log. */
export const webhookTestEvent = 'webhook.test';

/** Events the webhooks module writes to the outbox: one delivery (with retries) per hook and event. */
export interface WebhookEvents {
  'webhook.requested':
    | { webhookId: number; event: WebhookEventName; commentId: number; storyId: number; occurredAt: string }
    | { webhookId: number; event: typeof webhookTestEvent; occurredAt: string };
}
