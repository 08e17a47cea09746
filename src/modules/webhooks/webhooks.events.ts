/** Comment events a webhook may subscribe to. */
export const webhookEventNames = ['comment.created', 'comment.held', 'comment.approved', 'comment.reported'] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];

/** Events the webhooks module writes to the outbox: one delivery (with retries) per hook and event. */
export interface WebhookEvents {
  'webhook.requested': { webhookId: number; event: WebhookEventName; commentId: number; storyId: number; occurredAt: string };
}
