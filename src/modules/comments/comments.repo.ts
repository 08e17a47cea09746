import type { Kysely } from 'kysely';
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

/** Approved comments an address has had (by its email key), for the first-time-commenter rule. */
export async function countApprovedByEmailKey(db: Db, emailKey: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email_key', '=', emailKey)
    .where('status', '=', 'approved')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
