export { registerPrivacyRoutes } from './privacy.routes.js';
export {
  anonymiseCommenter,
  eraseCommenter,
  eraseExpiredIpData,
  exportCommenterComments,
  privacyLinkLifetimeMs,
  readPrivacyLink,
  requestPrivacyLink,
} from './privacy.service.js';
export type { CommentExport } from './privacy.service.js';
export type { RetentionCounts } from './privacy.repo.js';
