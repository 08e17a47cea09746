import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { CommentHistoryRow, CommentReportRow, CommentRow, CommentStatus, Database } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { emailKey } from '../../lib/email-key.js';
import { countLinks, renderCommentMarkdown } from '../../lib/markdown.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import { assertCan, type Actor } from '../people/index.js';
import { insertHistory, listHistory, type HistoryAction } from './comments.history.js';
import { withFollowUps } from './comments.outbox.js';
import * as repo from './comments.repo.js';
import { commentLimits } from './comments.schemas.js';
import * as queue from './moderation.repo.js';

export type { QueueView, ReportCount, StatusCounts } from './moderation.repo.js';
export { queueViews } from './moderation.repo.js';

/** What a moderator can do to a comment's state, and where it leaves the comment. */
export const moderationActions = { approve: 'approved', hold: 'pending', spam: 'spam', trash: 'trash' } as const satisfies Record<string, CommentStatus>;
export type ModerationAction = keyof typeof moderationActions;

const historyActionFor: Record<ModerationAction, HistoryAction> = { approve: 'approved', hold: 'held', spam: 'spammed', trash: 'trashed' };

/** Most comments one bulk action may change (a queue page shows 50). */
export const maxBulkComments = 200;

export interface QueueEntry extends queue.QueueRow {
  reports: queue.ReportCount[];
  /** The commenter's other comments, counted by state (this one left out). */
  previous: queue.StatusCounts;
}

export interface QueuePage {
  entries: QueueEntry[];
  /** Id to pass as `before` for the next (older) page, when there is one. */
  nextBefore: number | undefined;
}

export interface ModerationDetail {
  comment: CommentRow;
  story: { id: number; headline: string; slug: string };
  history: CommentHistoryRow[];
  reports: CommentReportRow[];
  previous: queue.StatusCounts;
  /** Names of the staff members the history and reports refer to. */
  people: Map<number, string>;
}

/** A page of the moderation queue, newest first. */
export async function listModerationQueue(
  deps: Deps,
  actor: Actor,
  o: { view: queue.QueueView; emailKey?: string; beforeId?: number; limit: number },
): Promise<QueuePage> {
  assertCan(actor, 'comment.moderate');
  const db = deps.store.db;
  const filter = { ...o, limit: o.limit + 1 };
  // Held and reported comments come from two indexes, merged by id; a view by state is one query.
  const found = o.view === 'attention' || o.view === 'reported' ? await queue.listQueueRows(db, await queue.listQueueIds(db, filter)) : await queue.listQueueRowsByStatus(db, filter);
  const rows = found.slice(0, o.limit);
  const pageIds = rows.map((r) => r.id);
  const [reports, counts] = await Promise.all([queue.countOpenReports(db, pageIds), queue.countByCommenter(db, rows.map((r) => r.email_key))]);
  const entries = rows.map((row) => ({ ...row, reports: reports.get(row.id) ?? [], previous: withoutOne(counts.get(row.email_key) ?? {}, row.status) }));
  return { entries, nextBefore: found.length > o.limit ? pageIds[pageIds.length - 1] : undefined };
}

/** How many comments wait for a moderator (held, or reported and not yet acted on). */
export function countModerationQueue(deps: Deps, actor: Actor): Promise<number> {
  assertCan(actor, 'comment.moderate');
  return queue.countNeedingAttention(deps.store.db);
}

/** One comment with its whole trail, for the moderator's detail page. */
export async function getCommentForModeration(deps: Deps, actor: Actor, commentId: number): Promise<ModerationDetail> {
  assertCan(actor, 'comment.moderate');
  const db = deps.store.db;
  const [row] = await queue.listQueueRows(db, [commentId]);
  const comment = await repo.findComment(db, commentId);
  if (!row || !comment) throw notFound();
  const [history, reports, counts] = await Promise.all([listHistory(db, commentId), queue.listReports(db, commentId), queue.countByCommenter(db, [comment.email_key])]);
  const people = await queue.listPeopleNames(db, [comment.moderated_by, ...history.map((h) => h.actor_id), ...reports.map((r) => r.resolved_by)]);
  return {
    comment,
    story: { id: row.story_id, headline: row.story_headline, slug: row.story_slug },
    history,
    reports,
    previous: withoutOne(counts.get(comment.email_key) ?? {}, comment.status),
    people,
  };
}

