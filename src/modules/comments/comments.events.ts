import type { CommentStatus } from '../../db/schema.js';

/** Events the comments module writes to the outbox. Payloads carry ids only. */
export interface CommentEvents {
  'comment.created': { commentId: number; storyId: number; status: CommentStatus };
}
