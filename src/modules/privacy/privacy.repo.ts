import { sql, type Kysely } from 'kysely';
import type { CommentStatus, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** One comment as its author may export it. */
export interface CommenterComment {
  id: number;
  story_id: number;
  story_headline: string;
  story_slug: string;
  story_status: string;
  parent_id: number | null;
  status: CommentStatus;
  author_name: string;
  author_url: string | null;
  body_source: string;
  created_at: string;
  edited_at: string | null;
}

/** Every comment of a commenter (by email key), whatever its state, oldest first. */
export function listCommentsByEmailKey(db: Db, emailKey: string): Promise<CommenterComment[]> {
  return db
    .selectFrom('comments as c')
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .select([
      'c.id',
      'c.story_id',
      's.headline as story_headline',
      's.slug as story_slug',
      's.status as story_status',
      'c.parent_id',
      'c.status',
      'c.author_name',
      'c.author_url',
      'c.body_source',
      'c.created_at',
      'c.edited_at',
    ])
    .where('c.email_key', '=', emailKey)
    .orderBy('c.id')
    .execute();
}

export async function countCommentsByEmailKey(db: Db, emailKey: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email_key', '=', emailKey)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findSubscriberAddress(db: Db, emailKey: string) {
  return db.selectFrom('subscriber_addresses').select(['email_key', 'suppressed_at']).where('email_key', '=', emailKey).executeTakeFirst();
}

/** The ids and stories of a commenter's comments, locked in the caller's transaction where the database can. */
export function listCommentRefsByEmailKey(db: Db, emailKey: string): Promise<{ id: number; story_id: number }[]> {
  return db.selectFrom('comments').select(['id', 'story_id']).where('email_key', '=', emailKey).orderBy('id').execute();
}

/** The distinct addresses (as typed) of a commenter's comments. */
export async function listAddressesByEmailKey(db: Db, emailKey: string): Promise<string[]> {
  const rows = await db.selectFrom('comments').select('author_email').distinct().where('email_key', '=', emailKey).execute();
  return rows.map((r) => r.author_email).filter((e) => e !== '');
}

/**
 * Forgets mail to these addresses in the outbox: sent mails keep only that they went; mails not
 * sent yet (a reply notification in the queue) are cancelled, marked handled with a note.
 */
export async function forgetMailTo(db: Db, addresses: readonly string[], now: string): Promise<number> {
  const wanted = new Set(addresses.map((a) => a.trim().toLowerCase()));
  let changed = 0;
  for (const address of wanted) {
    const candidates = await db
      .selectFrom('outbox')
      .select(['id', 'payload', 'handled_at'])
      .where('topic', '=', 'mail.requested')
      .where(sql<boolean>`lower(payload) like ${`%${address.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
      .execute();
    for (const row of candidates) {
      const mail = JSON.parse(row.payload) as { to?: string; subject?: string; purpose?: string };
      if (!wanted.has((mail.to ?? '').trim().toLowerCase())) continue;
      await db
        .updateTable('outbox')
        .set({
          payload: JSON.stringify({ to: '', subject: mail.subject ?? '', text: '[sent]', purpose: mail.purpose ?? '' }),
          ...(row.handled_at === null ? { handled_at: now, last_error: 'cancelled: the recipient erased their comments' } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      changed++;
    }
  }
  return changed;
}

/** What erasure or anonymisation leaves of a commenter's comments. */
export interface ScrubbedFields {
  author_name: string;
  /** Replacement text, or undefined to keep it (anonymise). */
  body?: { source: string; html: string };
}

/**
 * Removes the commenter from their comments: name replaced, address, URL, IP hash, user agent,
 * rule reasons, browser key and email key blanked. The status stays, so replies keep their place.
 */
export async function scrubComments(db: Db, ids: readonly number[], fields: ScrubbedFields): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('comments')
    .set({
      author_name: fields.author_name,
      author_email: '',
      author_url: null,
      ip_hash: null,
      user_agent: '',
      email_key: '',
      owner_key_hash: null,
      moderation_reasons: '[]',
      ...(fields.body ? { body_source: fields.body.source, body_html: fields.body.html } : {}),
    })
    .where('id', 'in', ids)
    .execute();
}

/** Blanks the details of earlier history entries of these comments (which may hold text, addresses or rule matches). */
export async function blankHistoryDetails(db: Db, ids: readonly number[], o: { keepActions?: readonly string[] } = {}): Promise<void> {
  if (ids.length === 0) return;
  let query = db.updateTable('comment_history').set({ details: '{}' }).where('comment_id', 'in', ids);
  if (o.keepActions && o.keepActions.length > 0) query = query.where('action', 'not in', o.keepActions);
  await query.execute();
}

/**
 * Forgets a commenter's notification address: their subscriptions go, and so does the address,
 * unless it asked never to be mailed again (then only the key stays, so no mail ever goes to it).
 */
export async function forgetSubscriberAddress(db: Db, emailKey: string): Promise<void> {
  await db.deleteFrom('comment_subscriptions').where('email_key', '=', emailKey).execute();
  await db.deleteFrom('subscriber_addresses').where('email_key', '=', emailKey).where('suppressed_at', 'is', null).execute();
  await db.updateTable('subscriber_addresses').set({ email: '' }).where('email_key', '=', emailKey).execute();
}

/** Rows changed by one retention pass. */
export interface RetentionCounts {
  comments: number;
  reports: number;
  signInAttempts: number;
  /** Sent mails whose recipient address (and text, headers) was blanked in the outbox. */
  sentMails: number;
}

/** Erases the IP hash (and user agent) of up to `limit` comments posted before `before`. */
export async function eraseCommentIpHashes(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .updateTable('comments')
    .set({ ip_hash: null, user_agent: '' })
    .where('id', 'in', (eb) =>
      eb.selectFrom('comments').select('id').where('created_at', '<', before).where('ip_hash', 'is not', null).orderBy('id').limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Erases the reporter key (a salted IP hash) of up to `limit` reports made before `before`. */
export async function eraseReporterKeys(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .updateTable('comment_reports')
    .set({ reporter_key: '' })
    .where('id', 'in', (eb) =>
      eb.selectFrom('comment_reports').select('id').where('created_at', '<', before).where('reporter_key', '<>', '').orderBy('id').limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sign-in attempts (keyed by IP and address) older than `before`. */
export async function deleteSignInAttemptsBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_attempts').where('attempted_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Blanks the recipient (and the text and headers, which may hold links naming it) of up to `limit`
 * mails sent before `before`: the outbox keeps that a mail went, not to whom.
 */
export async function blankSentMailAddresses(db: Db, before: string, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('topic', '=', 'mail.requested')
    .where('handled_at', 'is not', null)
    .where('created_at', '<', before)
    .where('payload', 'not like', '%"to":""%')
    .orderBy('id')
    .limit(limit)
    .execute();
  for (const row of rows) {
    const { purpose, subject } = JSON.parse(row.payload) as { purpose?: string; subject?: string };
    await db
      .updateTable('outbox')
      .set({ payload: JSON.stringify({ to: '', subject: subject ?? '', text: '[sent]', purpose: purpose ?? '' }) })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}
