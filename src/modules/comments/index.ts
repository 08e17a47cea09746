export type { PublicComment } from './comments.repo.js';
export { commentLimits, parseCommentForm } from './comments.schemas.js';
export type { CommentForm, CommentFormInput } from './comments.schemas.js';
export { listPublicComments, submitComment } from './comments.service.js';
export type { SubmitCommentInput, SubmittedComment } from './comments.service.js';
export { buildThreads, maxThreadDepth } from './comments.threads.js';
export { emptyCommentForm, renderComment, renderCommentSection } from './comments.views.js';
export type { CommentFormValues, CommentSectionOptions } from './comments.views.js';
