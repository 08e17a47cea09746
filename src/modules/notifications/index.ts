export { excerpt, unsubscribeHeaders } from './notifications.mails.js';
export { registerNotificationRoutes } from './notifications.routes.js';
export {
  confirmationResendMs,
  deriveReplyNotifications,
  requestReplyNotifications,
  sendModerationDigest,
  unsubscribe,
} from './notifications.service.js';
export type { UnsubscribeToken } from './notifications.service.js';
