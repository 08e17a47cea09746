import type { Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import type { CommentStatus, Database, WebhookDeliveryRow, WebhookRow } from '../../db/schema.js';

type Db = Kysely<Database>;

export async function insertWebhook(
  db: Db,
  o: { url: string; description: string; secret: string; events: readonly string[]; createdBy: number | null; now: string },
): Promise<WebhookRow> {
  return db
    .insertInto('webhooks')
    .values({ url: o.url, description: o.description, secret: o.secret, events: JSON.stringify(o.events), active: 1, created_by: o.createdBy, created_at: o.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findWebhook(db: Db, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every webhook, oldest first (a newsroom has a handful). */
export function listWebhooks(db: Db): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

/** The active webhooks (read by every comment post: prepared once). */
export function listActiveWebhooks(db: Db): Promise<WebhookRow[]> {
  return activeWebhooksQuery.execute(db, {});
}

const activeWebhooksQuery = prepareQuery((db) => db.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id'));

export async function updateWebhook(
  db: Db,
  id: number,
  changes: { url?: string; description?: string; events?: readonly string[]; active?: boolean; secret?: string },
): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.events !== undefined ? { events: JSON.stringify(changes.events) } : {}),
      ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
      ...(changes.secret !== undefined ? { secret: changes.secret } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes the webhook; its delivery log goes with it (ON DELETE CASCADE, done explicitly for SQLite without foreign keys). */
export async function deleteWebhook(db: Db, id: number): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function insertDelivery(db: Db, row: Omit<WebhookDeliveryRow, 'id'>): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

/** A webhook's delivery log, latest first. */
export function listDeliveries(db: Db, webhookId: number, limit: number): Promise<WebhookDeliveryRow[]> {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit).execute();
}

/** What a delivery tells about a comment and its story: never the commenter's email, IP hash or browser. */
export interface WebhookCommentFacts {
  id: number;
  story_id: number;
  parent_id: number | null;
  status: CommentStatus;
  author_name: string;
  author_url: string | null;
  body_source: string;
  body_html: string;
  created_at: string;
  headline: string;
  slug: string;
}

export function findCommentFacts(db: Db, commentId: number): Promise<WebhookCommentFacts | undefined> {
  return db
    .selectFrom('comments')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .select([
      'comments.id',
      'comments.story_id',
      'comments.parent_id',
      'comments.status',
      'comments.author_name',
      'comments.author_url',
      'comments.body_source',
      'comments.body_html',
      'comments.created_at',
      'stories.headline',
      'stories.slug',
    ])
    .where('comments.id', '=', commentId)
    .executeTakeFirst();
}
