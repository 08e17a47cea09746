import { sql, type Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
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

const findCommentQuery = prepareQuery((db, p: { id: number }) => db.selectFrom('comments').selectAll().where('id', '=', p.id));

export function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  return findCommentQuery.executeTakeFirst(db, { id });
}

/** The comment a reader replies to, with its thread's number (its root's, or its own when it starts the thread). */
export async function findReplyParent(db: Db, id: number): Promise<(CommentRow & { thread_number: number | null }) | undefined> {
  const row = await replyParentQuery.executeTakeFirst(db, { id });
  if (!row) return undefined;
  const { root_thread_seq, ...parent } = row;
  return { ...parent, thread_number: parent.root_id === null ? parent.thread_seq : root_thread_seq };
}

const replyParentQuery = prepareQuery((db, p: { id: number }) =>
  db
    .selectFrom('comments as c')
    .leftJoin('comments as r', 'r.id', 'c.root_id')
    .selectAll('c')
    .select('r.thread_seq as root_thread_seq')
    .where('c.id', '=', p.id),
);

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

/** Every column a reader's comment is stored with (all given, so one prepared insert fits every post). */
export type ReaderCommentRow = Required<
  Pick<
    NewCommentRow,
    | 'story_id'
    | 'parent_id'
    | 'root_id'
    | 'depth'
    | 'thread_seq'
    | 'status'
    | 'author_name'
    | 'author_email'
    | 'author_url'
    | 'body_source'
    | 'body_html'
    | 'created_at'
    | 'ip_hash'
    | 'user_agent'
    | 'email_key'
    | 'body_fingerprint'
    | 'link_count'
    | 'spam_score'
    | 'moderation_reasons'
    | 'owner_key_hash'
  >
>;

const insertReaderCommentQuery = prepareQuery((db, c: ReaderCommentRow) =>
  db
    .insertInto('comments')
    .values({
      story_id: c.story_id,
      parent_id: c.parent_id,
      root_id: c.root_id,
      depth: c.depth,
      thread_seq: c.thread_seq,
      status: c.status,
      author_name: c.author_name,
      author_email: c.author_email,
      author_url: c.author_url,
      body_source: c.body_source,
      body_html: c.body_html,
      created_at: c.created_at,
      ip_hash: c.ip_hash,
      user_agent: c.user_agent,
      email_key: c.email_key,
      body_fingerprint: c.body_fingerprint,
      link_count: c.link_count,
      spam_score: c.spam_score,
      moderation_reasons: c.moderation_reasons,
      owner_key_hash: c.owner_key_hash,
    })
    .returningAll(),
);

/** Stores a reader's comment (the comment POST's insert, prepared once). */
export function insertReaderComment(db: Db, comment: ReaderCommentRow): Promise<CommentRow> {
  return insertReaderCommentQuery.executeTakeFirstOrThrow(db, comment);
}

/**
 * Whether an address (by its email key) has had an approved comment: 1 if so, else 0. Only
 * "none" versus "some" matters to the first-time-commenter rule, so this stops at the first
 * approved comment (`limit 1` on the email-key index) instead of counting them all.
 */
export async function countApprovedByEmailKey(db: Db, emailKey: string): Promise<0 | 1> {
  const row = await approvedByEmailKeyQuery.executeTakeFirst(db, { emailKey });
  return row ? 1 : 0;
}

const approvedByEmailKeyQuery = prepareQuery((db, p: { emailKey: string }) =>
  db.selectFrom('comments').select('id').where('email_key', '=', p.emailKey).where('status', '=', 'approved').limit(1),
);

/** True when the address posted text with this fingerprint on the story since `since` (uses comments_story_fingerprint_idx). */
export async function hasRecentComment(db: Db, c: { storyId: number; emailKey: string; fingerprint: string; since: string }): Promise<boolean> {
  return (await recentCommentQuery.executeTakeFirst(db, c)) !== undefined;
}

const recentCommentQuery = prepareQuery((db, c: { storyId: number; emailKey: string; fingerprint: string; since: string }) =>
  db
    .selectFrom('comments')
    .select('id')
    .where('story_id', '=', c.storyId)
    .where('body_fingerprint', '=', c.fingerprint)
    .where('email_key', '=', c.emailKey)
    .where('created_at', '>=', c.since)
    .limit(1),
);

/** What a comment post needs to know before it is judged (findPostContext). */
export interface PostContext {
  story: { id: number; slug: string; published_at: string | null; comments_open: number; comments_premoderated: number; comments_close_after_days: number | null; comment_threads: number };
  /** The stored comment settings' text (null: never stored). */
  settingsText: string | null;
  /** Whether the address (by its email key) has had an approved comment (the first-time-commenter rule). */
  approvedBefore: boolean;
  /** Whether the address posted text with this fingerprint on the story since `since` (the duplicate check). */
  duplicate: boolean;
}

/**
 * In one statement, what a comment post checks before it is judged: the published story visible at
 * `now` (undefined when there is none), the comment settings' text, whether the address has an
 * approved comment (stops at the first one: email-key index) and whether this text is a duplicate
 * (comments_story_fingerprint_idx). Each was its own statement; together they cost a third.
 */
export async function findPostContext(
  db: Db,
  p: { storyId: number; now: string; settingsKey: string; emailKey: string; fingerprint: string; since: string },
): Promise<PostContext | undefined> {
  const row = await postContextQuery.executeTakeFirst(db, p);
  if (!row) return undefined;
  const { settings_text, approved_before, duplicate, ...story } = row;
  return { story, settingsText: settings_text, approvedBefore: Boolean(approved_before), duplicate: Boolean(duplicate) };
}

const postContextQuery = prepareQuery((db, p: { storyId: number; now: string; settingsKey: string; emailKey: string; fingerprint: string; since: string }) =>
  db
    .selectFrom('stories')
    .select(['id', 'slug', 'published_at', 'comments_open', 'comments_premoderated', 'comments_close_after_days', 'comment_threads'])
    .select((eb) => [
      eb.selectFrom('settings').select('value').where('key', '=', p.settingsKey).as('settings_text'),
      eb.exists(eb.selectFrom('comments').select('id').where('email_key', '=', p.emailKey).where('status', '=', 'approved')).as('approved_before'),
      eb
        .exists(
          eb
            .selectFrom('comments')
            .select('id')
            .where('story_id', '=', p.storyId)
            .where('body_fingerprint', '=', p.fingerprint)
            .where('email_key', '=', p.emailKey)
            .where('created_at', '>=', p.since),
        )
        .as('duplicate'),
    ])
    .where('id', '=', p.storyId)
    .where('status', '=', 'published')
    .where('published_at', '<=', p.now),
);

/** The next thread number of a story (its `comment_threads` counter, moved in the caller's transaction). */
export async function nextThreadSeq(db: Db, storyId: number): Promise<number> {
  return (await nextThreadSeqQuery.executeTakeFirstOrThrow(db, { storyId })).comment_threads;
}

const nextThreadSeqQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .updateTable('stories')
    .set((eb) => ({ comment_threads: eb('comment_threads', '+', 1) }))
    .where('id', '=', p.storyId)
    .returning('comment_threads'),
);

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
