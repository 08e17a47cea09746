import type { Deps, RequestContext } from '../../deps.js';
import type { CommentRow, CommentStatus } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { hashIp } from '../../lib/ip-hash.js';
import { renderCommentMarkdown } from '../../lib/markdown.js';
import { appendEvent } from '../../platform/outbox.js';
import { findPublishedStory } from '../stories/index.js';
import * as repo from './comments.repo.js';
import type { CommentForm } from './comments.schemas.js';

export interface SubmitCommentInput {
  storyId: number;
  /** 0 for a top-level comment. */
  parentId: number;
  form: CommentForm;
}

export interface SubmittedComment {
  comment: CommentRow;
  storySlug: string;
  /** The comment answered, if any. */
  parent: CommentRow | undefined;
}

/** Longest user agent kept with a comment (it is metadata for moderators, not reader text). */
const maxUserAgentLength = 512;

/**
 * Stores a reader's comment on a published story, replying to an approved comment of the same
 * story when `parentId` is set. The comment and its outbox event are written in one transaction.
 */
export async function submitComment(deps: Deps, ctx: RequestContext, input: SubmitCommentInput): Promise<SubmittedComment> {
  const now = ctx.now.toISOString();
  const db = deps.store.db;
  const story = await findPublishedStory(deps, input.storyId);
  if (!story) throw new DomainError('COMMENT_STORY_NOT_FOUND', 'The story you tried to comment on does not exist or is no longer published.');
  const parent = input.parentId === 0 ? undefined : await repo.findComment(db, input.parentId);
  if (input.parentId !== 0 && (!parent || parent.story_id !== story.id || parent.status !== 'approved')) {
    throw new ValidationError(
      { comment_parent: 'The comment you are replying to is not available any more. You can post your text as a new comment.' },
      'COMMENT_PARENT_NOT_FOUND',
    );
  }
  // Moderation rules arrive with the moderation issue; until then every valid comment is approved.
  const status: CommentStatus = 'approved';
  const { form } = input;
  const result = await db.transaction().execute(async (trx) => {
    const comment = await repo.insertComment(trx, {
      story_id: story.id,
      parent_id: parent?.id ?? null,
      root_id: parent ? (parent.root_id ?? parent.id) : null,
      depth: parent ? parent.depth + 1 : 1,
      status,
      author_name: form.author,
      author_email: form.email,
      author_url: form.url === '' ? null : form.url,
      body_source: form.comment,
      body_html: renderCommentMarkdown(form.comment),
      created_at: now,
      ip_hash: hashIp(deps.ipSalt, ctx.ip),
      user_agent: ctx.userAgent.slice(0, maxUserAgentLength),
    });
    const event = await appendEvent(trx, {
      topic: 'comment.created',
      payload: { commentId: comment.id, storyId: story.id, status: comment.status },
      now,
    });
    return { comment, event };
  });
  deps.onCommitted([result.event]);
  return { comment: result.comment, storySlug: story.slug, parent };
}

/** The approved comments of a story, as a public page may show them. */
export function listPublicComments(deps: Deps, storyId: number): Promise<repo.PublicComment[]> {
  return repo.listApprovedComments(deps.store.db, storyId);
}