export const approveComment = (deps: Deps, actor: Actor, commentId: number) => moderateOne(deps, actor, commentId, 'approve');
export const holdComment = (deps: Deps, actor: Actor, commentId: number) => moderateOne(deps, actor, commentId, 'hold');
export const spamComment = (deps: Deps, actor: Actor, commentId: number) => moderateOne(deps, actor, commentId, 'spam');
export const trashComment = (deps: Deps, actor: Actor, commentId: number) => moderateOne(deps, actor, commentId, 'trash');
/** Takes a comment out of spam or trash: approved again if it ever was, else back to the held comments. */
export async function restoreComment(deps: Deps, actor: Actor, commentId: number): Promise<CommentRow> {
  assertCan(actor, 'comment.moderate');
  const history = await listHistory(deps.store.db, commentId);
  return moderateOne(deps, actor, commentId, history.some((h) => h.action === 'approved') ? 'approve' : 'hold');
}

/** Applies one moderation action to a comment; unknown → COMMENT_NOT_FOUND, removed by its author → COMMENT_DELETED_BY_AUTHOR. */
export async function moderateOne(deps: Deps, actor: Actor, commentId: number, action: ModerationAction): Promise<CommentRow> {
  assertCan(actor, 'comment.moderate');
  const { updated, events } = await deps.store.db.transaction().execute(async (trx) => {
    const comment = await repo.findComment(trx, commentId);
    if (!comment) throw notFound();
    if (comment.status === 'deleted') throw deletedByAuthor();
    const applied = await applyAction(trx, actor, comment, action, deps.clock.now().toISOString());
    return { ...applied, events: await withFollowUps(trx, deps, applied.events) };
  });
  deps.onCommitted(events);
  return updated;
}

/** Applies one action to many comments in one transaction; unknown ids and comments deleted by their author are skipped. */
export async function moderateMany(deps: Deps, actor: Actor, o: { commentIds: readonly number[]; action: ModerationAction }): Promise<{ changed: number; skipped: number }> {
  assertCan(actor, 'comment.moderate');
  const ids = [...new Set(o.commentIds)];
  if (ids.length === 0) throw new ValidationError({ ids: 'Tick at least one comment.' });
  if (ids.length > maxBulkComments) throw new ValidationError({ ids: `Choose at most ${maxBulkComments} comments at a time.` });
  const now = deps.clock.now().toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const all: OutboxEvent[] = [];
    let changed = 0;
    for (const id of ids) {
      const comment = await repo.findComment(trx, id);
      if (!comment || comment.status === 'deleted') continue;
      const { events } = await applyAction(trx, actor, comment, o.action, now);
      all.push(...events);
      changed++;
    }
    return { events: await withFollowUps(trx, deps, all), changed };
  });
  deps.onCommitted(result.events);
  return { changed: result.changed, skipped: ids.length - result.changed };
}

/** A moderator's edit of a comment's text: the previous text is kept in the history entry. */
export async function editCommentAsModerator(deps: Deps, actor: Actor, o: { commentId: number; body: string }): Promise<CommentRow> {
  assertCan(actor, 'comment.moderate');
  const body = checkBody(o.body, 'comment');
  const now = deps.clock.now().toISOString();
  const bodyHtml = renderCommentMarkdown(body);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const comment = await repo.findComment(trx, o.commentId);
    if (!comment) throw notFound();
    if (comment.status === 'deleted') throw deletedByAuthor();
    const updated = await trx
      .updateTable('comments')
      .set({ body_source: body, body_html: bodyHtml, link_count: countLinks(bodyHtml), edited_at: now })
      .where('id', '=', comment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertHistory(trx, { commentId: comment.id, action: 'edited', actor: staff(actor), details: { previous: comment.body_source }, now });
    await queue.resolveReports(trx, { commentId: comment.id, personId: actor.personId, now });
    const event = await appendEvent(trx, { topic: 'comment.edited', payload: { commentId: comment.id, storyId: comment.story_id, status: comment.status }, now });
    return { updated, events: [event] };
  });
  deps.onCommitted(result.events);
  return result.updated;
}

/**
 * A reply by the signed-in staff member, as the newsroom: approved at once, threaded under the
 * comment, signed "Name, Site". Replying to a held comment approves it (the reply would otherwise
 * answer something readers cannot see).
 */
