import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Indexes for the newsroom's story list (/admin/stories), newest change first, with its filters.
 * Without them every list page read the whole stories table: on SQLite the status and timestamp
 * columns sit after the story bodies, in overflow pages, so sorting 10,000 stories by modified_at
 * cost 60–70 ms a page (bench/admin-pages.bench.ts). With them a page reads about 50 index entries.
 * story_authors gets an index by person for the author filter and its list of bylined people.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('stories_modified_idx').on('stories').columns(['modified_at', 'id']).execute();
  await db.schema.createIndex('stories_status_modified_idx').on('stories').columns(['status', 'modified_at', 'id']).execute();
  await db.schema.createIndex('stories_section_modified_idx').on('stories').columns(['section_id', 'modified_at', 'id']).execute();
  await db.schema.createIndex('story_authors_person_idx').on('story_authors').columns(['person_id', 'story_id']).execute();
}
