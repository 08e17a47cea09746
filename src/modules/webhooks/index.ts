export { webhookEventNames, webhookTestEvent } from './webhooks.events.js';
export type { WebhookEventName, WebhookEvents } from './webhooks.events.js';
export { deliverWebhook, webhookTimeoutMs } from './webhooks.delivery.js';
export type { WebhookDeliveryDeps, WebhookDeliveryOutcome } from './webhooks.delivery.js';
export { appendWebhookRequests, webhookEventsFor } from './webhooks.fanout.js';
export { commentEventBody, excerpt, testEventBody } from './webhooks.payload.js';
export type { WebhookCommentBody } from './webhooks.payload.js';
export { parseWebhookForm, readWebhookForm, webhookRules } from './webhooks.schemas.js';
export type { WebhookFormInput, WebhookSettings } from './webhooks.schemas.js';
export {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  requestTestDelivery,
  rotateWebhookSecret,
  setWebhookActive,
} from './webhooks.service.js';
export type { WebhookDetail, WebhookSummary } from './webhooks.service.js';
export { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhooks.signing.js';
