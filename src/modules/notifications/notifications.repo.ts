import type { Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import type { Database, Role } from '../../db/schema.js';

type Db = Kysely<Database>;

/** Settings rows this module keeps (no table of their own needed). */
const lastDigestKey = 'notifications.digest_last';
const digestOptOutsKey = 'notifications.digest_opt_outs';
/** The "last digest" of a site that never sent one: every held comment counts as new. */
const neverSent = '1970-01-01T00:00:00.000Z';

export function findAddress(db: Db, emailKey: string) {
  return db.selectFrom('subscriber_addresses').selectAll().where('email_key', '=', emailKey).executeTakeFirst();
}

/** Creates the address row (keeping the first spelling of the address) unless it exists. */
export async function insertAddressIfAbsent(db: Db, row: { emailKey: string; email: string; now: string }): Promise<void> {
  await db
    .insertInto('subscriber_addresses')
    .values({ email_key: row.emailKey, email: row.email, created_at: row.now })
    .onConflict((oc) => oc.column('email_key').doNothing())
    .execute();
}

/** Subscribes the address to replies on the story (again, if it had unsubscribed). */
export async function upsertSubscription(db: Db, row: { emailKey: string; storyId: number; now: string }): Promise<void> {
  await db
    .insertInto('comment_subscriptions')
    .values({ email_key: row.emailKey, story_id: row.storyId, created_at: row.now })
    .onConflict((oc) => oc.columns(['email_key', 'story_id']).doUpdateSet({ unsubscribed_at: null }))
    .execute();
}

/**
 * Records that a confirmation mail goes to the address now, unless one went after `since`:
 * a conditional update, so two concurrent requests never both send one. True when it is ours to send.
 */
export async function claimConfirmationMail(db: Db, o: { emailKey: string; now: string; since: string }): Promise<boolean> {
  const result = await db
    .updateTable('subscriber_addresses')
    .set({ confirm_sent_at: o.now })
    .where('email_key', '=', o.emailKey)
    .where('confirmed_at', 'is', null)
    .where('suppressed_at', 'is', null)
    .where((eb) => eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<=', o.since)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateAddressConfirmed(db: Db, emailKey: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('subscriber_addresses')
    .set({ confirmed_at: now })
    .where('email_key', '=', emailKey)
    .where('confirmed_at', 'is', null)
    .where('suppressed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateAddressSuppressed(db: Db, emailKey: string, now: string): Promise<void> {
  await db
    .updateTable('subscriber_addresses')
    .set({ suppressed_at: now })
    .where('email_key', '=', emailKey)
    .where('suppressed_at', 'is', null)
    .execute();
}

export async function updateSubscriptionUnsubscribed(db: Db, o: { emailKey: string; storyId: number; now: string }): Promise<void> {
  await db
    .updateTable('comment_subscriptions')
    .set({ unsubscribed_at: o.now })
    .where('email_key', '=', o.emailKey)
    .where('story_id', '=', o.storyId)
    .where('unsubscribed_at', 'is', null)
    .execute();
}

/** A comment with what a notification about it needs (the story's headline and slug). */
export function findCommentWithStory(db: Db, commentId: number) {
  return db
    .selectFrom('comments')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .select([
      'comments.id',
      'comments.story_id',
      'comments.parent_id',
      'comments.status',
      'comments.author_name',
      'comments.email_key',
      'comments.body_source',
      'stories.headline',
    ])
    .where('comments.id', '=', commentId)
    .executeTakeFirst();
}

/** How many times the comment became approved, by its trail: at creation, and each moderator approval. */
export async function countApprovals(db: Db, commentId: number): Promise<number> {
  const rows = await db
    .selectFrom('comment_history')
    .select(['action', 'details'])
    .where('comment_id', '=', commentId)
    .where('action', 'in', ['created', 'approved'])
    .execute();
  return rows.filter((r) => r.action === 'approved' || (JSON.parse(r.details) as { status?: string }).status === 'approved').length;
}

/**
 * The address to tell about a reply to `parentId`: the parent's author, only when that address is
 * confirmed, not suppressed, and subscribed (not unsubscribed) to the story; the parent approved.
 */
export function findReplyRecipient(db: Db, o: { parentId: number; storyId: number }) {
  return replyRecipientQuery.executeTakeFirst(db, o);
}

/** Prepared once: every reply posted runs it (src/db/prepared.ts). */
const replyRecipientQuery = prepareQuery((db, o: { parentId: number; storyId: number }) =>
  db
    .selectFrom('comments as parent')
    .innerJoin('subscriber_addresses as a', 'a.email_key', 'parent.email_key')
    .innerJoin('comment_subscriptions as s', (j) => j.onRef('s.email_key', '=', 'a.email_key').on('s.story_id', '=', o.storyId))
    .select(['parent.id', 'parent.author_name', 'parent.email_key', 'a.email'])
    .where('parent.id', '=', o.parentId)
    .where('parent.story_id', '=', o.storyId)
    .where('parent.status', '=', 'approved')
    .where('a.confirmed_at', 'is not', null)
    .where('a.suppressed_at', 'is', null)
    .where('s.unsubscribed_at', 'is', null),
);

/** Held comments that arrived since `since`, oldest first (at most `limit`), and how many there are. */
export async function listHeldSince(db: Db, o: { since: string; limit: number }) {
  const base = db
    .selectFrom('comments')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .where('comments.status', '=', 'pending')
    // >=: a comment stored in the same millisecond as the last digest is listed again rather than never.
    .where('comments.created_at', '>=', o.since);
  const [rows, total] = await Promise.all([
    base
      .select(['comments.id', 'comments.author_name', 'comments.body_source', 'comments.created_at', 'stories.headline'])
      .orderBy('comments.id')
      .limit(o.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Active staff members whose role may moderate comments and who have a sign-in address. */
export function listModerators(db: Db, roles: readonly Role[]) {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'email'])
    .where('role', 'in', [...roles])
    .where('disabled_at', 'is', null)
    .where('email', 'is not', null)
    .orderBy('id')
    .execute();
}

/** The keys among `emailKeys` whose addresses asked never to be emailed again. */
export async function listSuppressedKeys(db: Db, emailKeys: readonly string[]): Promise<Set<string>> {
  if (emailKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom('subscriber_addresses')
    .select('email_key')
    .where('email_key', 'in', [...emailKeys])
    .where('suppressed_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.email_key));
}

export async function findLastDigest(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', lastDigestKey).executeTakeFirst();
  return row?.value;
}

export async function insertLastDigestIfAbsent(db: Db): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: lastDigestKey, value: neverSent })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** Moves the last-digest time from `from` to `to`; false when another node moved it first. */
export async function updateLastDigest(db: Db, o: { from: string; to: string }): Promise<boolean> {
  const result = await db
    .updateTable('settings')
    .set({ value: o.to })
    .where('key', '=', lastDigestKey)
    .where('value', '=', o.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listDigestOptOuts(db: Db): Promise<number[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', digestOptOutsKey).executeTakeFirst();
  if (!row) return [];
  const parsed: unknown = JSON.parse(row.value);
  return Array.isArray(parsed) ? parsed.filter((v): v is number => typeof v === 'number') : [];
}

export async function saveDigestOptOuts(db: Db, personIds: readonly number[]): Promise<void> {
  const value = JSON.stringify([...new Set(personIds)].sort((a, b) => a - b));
  await db
    .insertInto('settings')
    .values({ key: digestOptOutsKey, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
