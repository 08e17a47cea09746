import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/**
 * Queries for the sitemaps. Sitemap files cut the stories into ranges of ids (keyset pages:
 * file N holds ids (N-1)·size+1 … N·size), so reading a file is a primary-key range scan that
 * never walks the files before it. A range without a published story has no file.
 */

/** A published story in a sitemap: its slug and its two times (the newer is its last modification). */
export interface SitemapStoryRow {
  id: number;
  slug: string;
  published_at: string | null;
  modified_at: string;
}

/** A non-empty range of ids (0-based `bucket`) and the newest times of what it holds. */
export interface SitemapBucketRow {
  bucket: number;
  published_at: string | null;
  modified_at: string | null;
}

/** Published stories visible at `now` with `afterId < id <= throughId`, by id. */
export function listSitemapStories(db: Db, o: { afterId: number; throughId: number; now: string }): Promise<SitemapStoryRow[]> {
  return db
    .selectFrom('stories')
    .select(['id', 'slug', 'published_at', 'modified_at'])
    .where('id', '>', o.afterId)
    .where('id', '<=', o.throughId)
    .where('status', '=', 'published')
    .where('published_at', '<=', o.now)
    .orderBy('id')
    .execute();
}

/** The id ranges of `size` that hold a published story visible at `now`, with their newest times. */
export async function listSitemapStoryBuckets(db: Db, o: { size: number; now: string }): Promise<SitemapBucketRow[]> {
  const bucket = sql<number>`(${sql.ref('id')} - 1) / ${sql.lit(o.size)}`;
  const rows = await db
    .selectFrom('stories')
    .select((eb) => [bucket.as('bucket'), eb.fn.max('published_at').as('published_at'), eb.fn.max('modified_at').as('modified_at')])
    .where('status', '=', 'published')
    .where('published_at', '<=', o.now)
    .groupBy(bucket)
    .orderBy(bucket)
    .execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), published_at: r.published_at ?? null, modified_at: r.modified_at ?? null }));
}

/** A story in the news sitemap. */
export interface NewsSitemapRow {
  slug: string;
  headline: string;
  published_at: string;
}

/** Stories published in `(since, now]`, newest first, at most `limit`. */
export async function listNewsSitemapStories(db: Db, o: { since: string; now: string; limit: number }): Promise<NewsSitemapRow[]> {
  const rows = await db
    .selectFrom('stories')
    .select(['slug', 'headline', 'published_at'])
    .where('status', '=', 'published')
    .where('published_at', '>', o.since)
    .where('published_at', '<=', o.now)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(o.limit)
    .execute();
  return rows.flatMap((r) => (r.published_at === null ? [] : [{ slug: r.slug, headline: r.headline, published_at: r.published_at }]));
}

/**
 * The next time a story becomes visible by the clock alone (published or scheduled for later than
 * `now`), when a sitemap that lists stories goes stale without any write; undefined if none is due.
 */
export async function findNextPublication(db: Db, now: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('stories')
    .select((eb) => eb.fn.min('published_at').as('next'))
    .where('status', 'in', ['published', 'scheduled'])
    .where('published_at', '>', now)
    .executeTakeFirst();
  return row?.next ?? undefined;
}

/** The newest write to any story, whatever its status (every publish, edit, move or unpublish writes `modified_at`). */
export async function findLatestStoryWrite(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('stories').select((eb) => eb.fn.max('modified_at').as('latest')).executeTakeFirst();
  return row?.latest ?? undefined;
}

/** The newest publication time at or before `time` among published stories. */
export async function findLatestPublication(db: Db, time: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('stories')
    .select((eb) => eb.fn.max('published_at').as('latest'))
    .where('status', '=', 'published')
    .where('published_at', '<=', time)
    .executeTakeFirst();
  return row?.latest ?? undefined;
}
