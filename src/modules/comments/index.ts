export type { PublicComment } from './comments.repo.js';
export { numberNewThreads } from './comments.repo.js';
export { insertHistory } from './comments.history.js';
export { commentsAreOpen, commentsCloseAt, configureCommentSettings, loadCommentSettings } from './comment-settings.js';
export type { CommentRules, CommentSettings } from './comment-settings.js';
export { parseSettingsForm, readSettingsForm, settingFields, settingsFormValues } from './comment-settings.form.js';
export type { SettingField, SettingsFormValues } from './comment-settings.form.js';
export type { HistoryActor } from './comments.history.js';
export { commentLimits, parseCommentForm } from './comments.schemas.js';
export { formTokenField, honeypotField, issueFormToken, readFormAge } from './comments.form-token.js';
export { assertNotDuplicate, enforceCommentRateLimits } from './comments.guards.js';
export type { CommentForm, CommentFormInput } from './comments.schemas.js';
export { listPublicComments, submitComment } from './comments.service.js';
export { findLatestCommentChange, listFeedComments } from './comments.feed.js';
export type { FeedComment } from './comments.feed.js';
export type { SubmitCommentInput, SubmittedComment } from './comments.service.js';
export { buildThreads, maxThreadDepth } from './comments.threads.js';
export { emptyCommentForm, renderComment, renderCommentSection } from './comments.views.js';
export type { CommentFormValues, CommentSectionOptions } from './comments.views.js';
export {
  approveComment,
  countModerationQueue,
  editCommentAsModerator,
  getCommentForModeration,
  holdComment,
  listModerationQueue,
  maxBulkComments,
  moderateMany,
  moderateOne,
  moderationActions,
  queueViews,
  replyAsNewsroom,
  restoreComment,
  spamComment,
  trashComment,
} from './moderation.service.js';
export type { ModerationAction, ModerationDetail, QueueEntry, QueuePage, QueueView, ReportCount, StatusCounts } from './moderation.service.js';
export { commentPagePath, getCommentPage, getCommentPageAround, locateComment, pageOfComment, withHeldComment } from './comments.pages.js';
export type { CommentPage } from './comments.pages.js';
export { isOwnedBy, moderationHash, newOwnerKey, ownerKeyHash, verifyModerationHash } from './comments.owner.js';
export {
  deleteOwnComment,
  editDeadline,
  editOwnComment,
  findHeldCommentForOwner,
  getEditableComment,
  getReportableComment,
  listOwnComments,
  reportComment,
} from './comments.reader.js';
export { renderEditCommentPage, renderReportCommentPage, renderReportThanksPage } from './comments.reader.views.js';
