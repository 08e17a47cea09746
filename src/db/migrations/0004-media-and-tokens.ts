import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType, withId } from './helpers.js';

/** Uploaded images with their resized variants, featured images on stories, and personal API tokens. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);

  await withId(db.schema.createTable('media'), dialect)
    /** Content type found from the file's bytes, e.g. image/jpeg. */
    .addColumn('content_type', 'text', (c) => c.notNull())
    /** Path of the original under the media folder. */
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    /** JSON list of resized variants: [{width, height, path, bytes}]. */
    .addColumn('variants', 'text', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema.alterTable('stories').addColumn('featured_media_id', 'integer', (c) => c.references('media.id').onDelete('set null')).execute();

  await withId(db.schema.createTable('api_tokens'), dialect)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** SHA-256 of the token; the token itself is shown once at creation. */
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    /** The first characters of the token, to recognise it in the list. */
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_used_at', time)
    .addColumn('revoked_at', time)
    .execute();
  await db.schema.createIndex('api_tokens_person_idx').on('api_tokens').column('person_id').execute();
}