export async function replyAsNewsroom(deps: Deps, actor: Actor, o: { commentId: number; body: string; userAgent?: string }): Promise<CommentRow> {
  assertCan(actor, 'comment.moderate');
  const body = checkBody(o.body, 'reply');
  const db = deps.store.db;
  const [email, siteName] = await Promise.all([queue.findStaffEmail(db, actor.personId), queue.findSiteName(db)]);
  const now = deps.clock.now().toISOString();
  const bodyHtml = renderCommentMarkdown(body);
  const result = await db.transaction().execute(async (trx) => {
    const parent = await repo.findComment(trx, o.commentId);
    if (!parent) throw notFound();
    if (parent.status !== 'approved' && parent.status !== 'pending') {
      throw new ValidationError({ reply: 'Only an approved or held comment can be answered. Restore this one first.' });
    }
    const events: OutboxEvent[] = parent.status === 'pending' ? (await applyAction(trx, actor, parent, 'approve', now)).events : [];
    const reply = await repo.insertComment(trx, {
      story_id: parent.story_id,
      parent_id: parent.id,
      root_id: parent.root_id ?? parent.id,
      depth: parent.depth + 1,
      status: 'approved',
      author_name: siteName ? `${actor.name}, ${siteName}` : actor.name,
      author_email: email ?? '',
      author_url: null,
      body_source: body,
      body_html: bodyHtml,
      created_at: now,
      ip_hash: null,
      user_agent: (o.userAgent ?? '').slice(0, 512),
      email_key: email ? emailKey(deps.ipSalt, email) : '',
      link_count: countLinks(bodyHtml),
      moderation_reasons: '[]',
      moderated_at: now,
      moderated_by: actor.personId,
      staff_person_id: actor.personId,
    });
    await insertHistory(trx, { commentId: reply.id, action: 'created', actor: staff(actor), details: { status: 'approved', replyTo: parent.id, newsroom: true }, now });
    await queue.resolveReports(trx, { commentId: parent.id, personId: actor.personId, now });
    events.push(await appendEvent(trx, { topic: 'comment.created', payload: { commentId: reply.id, storyId: reply.story_id, status: reply.status, parentId: reply.parent_id }, now }));
    return { reply, events: await withFollowUps(trx, deps, events) };
  });
  deps.onCommitted(result.events);
  return result.reply;
}

async function applyAction(trx: Kysely<Database>, actor: Actor, comment: CommentRow, action: ModerationAction, now: string) {
  const to = moderationActions[action];
  // A thread approved for the first time takes the next place in its story's order of threads.
  const numbered = to === 'approved' && comment.depth === 1 && comment.thread_seq === null ? { thread_seq: await repo.nextThreadSeq(trx, comment.story_id) } : {};
  const updated = await trx
    .updateTable('comments')
    .set({ status: to, moderated_at: now, moderated_by: actor.personId, ...numbered })
    .where('id', '=', comment.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const resolved = await queue.resolveReports(trx, { commentId: comment.id, personId: actor.personId, now });
  await insertHistory(trx, { commentId: comment.id, action: historyActionFor[action], actor: staff(actor), details: { from: comment.status, to, reportsResolved: resolved }, now });
  const events: OutboxEvent[] = [];
  if (comment.status !== to) {
    events.push(
      await appendEvent(trx, {
        topic: 'comment.status-changed',
        payload: { commentId: comment.id, storyId: comment.story_id, from: comment.status, to, actorId: actor.personId },
        now,
      }),
    );
  }
  return { updated, events };
}

function checkBody(value: string, field: string): string {
  const body = value.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) throw new ValidationError({ [field]: 'Type the text first.' });
  if ([...body].length > commentLimits.comment) {
    throw new ValidationError({ [field]: `The text is too long: ${[...body].length.toLocaleString('en-US')} characters; the limit is ${commentLimits.comment.toLocaleString('en-US')}.` });
  }
  return body;
}

function withoutOne(counts: queue.StatusCounts, status: CommentStatus): queue.StatusCounts {
  const n = (counts[status] ?? 0) - 1;
  const copy = { ...counts };
  if (n > 0) copy[status] = n;
  else delete copy[status];
  return copy;
}

const staff = (actor: Actor) => ({ id: actor.personId, name: actor.name });
const notFound = () => new DomainError('COMMENT_NOT_FOUND', 'There is no comment with that number.');
const deletedByAuthor = () => new DomainError('COMMENT_DELETED_BY_AUTHOR', 'Its author deleted this comment; it can no longer be moderated.');
