import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import type { CommentRow, CommentStatus, Database } from '../../db/schema.js';
import { publicCommentColumns, type PublicComment } from './comments.repo.js';

type Db = Kysely<Database>;

/** Statuses a reader's page may hold: approved comments, and deleted ones (as placeholders). */
const pageStatuses: CommentStatus[] = ['approved', 'deleted'];

/**
 * A top-level comment that starts a thread on a public page: approved, or deleted by its author
 * while some reply to it is still approved (the placeholder keeps the replies readable).
 */
function isVisibleRoot(eb: ExpressionBuilder<Database & { c: Database['comments'] }, 'c'>) {
  return eb.and([
    eb('c.depth', '=', 1),
    eb.or([
      eb('c.status', '=', 'approved'),
      eb.and([
        eb('c.status', '=', 'deleted'),
        eb.exists(eb.selectFrom('comments as r').select('r.id').whereRef('r.root_id', '=', 'c.id').where('r.status', '=', 'approved')),
      ]),
    ]),
  ]);
}

/** A row of a page of comments: its thread number tells the roots' order (null for replies). */
export type PageComment = PublicComment & { thread_seq: number | null };

/**
 * One page of a story's comments in one statement: the visible thread roots numbered `from`…`to`
 * (comments_story_thread_idx) and every reply of those threads a page may show (comments_root_idx),
 * in id order, so a parent always comes before its replies. Roots carry their thread number.
 */
export function listPageThreads(db: Db, o: { storyId: number; from: number; to: number }): Promise<PageComment[]> {
  return pageThreadsQuery.execute(db, { storyId: o.storyId, from: Math.max(1, o.from), to: o.to });
}

const pageThreadsQuery = prepareQuery((db, p: { storyId: number; from: number; to: number }) =>
  db
    .with('page_roots', (qb) =>
      qb
        .selectFrom('comments as c')
        .select('c.id')
        .where('c.story_id', '=', p.storyId)
        .where('c.thread_seq', '>=', p.from)
        .where('c.thread_seq', '<=', p.to)
        .where((eb) => isVisibleRoot(eb)),
    )
    .selectFrom('comments')
    .select([...publicCommentColumns, 'thread_seq'])
    .where('id', 'in', (eb) => eb.selectFrom('page_roots').select('page_roots.id'))
    .unionAll((eb) =>
      eb
        .selectFrom('comments')
        .select([...publicCommentColumns, sql<number | null>`cast(null as integer)`.as('thread_seq')])
        .where('root_id', 'in', (r) => r.selectFrom('page_roots').select('page_roots.id'))
        .where('status', 'in', pageStatuses),
    )
    .orderBy('id'),
);

/** How many threads a story has numbered (its last thread number). */
export async function countThreads(db: Db, storyId: number): Promise<number> {
  const row = await threadCountQuery.executeTakeFirst(db, { storyId });
  return row?.comment_threads ?? 0;
}

const threadCountQuery = prepareQuery((db, p: { storyId: number }) => db.selectFrom('stories').select('comment_threads').where('id', '=', p.storyId));

/** A thread root's number (null while the thread was never approved). */
export async function findThreadSeq(db: Db, rootId: number): Promise<number | null> {
  const row = await threadSeqQuery.executeTakeFirst(db, { rootId });
  return row?.thread_seq ?? null;
}

const threadSeqQuery = prepareQuery((db, p: { rootId: number }) => db.selectFrom('comments').select('thread_seq').where('id', '=', p.rootId));

/** Approved comments on a story (uses comments_story_status_idx). */
export async function countApproved(db: Db, storyId: number): Promise<number> {
  const row = await approvedCountQuery.executeTakeFirstOrThrow(db, { storyId });
  return Number(row.n);
}

const approvedCountQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('story_id', '=', p.storyId)
    .where('status', '=', 'approved'),
);

/** One browser's comments on a story that are not deleted or trashed, oldest first. */
export function listOwnComments(db: Db, o: { storyId: number; ownerKeyHash: string }): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('story_id', '=', o.storyId)
    .where('owner_key_hash', '=', o.ownerKeyHash)
    .where('status', 'in', ['approved', 'pending', 'spam'])
    .orderBy('id')
    .execute();
}

export async function updateCommentText(
  db: Db,
  id: number,
  changes: Pick<CommentRow, 'body_source' | 'body_html' | 'link_count' | 'edited_at' | 'status' | 'moderation_reasons' | 'body_fingerprint'>,
): Promise<CommentRow> {
  return db.updateTable('comments').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function updateCommentStatus(db: Db, id: number, status: CommentStatus): Promise<void> {
  await db.updateTable('comments').set({ status }).where('id', '=', id).execute();
}

/** True when this reporter already has an open (unresolved) report on the comment. */
export async function hasOpenReport(db: Db, o: { commentId: number; reporterKey: string }): Promise<boolean> {
  const row = await db
    .selectFrom('comment_reports')
    .select('id')
    .where('comment_id', '=', o.commentId)
    .where('reporter_key', '=', o.reporterKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertReport(
  db: Db,
  report: { commentId: number; reason: string; note: string | null; reporterKey: string; now: string },
): Promise<number> {
  const row = await db
    .insertInto('comment_reports')
    .values({ comment_id: report.commentId, reason: report.reason, note: report.note, reporter_key: report.reporterKey, created_at: report.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
