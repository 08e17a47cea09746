import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType, withId } from './helpers.js';

/** Settings, people, stories with authors and sources, comments, and the outbox. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('people'), dialect)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('bio', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('stories'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('dek', 'text')
    .addColumn('byline', 'text', (c) => c.notNull())
    .addColumn('dateline', 'text')
    .addColumn('body_source', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'scheduled', 'published', 'unpublished')`),
    )
    .addColumn('published_at', time)
    .addColumn('updated_at', time)
    .addColumn('related_story_id', 'integer', (c) => c.references('stories.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('modified_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_status_published_idx').on('stories').columns(['status', 'published_at']).execute();

  await db.schema
    .createTable('story_authors')
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_authors_pk', ['story_id', 'person_id'])
    .execute();

  await withId(db.schema.createTable('story_sources'), dialect)
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('outlet', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('published_on', 'text')
    .execute();
  await db.schema.createIndex('story_sources_story_idx').on('story_sources').columns(['story_id', 'position']).execute();

  await withId(db.schema.createTable('comments'), dialect)
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('set null'))
    .addColumn('root_id', 'integer')
    .addColumn('depth', 'integer', (c) => c.notNull().check(sql`depth >= 1`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'spam', 'trash')`))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('author_url', 'text')
    .addColumn('body_source', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_story_status_idx').on('comments').columns(['story_id', 'status', 'id']).execute();
  await db.schema.createIndex('comments_parent_idx').on('comments').column('parent_id').execute();

  await withId(db.schema.createTable('outbox'), dialect)
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
}
