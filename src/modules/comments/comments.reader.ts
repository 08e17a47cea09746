import { z } from 'zod';
import type { Deps, RequestContext } from '../../deps.js';
import type { CommentRow, ModerationReason } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { hashIp } from '../../lib/ip-hash.js';
import { countLinks, renderCommentMarkdown } from '../../lib/markdown.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import { enforceRateLimit } from '../../platform/rate-limit-guard.js';
import { findPublishedStory } from '../stories/index.js';
import { loadCommentSettings } from './comment-settings.js';
import { insertHistory } from './comments.history.js';
import { bodyFingerprint } from './comments.guards.js';
import { withFollowUps } from './comments.outbox.js';
import { editWindowEnds, isOwnedBy, withinEditWindow } from './comments.owner.js';
import * as reader from './comments.reader.repo.js';
import { countApprovedByEmailKey, findComment } from './comments.repo.js';
import { commentFormSchema } from './comments.schemas.js';
import { moderateComment } from './moderation/index.js';

/** A reader's own comment and the browser that asks: who may see, edit or delete it. */
export interface OwnerRequest {
  commentId: number;
  /** SHA-256 of the asking browser's owner key (undefined when it has none). */
  ownerKeyHash: string | undefined;
}

/**
 * The asking browser's own comment, while it may still change it: the comment exists, is
 * approved or held, was posted from this browser, and the edit window is open. Throws a domain
 * error with a message for the reader otherwise.
 */
export async function getEditableComment(deps: Deps, ctx: Pick<RequestContext, 'now'>, who: OwnerRequest): Promise<CommentRow> {
  const [comment, settings] = await Promise.all([findComment(deps.store.db, who.commentId), loadCommentSettings(deps)]);
  if (!comment || (comment.status !== 'approved' && comment.status !== 'pending')) {
    throw new DomainError('COMMENT_NOT_FOUND', 'This comment does not exist or has been removed.');
  }
  if (!isOwnedBy(comment, who.ownerKeyHash)) {
    throw new DomainError('COMMENT_NOT_YOURS', 'Only the browser this comment was posted from can edit or delete it.');
  }
  if (!withinEditWindow(comment, settings.editWindowMinutes, ctx.now)) {
    throw new DomainError(
      'COMMENT_EDIT_WINDOW_CLOSED',
      `Comments can be edited or deleted for ${settings.editWindowMinutes} minutes after posting; that time has passed for this one.`,
    );
  }
  return comment;
}

/** When the author's edit window on a comment closes. */
export async function editDeadline(deps: Pick<Deps, 'store'>, comment: Pick<CommentRow, 'created_at'>): Promise<Date> {
  return editWindowEnds(comment, (await loadCommentSettings(deps)).editWindowMinutes);
}

/** Rules about the posting (sender, form, story setting) rather than the text; an edit does not re-run them. */
const postingRules = new Set(['first-time-commenter', 'form-age', 'honeypot', 'premoderated-story', 'spam-score', 'spam-email', 'spam-domain', 'spam-ip-range']);

const editText = z.object({ comment: commentFormSchema.shape.comment });

/**
 * The author's edit within the window: new text, rendered again, with the previous text kept in
 * the history. A held comment stays held; an approved one goes back to the queue when the rules
 * would now hold it (more links than allowed, a blocked phrase…).
 */
