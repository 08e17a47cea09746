import { sql, type Kysely } from 'kysely';
import type { CommentRow, Database, NewCommentRow } from '../../db/schema.js';

type Db = Kysely<Database>;

/** What a public page may show of a comment: never the email address, IP hash or user agent. */
export const publicCommentColumns = [
  'id',
  'story_id',
  'parent_id',
  'depth',
  'author_name',
  'author_url',
  'body_html',
  'created_at',
  // approved, or deleted (shown as a placeholder when it has replies); pending only in its author's own view.
  'status',
  'edited_at',
  // Never rendered: only its keyed hash, the avatar id (src/lib/avatar.ts), reaches a page.
  'email_key',
] as const;

export type PublicComment = Pick<CommentRow, (typeof publicCommentColumns)[number]>;

export function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Approved comments of a story, oldest first. */
export function listApprovedComments(db: Db, storyId: number): Promise<PublicComment[]> {
  return db
    .selectFrom('comments')
    .select(publicCommentColumns)
    .where('story_id', '=', storyId)
    .where('status', '=', 'approved')
    .orderBy('id')
    .execute();
}

export async function insertComment(db: Db, comment: NewCommentRow): Promise<CommentRow> {
  return db.insertInto('comments').values(comment).returningAll().executeTakeFirstOrThrow();
}

/**
 * Whether an address (by its email key) has had an approved comment: 1 if so, else 0. Only
 * "none" versus "some" matters to the first-time-commenter rule, so this stops at the first
 * approved comment (`limit 1` on the email-key index) instead of counting them all.
 */
export async function countApprovedByEmailKey(db: Db, emailKey: string): Promise<0 | 1> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('email_key', '=', emailKey)
    .where('status', '=', 'approved')
    .limit(1)
    .executeTakeFirst();
  return row ? 1 : 0;
}

/** True when the address posted text with this fingerprint on the story since `since` (uses comments_story_fingerprint_idx). */
export async function hasRecentComment(db: Db, c: { storyId: number; emailKey: string; fingerprint: string; since: string }): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('story_id', '=', c.storyId)
    .where('body_fingerprint', '=', c.fingerprint)
    .where('email_key', '=', c.emailKey)
    .where('created_at', '>=', c.since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The next thread number of a story (its `comment_threads` counter, moved in the caller's transaction). */
export async function nextThreadSeq(db: Db, storyId: number): Promise<number> {
  const row = await db
    .updateTable('stories')
    .set((eb) => ({ comment_threads: eb('comment_threads', '+', 1) }))
    .where('id', '=', storyId)
    .returning('comment_threads')
    .executeTakeFirstOrThrow();
  return row.comment_threads;
}

/**
 * Numbers the visible threads that have no number yet, in the order they were posted, after each
 * story's last number (for comments written straight into the table: bulk imports, seeds).
 */
export async function numberNewThreads(db: Db): Promise<void> {
  await sql`
    update comments set thread_seq = numbered.base + numbered.seq
    from (
      select c.id, s.comment_threads as base, row_number() over (partition by c.story_id order by c.id) as seq
      from comments c join stories s on s.id = c.story_id
      where c.depth = 1 and c.status in ('approved', 'deleted') and c.thread_seq is null
    ) as numbered
    where comments.id = numbered.id`.execute(db);
  await sql`
    update stories set comment_threads = coalesce((select max(c.thread_seq) from comments c where c.story_id = stories.id), 0)`.execute(db);
}
