import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Lookups a comment post makes, made index-only so they cost the same on a story with 10,000
 * comments as on one with ten:
 * - `body_fingerprint` (a hash of the text with whitespace runs folded) for the duplicate check,
 *   looked up by story and fingerprint. Comments stored before this migration have '' and are
 *   not compared: the check looks back 24 hours only.
 * - thread roots by story and state, so the page a comment lands on is counted from the index.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('comments').addColumn('body_fingerprint', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('comments_story_fingerprint_idx').on('comments').columns(['story_id', 'body_fingerprint']).execute();
  await db.schema.createIndex('comments_story_root_status_idx').on('comments').columns(['story_id', 'depth', 'status', 'id']).execute();
}