export async function editOwnComment(deps: Deps, ctx: RequestContext, input: OwnerRequest & { text: string }): Promise<CommentRow> {
  const parsed = editText.safeParse({ comment: input.text });
  if (!parsed.success) throw new ValidationError({ comment: parsed.error.issues[0]?.message ?? 'Please type your comment.' });
  const text = parsed.data.comment;
  const comment = await getEditableComment(deps, ctx, input);
  const settings = await loadCommentSettings(deps);
  const bodyHtml = renderCommentMarkdown(text);
  const linkCount = countLinks(bodyHtml);
  const decision = moderateComment({
    body: text,
    authorName: comment.author_name,
    email: comment.author_email,
    emailKey: comment.email_key,
    url: comment.author_url ?? '',
    ip: ctx.ip,
    linkCount,
    approvedBefore: await countApprovedByEmailKey(deps.store.db, comment.email_key),
    storyPremoderated: false,
    honeypot: '',
    formAgeSeconds: null,
    rules: settings.rules,
    now: ctx.now,
  });
  // Only what the text says counts: how and by whom it was posted was judged when it was posted.
  const reasons: ModerationReason[] = decision.reasons.filter((r) => !postingRules.has(r.rule));
  const textScore = reasons.reduce((sum, r) => sum + (r.score ?? 0), 0);
  if (linkCount > settings.rules.maxLinks && !reasons.some((r) => r.rule === 'too-many-links')) {
    reasons.push({ rule: 'too-many-links', verdict: 'hold', detail: `${linkCount} links after an edit (the limit is ${settings.rules.maxLinks})` } as ModerationReason);
  }
  // An edit never sends a comment to spam; at worst it goes back to the queue.
  const heldAgain = comment.status === 'approved' && (reasons.some((r) => r.verdict !== 'note') || textScore >= settings.rules.holdScore);
  const status = heldAgain ? 'pending' : comment.status;
  const now = ctx.now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const updated = await reader.updateCommentText(trx, comment.id, {
      body_source: text,
      body_html: bodyHtml,
      body_fingerprint: bodyFingerprint(text),
      link_count: linkCount,
      edited_at: now,
      status,
      moderation_reasons: heldAgain ? JSON.stringify(reasons) : comment.moderation_reasons,
    });
    await insertHistory(trx, {
      commentId: comment.id,
      action: 'edited',
      actor: 'commenter',
      details: { previous: comment.body_source, ...(heldAgain ? { status, reasons } : {}) },
      now,
    });
    const events: OutboxEvent[] = [
      await appendEvent(trx, { topic: 'comment.edited', payload: { commentId: comment.id, storyId: comment.story_id, status }, now }),
    ];
    if (heldAgain) {
      events.push(
        await appendEvent(trx, {
          topic: 'comment.status-changed',
          payload: { commentId: comment.id, storyId: comment.story_id, from: comment.status, to: status, actorId: null },
          now,
        }),
      );
    }
    return { updated, events: await withFollowUps(trx, deps, events) };
  });
  deps.onCommitted(result.events);
  return result.updated;
}

/** The author deletes their comment within the window; replies to it stay, under a placeholder. */
export async function deleteOwnComment(deps: Deps, ctx: RequestContext, who: OwnerRequest): Promise<CommentRow> {
  const comment = await getEditableComment(deps, ctx, who);
  const now = ctx.now.toISOString();
  const events = await deps.store.db.transaction().execute(async (trx) => {
    await reader.updateCommentStatus(trx, comment.id, 'deleted');
    await insertHistory(trx, { commentId: comment.id, action: 'deleted', actor: 'commenter', details: { from: comment.status }, now });
    const changed = await appendEvent(trx, {
      topic: 'comment.status-changed',
      payload: { commentId: comment.id, storyId: comment.story_id, from: comment.status, to: 'deleted', actorId: null },
      now,
    });
    return withFollowUps(trx, deps, [changed]);
  });
  deps.onCommitted(events);
  return { ...comment, status: 'deleted' };
}

