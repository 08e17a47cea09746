import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The duplicate check a comment post makes, made an index lookup so it costs the same on a story
 * with 10,000 comments as on one with ten:
 * - `body_fingerprint` (a hash of the text with whitespace runs folded) for the duplicate check,
 *   looked up by story and fingerprint. Comments stored before this migration have '' and are
 *   not compared: the check looks back 24 hours only.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('comments').addColumn('body_fingerprint', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('comments_story_fingerprint_idx').on('comments').columns(['story_id', 'body_fingerprint']).execute();
}
