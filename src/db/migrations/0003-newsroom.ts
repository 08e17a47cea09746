import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType, withId } from './helpers.js';

/**
 * The newsroom's structure and history: sections and tags, old slugs (for 301s), revisions of
 * every save, corrections (kept forever), and the audit log.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);

  await withId(db.schema.createTable('sections'), dialect)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('tags'), dialect)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('story_tags')
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_tags_pk', ['story_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('story_tags_tag_idx').on('story_tags').columns(['tag_id', 'story_id']).execute();

  await db.schema.alterTable('stories').addColumn('section_id', 'integer', (c) => c.references('sections.id').onDelete('set null')).execute();
  await db.schema.alterTable('stories').addColumn('created_by', 'integer', (c) => c.references('people.id').onDelete('set null')).execute();
  await db.schema.createIndex('stories_section_idx').on('stories').columns(['section_id', 'status', 'published_at']).execute();

  await db.schema
    .createTable('story_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('story_revisions'), dialect)
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    /** JSON of the editable fields (headline, slug, dek, byline, dateline, body, sources, tags, section, related). */
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('note', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addUniqueConstraint('story_revisions_number_unique', ['story_id', 'number'])
    .execute();

  await withId(db.schema.createTable('corrections'), dialect)
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('correction', 'clarification')`))
    .addColumn('body_source', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    /** Set when an admin removed it; the row stays, and so does its audit entry. */
    .addColumn('removed_at', time)
    .addColumn('removed_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('removal_reason', 'text')
    .execute();
  await db.schema.createIndex('corrections_story_idx').on('corrections').columns(['story_id', 'created_at']).execute();
  await db.schema.createIndex('corrections_created_idx').on('corrections').column('created_at').execute();

  await withId(db.schema.createTable('audit_log'), dialect)
    .addColumn('actor_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    /** The actor's name at the time, kept when the person is deleted. */
    .addColumn('actor_name', 'text', (c) => c.notNull())
    /** `noun.past-tense`, like events: story.published, correction.removed. */
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    /** JSON with details (ids, old and new values where short). */
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_subject_idx').on('audit_log').columns(['subject_type', 'subject_id', 'id']).execute();
}