/** This browser's comments on a story: the held ones (to show in place) and those it may still change. */
export async function listOwnComments(
  deps: Deps,
  ctx: Pick<RequestContext, 'now'>,
  o: { storyId: number; ownerKeyHash: string | undefined },
): Promise<{ held: CommentRow[]; editable: { id: number; until: string }[] }> {
  if (!o.ownerKeyHash) return { held: [], editable: [] };
  const [rows, settings] = await Promise.all([
    reader.listOwnComments(deps.store.db, { storyId: o.storyId, ownerKeyHash: o.ownerKeyHash }),
    loadCommentSettings(deps),
  ]);
  return {
    held: rows.filter((c) => c.status === 'pending' || c.status === 'spam'),
    editable: rows
      .filter((c) => c.status !== 'spam' && withinEditWindow(c, settings.editWindowMinutes, ctx.now))
      .map((c) => ({ id: c.id, until: editWindowEnds(c, settings.editWindowMinutes).toISOString() })),
  };
}

/** A held comment for its author's own view; undefined for anyone else or once it is no longer held. */
export async function findHeldCommentForOwner(deps: Deps, o: { commentId: number; storyId: number; ownerKeyHash: string | undefined }) {
  const comment = await findComment(deps.store.db, o.commentId);
  // Spam looks held to its author: telling a spammer the verdict only helps them.
  if (!comment || (comment.status !== 'pending' && comment.status !== 'spam') || comment.story_id !== o.storyId || !isOwnedBy(comment, o.ownerKeyHash)) return undefined;
  return comment;
}

export const reportReasons = ['spam', 'abuse', 'off-topic', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** Reports per reader (by hashed IP) in an hour. */
export const reportLimit = { max: 10, windowMs: 3_600_000 } as const;

/** An approved comment on a published story, which readers may report; throws COMMENT_NOT_FOUND otherwise. */
export async function getReportableComment(deps: Deps, commentId: number): Promise<CommentRow> {
  const comment = await findComment(deps.store.db, commentId);
  if (!comment || comment.status !== 'approved' || !(await findPublishedStory(deps, comment.story_id))) {
    throw new DomainError('COMMENT_NOT_FOUND', 'This comment does not exist or has been removed.');
  }
  return comment;
}

const reportForm = z.object({
  reason: z.enum(reportReasons, { error: 'Please choose why you are reporting this comment.' }),
  note: z
    .string()
    .max(1_000, 'Please keep the note under 1,000 characters.')
    .transform((v) => v.trim()),
});

/**
 * A reader reports a comment: one open report per reader (by salted IP hash) and comment, rate
 * limited per reader. Reporting again while a report is open changes nothing.
 */
export async function reportComment(
  deps: Deps,
  ctx: RequestContext,
  input: { commentId: number; reason: string; note: string },
): Promise<void> {
  const comment = await getReportableComment(deps, input.commentId);
  const parsed = reportForm.safeParse({ reason: input.reason, note: input.note });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    throw new ValidationError(errors);
  }
  const reporterKey = hashIp(deps.ipSalt, ctx.ip);
  await enforceRateLimit(deps, {
    bucket: 'comment-report',
    key: reporterKey,
    limit: reportLimit,
    now: ctx.now,
    code: 'COMMENT_REPORT_THROTTLED',
    message: (seconds) => `You have sent many reports in a short time. Please try again in ${Math.ceil(seconds / 60)} minutes.`,
  });
  const now = ctx.now.toISOString();
  const events = await deps.store.db.transaction().execute(async (trx) => {
    if (await reader.hasOpenReport(trx, { commentId: comment.id, reporterKey })) return [];
    const reportId = await reader.insertReport(trx, {
      commentId: comment.id,
      reason: parsed.data.reason,
      note: parsed.data.note === '' ? null : parsed.data.note,
      reporterKey,
      now,
    });
    await insertHistory(trx, {
      commentId: comment.id,
      action: 'reported',
      actor: 'system',
      details: { reportId, reason: parsed.data.reason, note: parsed.data.note, reporter: reporterKey.slice(0, 12) },
      now,
    });
    const reported = await appendEvent(trx, { topic: 'comment.reported', payload: { commentId: comment.id, storyId: comment.story_id, reportId }, now });
    return withFollowUps(trx, deps, [reported]);
  });
  deps.onCommitted(events);
}
