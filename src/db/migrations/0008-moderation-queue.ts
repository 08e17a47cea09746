import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Indexes for the moderation queue (/admin/comments) with 100,000 comments:
 * - open reports by the comment they are about, so the "reported" part of the queue is read
 *   newest comment first from the index (keyset on the comment id) rather than by report id;
 * - a commenter's comments by state, so the history shown beside each comment ("3 approved,
 *   1 spam") is counted from the index alone.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('comment_reports_open_comment_idx').on('comment_reports').columns(['resolved_at', 'comment_id']).execute();
  await db.schema.createIndex('comments_email_key_status_idx').on('comments').columns(['email_key', 'status']).execute();
}
