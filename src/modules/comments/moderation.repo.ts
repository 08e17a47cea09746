import type { Kysely } from 'kysely';
import type { CommentReportRow, CommentStatus, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** The queue's views: "needs attention" (held or reported), one per state, reported, everything. */
export const queueViews = ['attention', 'pending', 'reported', 'approved', 'spam', 'trash', 'all'] as const;
export type QueueView = (typeof queueViews)[number];

export interface QueueFilter {
  view: QueueView;
  /** Only this commenter's comments (by email key). */
  emailKey?: string;
  /** Keyset: comments with a smaller id than this (the next page, newest first). */
  beforeId?: number;
  limit: number;
}

/** One comment as the queue shows it: the comment, its story, its open reports, its commenter's record. */
export interface QueueRow {
  id: number;
  story_id: number;
  parent_id: number | null;
  status: CommentStatus;
  author_name: string;
  author_email: string;
  author_url: string | null;
  body_source: string;
  body_html: string;
  created_at: string;
  edited_at: string | null;
  email_key: string;
  link_count: number;
  spam_score: number;
  moderation_reasons: string;
  moderated_at: string | null;
  staff_person_id: number | null;
  story_headline: string;
  story_slug: string;
}

export interface ReportCount {
  reason: string;
  count: number;
}

/** How many comments a commenter has in each state. */
export type StatusCounts = Partial<Record<CommentStatus, number>>;

const queueColumns = [
  'c.id',
  'c.story_id',
  'c.parent_id',
  'c.status',
  'c.author_name',
  'c.author_email',
  'c.author_url',
  'c.body_source',
  'c.body_html',
  'c.created_at',
  'c.edited_at',
  'c.email_key',
  'c.link_count',
  'c.spam_score',
  'c.moderation_reasons',
  'c.moderated_at',
  'c.staff_person_id',
  's.headline as story_headline',
  's.slug as story_slug',
] as const;

/** Ids of the comments in a view, newest first: each part read in id order from an index, `limit` at most. */
export async function listQueueIds(db: Db, f: QueueFilter): Promise<number[]> {
  if (f.view === 'reported') return listReportedIds(db, f);
  if (f.view === 'attention') {
    const [held, reported] = await Promise.all([listStatusIds(db, { ...f, view: 'pending' }), listReportedIds(db, f)]);
    return [...new Set([...held, ...reported])].sort((a, b) => b - a).slice(0, f.limit);
  }
  return listStatusIds(db, f);
}

function listStatusIds(db: Db, f: QueueFilter): Promise<number[]> {
  let q = db.selectFrom('comments').select('id');
  if (f.view !== 'all') q = q.where('status', '=', f.view as CommentStatus);
  if (f.emailKey !== undefined) q = q.where('email_key', '=', f.emailKey);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q
    .orderBy('id', 'desc')
    .limit(f.limit)
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

async function listReportedIds(db: Db, f: QueueFilter): Promise<number[]> {
  let q = db.selectFrom('comment_reports').select('comment_id').where('resolved_at', 'is', null);
  if (f.emailKey !== undefined) {
    const emailKey = f.emailKey;
    q = q.where('comment_id', 'in', (eb) => eb.selectFrom('comments').select('id').where('email_key', '=', emailKey));
  }
  if (f.beforeId !== undefined) q = q.where('comment_id', '<', f.beforeId);
  const rows = await q.groupBy('comment_id').orderBy('comment_id', 'desc').limit(f.limit).execute();
  return rows.map((r) => r.comment_id);
}

/** A page of a view by state (or of every state), newest first, in one query: no ids to merge. */
export function listQueueRowsByStatus(db: Db, f: QueueFilter): Promise<QueueRow[]> {
  let q = db.selectFrom('comments as c').innerJoin('stories as s', 's.id', 'c.story_id').select(queueColumns);
  if (f.view !== 'all') q = q.where('c.status', '=', f.view as CommentStatus);
  if (f.emailKey !== undefined) q = q.where('c.email_key', '=', f.emailKey);
  if (f.beforeId !== undefined) q = q.where('c.id', '<', f.beforeId);
  return q.orderBy('c.id', 'desc').limit(f.limit).execute();
}

/** The queue rows of these comments, newest first. */
export async function listQueueRows(db: Db, ids: readonly number[]): Promise<QueueRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments as c')
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .select(queueColumns)
    .where('c.id', 'in', ids)
    .orderBy('c.id', 'desc')
    .execute();
}

/** Open reports of these comments, counted by reason. */
export async function countOpenReports(db: Db, ids: readonly number[]): Promise<Map<number, ReportCount[]>> {
  const result = new Map<number, ReportCount[]>();
  if (ids.length === 0) return result;
  const rows = await db
    .selectFrom('comment_reports')
    .select((eb) => ['comment_id', 'reason', eb.fn.countAll<number>().as('n')])
    .where('comment_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .groupBy(['comment_id', 'reason'])
    .orderBy('reason')
    .execute();
  for (const r of rows) {
    const list = result.get(r.comment_id) ?? [];
    list.push({ reason: r.reason, count: Number(r.n) });
    result.set(r.comment_id, list);
  }
  return result;
}

/** Each commenter's comments counted by state (from the email key and state index alone). */
export async function countByCommenter(db: Db, emailKeys: readonly string[]): Promise<Map<string, StatusCounts>> {
  const result = new Map<string, StatusCounts>();
  const keys = [...new Set(emailKeys)];
  if (keys.length === 0) return result;
  const rows = await db
    .selectFrom('comments')
    .select((eb) => ['email_key', 'status', eb.fn.countAll<number>().as('n')])
    .where('email_key', 'in', keys)
    .groupBy(['email_key', 'status'])
    .execute();
  for (const r of rows) {
    const counts = result.get(r.email_key) ?? {};
    counts[r.status] = Number(r.n);
    result.set(r.email_key, counts);
  }
  return result;
}

/** Held comments plus comments with open reports that are not held: the number on the queue's link. */
export async function countNeedingAttention(db: Db): Promise<number> {
  const [held, reported] = await Promise.all([
    db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    // Open reports are few; the held ids are read once (hashed) rather than one comment row per report.
    db
      .selectFrom('comment_reports')
      .select((eb) => eb.fn.count<number>('comment_id').distinct().as('n'))
      .where('resolved_at', 'is', null)
      .where('comment_id', 'not in', (eb) => eb.selectFrom('comments').select('id').where('status', '=', 'pending'))
      .executeTakeFirstOrThrow(),
  ]);
  return Number(held.n) + Number(reported.n);
}

/** Every report of a comment, oldest first. */
export function listReports(db: Db, commentId: number): Promise<CommentReportRow[]> {
  return db.selectFrom('comment_reports').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
}

/** Closes the open reports of a comment: a moderator has acted on it. */
export async function resolveReports(db: Db, o: { commentId: number; personId: number; now: string }): Promise<number> {
  const result = await db
    .updateTable('comment_reports')
    .set({ resolved_at: o.now, resolved_by: o.personId })
    .where('comment_id', '=', o.commentId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A staff member's sign-in address (for a reply as the newsroom). */
export async function findStaffEmail(db: Db, personId: number): Promise<string | undefined> {
  const row = await db.selectFrom('people').select('email').where('id', '=', personId).executeTakeFirst();
  return row?.email ?? undefined;
}

/** The site's name, as the settings table holds it. */
export async function findSiteName(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'site_name').executeTakeFirst();
  return row?.value;
}

/** Names of staff members by id (who moderated, who resolved a report). */
export async function listPeopleNames(db: Db, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
