import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The order of a story's comment threads as a number kept with each thread's first comment
 * (`thread_seq`, 1, 2, 3… per story, given when the thread is first approved) and the story's last
 * number (`stories.comment_threads`). Page N of comments is then a range of numbers, and the page a
 * comment is on is a division: both read an index entry or two instead of counting every thread
 * before it (a story with 10,000 comments made each comment post count thousands of rows).
 * Existing threads are numbered in the order they were posted.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('comments').addColumn('thread_seq', 'integer').execute();
  await db.schema.alterTable('stories').addColumn('comment_threads', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('comments_story_thread_idx').on('comments').columns(['story_id', 'thread_seq']).execute();
  await sql`
    update comments set thread_seq = numbered.seq
    from (
      select id, row_number() over (partition by story_id order by id) as seq
      from comments where depth = 1 and status in ('approved', 'deleted')
    ) as numbered
    where comments.id = numbered.id`.execute(db);
  await sql`
    update stories set comment_threads = coalesce((select max(c.thread_seq) from comments c where c.story_id = stories.id), 0)`.execute(db);
}
