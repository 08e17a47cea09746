import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType } from './helpers.js';

/** Staff accounts on people (email, role, password), server-side sessions, and sign-in attempts for throttling. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);
  // SQLite adds one column per ALTER TABLE statement.
  await db.schema.alterTable('people').addColumn('email', 'text').execute();
  await db.schema
    .alterTable('people')
    .addColumn('role', 'text', (c) => c.check(sql`role is null or role in ('admin', 'editor', 'author', 'moderator')`))
    .execute();
  await db.schema.alterTable('people').addColumn('password_hash', 'text').execute();
  await db.schema.alterTable('people').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('people').addColumn('disabled_at', time).execute();
  await db.schema.createIndex('people_email_idx').on('people').column('email').unique().execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_person_idx').on('sessions').column('person_id').execute();

  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('attempted_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_attempts_key_idx').on('sign_in_attempts').columns(['key', 'attempted_at']).execute();
}
