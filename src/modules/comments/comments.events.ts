import type { CommentStatus } from '../../db/schema.js';

/** Events the comments module writes to the outbox. Payloads carry ids only. */
export interface CommentEvents {
  /** A reader's (or the newsroom's) comment was stored, in whatever state the rules gave it. */
  'comment.created': { commentId: number; storyId: number; status: CommentStatus; parentId: number | null };
  /** A moderator, the author, or an erasure changed a comment's state. */
  'comment.status-changed': { commentId: number; storyId: number; from: CommentStatus; to: CommentStatus; actorId: number | null };
  /** The text changed (by its author within the edit window, or by a moderator). */
  'comment.edited': { commentId: number; storyId: number; status: CommentStatus };
  /** A reader reported the comment. */
  'comment.reported': { commentId: number; storyId: number; reportId: number };
  /** Comments of one commenter were erased or anonymised (each story they were on changes). */
  'comment.commenter-erased': { storyIds: number[] };
  /** An editor changed the site's comment settings (names of the changed settings). */
  'comment.settings-changed': { settings: string[] };
}
