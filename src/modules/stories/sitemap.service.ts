import type { Deps } from '../../deps.js';
import { latestTime, sitemapIdRange, type SitemapFile, type SitemapUrl } from '../../lib/sitemap.js';
import * as repo from './sitemap.repo.js';
import { storyPath } from './stories.paths.js';

/** A story in the Google News sitemap. */
export interface NewsSitemapStory {
  path: string;
  headline: string;
  publishedAt: string;
}

/** The files of the stories sitemap (`size` ids each) that list at least one story, with their newest change. */
export async function listStorySitemapFiles(deps: Pick<Deps, 'store' | 'clock'>, size: number): Promise<SitemapFile[]> {
  const rows = await repo.listSitemapStoryBuckets(deps.store.db, { size, now: deps.clock.now().toISOString() });
  return rows.map((r) => ({ page: r.bucket + 1, lastmod: latestTime(r.published_at, r.modified_at) }));
}

/**
 * The published stories in file `page` of the stories sitemap, each with its last modification
 * (its last write, or its publication if that came later: a story dated ahead appears by itself).
 */
export async function listStorySitemapUrls(deps: Pick<Deps, 'store' | 'clock'>, o: { page: number; size: number }): Promise<SitemapUrl[]> {
  const range = sitemapIdRange(o.page, o.size);
  if (!range) return [];
  const rows = await repo.listSitemapStories(deps.store.db, { ...range, now: deps.clock.now().toISOString() });
  return rows.map((r) => ({ path: storyPath(r.slug), lastmod: latestTime(r.published_at, r.modified_at) }));
}

/** Stories published within `withinMs` before now, newest first, at most `limit` (Google News sitemap). */
export async function listNewsSitemapStories(deps: Pick<Deps, 'store' | 'clock'>, o: { withinMs: number; limit: number }): Promise<NewsSitemapStory[]> {
  const now = deps.clock.now();
  const rows = await repo.listNewsSitemapStories(deps.store.db, {
    since: new Date(now.getTime() - o.withinMs).toISOString(),
    now: now.toISOString(),
    limit: o.limit,
  });
  return rows.map((r) => ({ path: storyPath(r.slug), headline: r.headline, publishedAt: r.published_at }));
}

/** When the next story dated ahead of now becomes visible (no write announces it), if any. */
export async function findNextStoryPublication(deps: Pick<Deps, 'store' | 'clock'>): Promise<Date | undefined> {
  const next = await repo.findNextPublication(deps.store.db, deps.clock.now().toISOString());
  return next ? new Date(next) : undefined;
}

/**
 * The last time the set of public stories or anything about them changed: the newest write to
 * any story (publish, edit, move, unpublish) or the newest publication that came due by the
 * clock. A safe `Last-Modified` for lists of stories, which removals change too.
 */
export async function findLastListChange(deps: Pick<Deps, 'store' | 'clock'>): Promise<Date | undefined> {
  const db = deps.store.db;
  const [written, published] = await Promise.all([repo.findLatestStoryWrite(db), repo.findLatestPublication(db, deps.clock.now().toISOString())]);
  const latest = latestTime(written, published);
  return latest ? new Date(latest) : undefined;
}

/** When the last story fell out of a window of `withinMs` before now (it was published then), if one has. */
export async function findLastWindowExit(deps: Pick<Deps, 'store' | 'clock'>, withinMs: number): Promise<Date | undefined> {
  const edge = deps.clock.now().getTime() - withinMs;
  const last = await repo.findLatestPublication(deps.store.db, new Date(edge).toISOString());
  return last ? new Date(Date.parse(last) + withinMs) : undefined;
}
