import type { Deps, RequestContext } from '../../deps.js';
import type { CommentRow } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { emailKey } from '../../lib/email-key.js';
import { hashIp } from '../../lib/ip-hash.js';
import { countLinks, renderCommentMarkdown } from '../../lib/markdown.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import { requestReplyNotifications } from '../notifications/index.js';
import { commentSettingsFromText, commentSettingsKey, commentsAreOpen, type CommentSettings } from './comment-settings.js';
import { assertFormNotExpired, bodyFingerprint, duplicateSince, refuseDuplicate } from './comments.guards.js';
import { insertHistory } from './comments.history.js';
import { withFollowUps } from './comments.outbox.js';
import { pageOfThread } from './comments.pages.js';
import * as repo from './comments.repo.js';
import type { CommentForm } from './comments.schemas.js';
import { moderateComment } from './moderation/index.js';

export interface SubmitCommentInput {
  storyId: number;
  /** 0 for a top-level comment. */
  parentId: number;
  form: CommentForm;
  /** SHA-256 of the posting browser's key, so that browser alone may see (if held), edit and delete it. */
  ownerKeyHash?: string;
  /** Bot signals read from the form by the route (honeypot field, age of the signed form timestamp). */
  signals?: { honeypot: string; formAgeSeconds: number | null };
}

export interface SubmittedComment {
  comment: CommentRow;
  storySlug: string;
  /** The comment answered, if any. */
  parent: CommentRow | undefined;
  /** The comment settings the post was judged by. */
  settings: CommentSettings;
  /** The page of the story's comments that shows it, when it is approved (undefined otherwise). */
  page: number | undefined;
}

/** Longest user agent kept with a comment (it is metadata for moderators, not reader text). */
const maxUserAgentLength = 512;

/**
 * Stores a reader's comment on a published story whose comments are open, replying to an
 * approved comment of the same story when `parentId` is set. The moderation rules decide its
 * state (approved, held, spam) and their reasons are kept with it. The comment, its history
 * entry and its outbox events are written in one transaction.
 */
export async function submitComment(deps: Deps, ctx: RequestContext, input: SubmitCommentInput): Promise<SubmittedComment> {
  const now = ctx.now.toISOString();
  const db = deps.store.db;
  const { form } = input;
  const key = emailKey(deps.ipSalt, form.email);
  const fingerprint = bodyFingerprint(form.comment);
  // The story, the settings, the first-time-commenter and duplicate checks: one statement.
  const context = await repo.findPostContext(db, {
    storyId: input.storyId,
    now,
    settingsKey: commentSettingsKey,
    emailKey: key,
    fingerprint,
    since: duplicateSince(ctx.now),
  });
  if (!context) throw new DomainError('COMMENT_STORY_NOT_FOUND', 'The story you tried to comment on does not exist or is no longer published.');
  const { story } = context;
  const settings = commentSettingsFromText(context.settingsText);
  if (!commentsAreOpen(story, settings, ctx.now)) throw new DomainError('COMMENT_STORY_CLOSED', 'Comments on this story are closed.');
  const parent = input.parentId === 0 ? undefined : await repo.findReplyParent(db, input.parentId);
  if (input.parentId !== 0 && (!parent || parent.story_id !== story.id || parent.status !== 'approved')) {
    throw new ValidationError(
      { comment_parent: 'The comment you are replying to is not available any more. You can post your text as a new comment.' },
      'COMMENT_PARENT_NOT_FOUND',
    );
  }
  assertFormNotExpired(input.signals?.formAgeSeconds ?? null, settings.rules);
  refuseDuplicate(context.duplicate);
  const bodyHtml = renderCommentMarkdown(form.comment);
  const linkCount = countLinks(bodyHtml);
  const decision = moderateComment({
    body: form.comment,
    authorName: form.author,
    email: form.email,
    emailKey: key,
    url: form.url,
    ip: ctx.ip,
    linkCount,
    approvedBefore: context.approvedBefore ? 1 : 0,
    storyPremoderated: story.comments_premoderated === 1,
    honeypot: input.signals?.honeypot ?? '',
    formAgeSeconds: input.signals?.formAgeSeconds ?? null,
    rules: settings.rules,
    now: ctx.now,
  });

  const result = await deps.store.transact(async (trx) => {
    // A new thread approved at once takes the next place in the story's order of threads.
    const threadSeq = !parent && decision.status === 'approved' ? await repo.nextThreadSeq(trx, story.id) : null;
    const comment = await repo.insertReaderComment(trx, {
      story_id: story.id,
      parent_id: parent?.id ?? null,
      root_id: parent ? (parent.root_id ?? parent.id) : null,
      depth: parent ? parent.depth + 1 : 1,
      thread_seq: threadSeq,
      status: decision.status,
      author_name: form.author,
      author_email: form.email,
      author_url: form.url === '' ? null : form.url,
      body_source: form.comment,
      body_html: bodyHtml,
      created_at: now,
      ip_hash: hashIp(deps.ipSalt, ctx.ip),
      user_agent: ctx.userAgent.slice(0, maxUserAgentLength),
      email_key: key,
      body_fingerprint: fingerprint,
      link_count: linkCount,
      spam_score: decision.spamScore,
      moderation_reasons: JSON.stringify(decision.reasons),
      owner_key_hash: input.ownerKeyHash ?? null,
    });
    await insertHistory(trx, {
      commentId: comment.id,
      action: 'created',
      actor: 'commenter',
      details: { status: comment.status, spamScore: decision.spamScore, reasons: decision.reasons },
      now,
    });
    const events: OutboxEvent[] = [
      await appendEvent(trx, { topic: 'comment.created', payload: { commentId: comment.id, storyId: story.id, status: comment.status, parentId: comment.parent_id }, now }),
    ];
    // "Notify me of follow-up comments": subscribe, and the one double opt-in mail (never for spam).
    if (form.notify && comment.status !== 'spam') {
      events.push(...(await requestReplyNotifications(trx, deps, { email: form.email, emailKey: key, storyId: story.id, now: ctx.now })));
    }
    // Where it shows, known here rather than read again after the commit: its thread's number, and
    // the story's count of threads (for newest-first pages; a reply's count was read just before).
    const place = parent ? { threads: story.comment_threads, seq: parent.thread_number } : { threads: threadSeq ?? story.comment_threads, seq: threadSeq };
    return { comment, place, events: await withFollowUps(trx, deps, events) };
  });
  deps.onCommitted(result.events);
  const { comment } = result;
  const page = comment.status === 'approved' ? pageOfThread(settings, result.place) : undefined;
  return { comment, storySlug: story.slug, parent, settings, page };
}

/** The approved comments of a story, as a public page may show them. */
export function listPublicComments(deps: Deps, storyId: number): Promise<repo.PublicComment[]> {
  return repo.listApprovedComments(deps.store.db, storyId);
}
