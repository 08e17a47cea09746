import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType, withId } from './helpers.js';

/**
 * Moderation, reader controls, notifications, webhooks and privacy for comments (issue 4):
 * the `deleted` status (removed by its author), rule decisions stored with each comment, a
 * history per comment, reports, per-story comment settings, reply subscriptions with double
 * opt-in, webhooks with a delivery log. IP hashes become erasable (null after the retention window).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);
  await widenCommentStatus(db, dialect);

  const comments = db.schema.alterTable('comments');
  await comments.addColumn('email_key', 'text', (c) => c.notNull().defaultTo('')).execute();
  await comments.addColumn('link_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await comments.addColumn('spam_score', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await comments.addColumn('moderation_reasons', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await comments.addColumn('edited_at', time).execute();
  await comments.addColumn('moderated_at', time).execute();
  await comments.addColumn('moderated_by', 'integer', (c) => c.references('people.id').onDelete('set null')).execute();
  await comments.addColumn('owner_key_hash', 'text').execute();
  await comments.addColumn('staff_person_id', 'integer', (c) => c.references('people.id').onDelete('set null')).execute();
  await db.schema.createIndex('comments_status_id_idx').on('comments').columns(['status', 'id']).execute();
  await db.schema.createIndex('comments_root_idx').on('comments').columns(['root_id', 'id']).execute();
  await db.schema.createIndex('comments_email_key_idx').on('comments').columns(['email_key', 'id']).execute();
  await db.schema.createIndex('comments_created_idx').on('comments').column('created_at').execute();
  await fillEmailKeys(db);

  const stories = db.schema.alterTable('stories');
  await stories.addColumn('comments_open', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await stories.addColumn('comments_premoderated', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  /** Close comments this many days after publication; null takes the site default, 0 never closes. */
  await stories.addColumn('comments_close_after_days', 'integer').execute();

  await withId(db.schema.createTable('comment_history'), dialect)
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_history_comment_idx').on('comment_history').columns(['comment_id', 'id']).execute();

  await withId(db.schema.createTable('comment_reports'), dialect)
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('reporter_key', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('resolved_at', time)
    .addColumn('resolved_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('comment_reports_comment_idx').on('comment_reports').columns(['comment_id', 'resolved_at']).execute();
  await db.schema.createIndex('comment_reports_open_idx').on('comment_reports').columns(['resolved_at', 'id']).execute();

  // One row per email address that asked for notifications: confirmed once, suppressed for good.
  await db.schema
    .createTable('subscriber_addresses')
    .addColumn('email_key', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('confirm_sent_at', time)
    .addColumn('confirmed_at', time)
    .addColumn('suppressed_at', time)
    .execute();

  await withId(db.schema.createTable('comment_subscriptions'), dialect)
    .addColumn('email_key', 'text', (c) => c.notNull().references('subscriber_addresses.email_key').onDelete('cascade'))
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('unsubscribed_at', time)
    .addUniqueConstraint('comment_subscriptions_address_story_uq', ['email_key', 'story_id'])
    .execute();

  await withId(db.schema.createTable('webhooks'), dialect)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('webhook_deliveries'), dialect)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_hook_idx').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
}

const statusCheck = sql`status in ('pending', 'approved', 'spam', 'trash', 'deleted')`;

/** Adds the `deleted` status and makes ip_hash nullable. SQLite cannot alter a CHECK, so the table is rebuilt. */
async function widenCommentStatus(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table comments drop constraint comments_status_check`.execute(db);
    await sql`alter table comments add constraint comments_status_check check (${statusCheck})`.execute(db);
    await sql`alter table comments alter column ip_hash drop not null`.execute(db);
    return;
  }
  // The documented SQLite procedure (migrate.ts turns foreign keys off around the run): new table, copy, drop, rename.
  await withId(db.schema.createTable('comments_new'), dialect)
    .addColumn('story_id', 'integer', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('set null'))
    .addColumn('root_id', 'integer')
    .addColumn('depth', 'integer', (c) => c.notNull().check(sql`depth >= 1`))
    .addColumn('status', 'text', (c) => c.notNull().check(statusCheck))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('author_url', 'text')
    .addColumn('body_source', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .execute();
  const columns = sql.raw(
    'id, story_id, parent_id, root_id, depth, status, author_name, author_email, author_url, body_source, body_html, created_at, ip_hash, user_agent',
  );
  await sql`insert into comments_new (${columns}) select ${columns} from comments`.execute(db);
  await sql`drop table comments`.execute(db);
  await sql`alter table comments_new rename to comments`.execute(db);
  await db.schema.createIndex('comments_story_status_idx').on('comments').columns(['story_id', 'status', 'id']).execute();
  await db.schema.createIndex('comments_parent_idx').on('comments').column('parent_id').execute();
}

/** Existing comments get their email key (HMAC of the lower-cased address with the site salt), as new ones do. */
async function fillEmailKeys(db: Kysely<unknown>): Promise<void> {
  const salt = await sql<{ value: string }>`select value from settings where key = 'ip_salt'`.execute(db);
  const secret = salt.rows[0]?.value;
  if (!secret) return; // a new database: no comments yet
  const rows = await sql<{ id: number; author_email: string }>`select id, author_email from comments`.execute(db);
  for (const row of rows.rows) {
    const key = emailKeyFor(secret, row.author_email);
    await sql`update comments set email_key = ${key} where id = ${row.id}`.execute(db);
  }
}

/** Must match src/lib/email-key.ts (kept here so the migration never changes when that file does). */
function emailKeyFor(secret: string, email: string): string {
  return createHmac('sha256', `${secret}:email`).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
}
