import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { latestTime, type SitemapFile } from '../../lib/sitemap.js';
import type { SiteContext } from '../../views/layout.js';
import {
  findLastWindowExit,
  findLastListChange,
  findNextStoryPublication,
  listNewsSitemapStories,
  listStorySitemapFiles,
  listStorySitemapUrls,
} from '../stories/index.js';
import { listSubjectSitemapFiles, listSubjectSitemapUrls, type SitemapSubject } from '../taxonomy/index.js';
import { renderNewsSitemap, renderSitemapIndex, renderUrlset } from './sitemap.views.js';

/** What the sitemaps list, each in files `/sitemaps/KIND-N.xml`. */
export const sitemapKinds = ['stories', 'sections', 'tags', 'authors'] as const;
export type SitemapKind = (typeof sitemapKinds)[number];

/** The Google News sitemap lists the stories of the last two days, at most 1,000 (Google's limits). */
export const newsWindowMs = 2 * 24 * 60 * 60 * 1000;
export const newsSitemapLimit = 1_000;

/** A rendered sitemap document and what sendCached needs to know about it. */
export interface SitemapDocument {
  xml: string;
  /** A safe `Last-Modified`: no later change to what the document shows (removals included) goes unnoticed. */
  lastModified: Date | undefined;
  /** When the document goes stale by the clock alone (a story dated ahead comes due, one leaves the news window). */
  expiresAt: Date | undefined;
}

type SiteInfo = Pick<SiteContext, 'publicUrl' | 'siteName' | 'lang'>;
type SitemapDeps = Pick<Deps, 'store' | 'clock'>;

/** The path of file `page` of a sitemap. */
export function sitemapFilePath(kind: SitemapKind, page: number): string {
  return `/sitemaps/${kind}-${page}.xml`;
}

/**
 * `/sitemap.xml`: every file of the stories, sections, tags and authors sitemaps that lists
 * something, with its newest `lastmod`. File numbers follow id ranges, so a number can be
 * missing (a range without published stories); with nothing published at all the index names
 * the (empty) first stories file, as an index must name one file at least.
 */
export async function getSitemapIndex(deps: SitemapDeps, site: SiteInfo, pageSize: number): Promise<SitemapDocument> {
  const [lists, lastModified, expiresAt] = await Promise.all([
    Promise.all(sitemapKinds.map((kind) => listFiles(deps, kind, pageSize))),
    findLastListChange(deps),
    findNextStoryPublication(deps),
  ]);
  const files = sitemapKinds.flatMap((kind, i) => (lists[i] ?? []).map((f) => ({ url: `${site.publicUrl}${sitemapFilePath(kind, f.page)}`, lastmod: f.lastmod })));
  if (files.length === 0) files.push({ url: `${site.publicUrl}${sitemapFilePath('stories', 1)}`, lastmod: undefined });
  return { xml: renderSitemapIndex(files), lastModified, expiresAt };
}

/** One file of a sitemap; SITEMAP_NOT_FOUND for a file past the first that lists nothing. */
export async function getSitemapFile(deps: SitemapDeps, site: SiteInfo, o: { kind: SitemapKind; page: number; pageSize: number }): Promise<SitemapDocument> {
  const [urls, lastModified, expiresAt] = await Promise.all([
    o.kind === 'stories'
      ? listStorySitemapUrls(deps, { page: o.page, size: o.pageSize })
      : listSubjectSitemapUrls(deps, { subject: o.kind, page: o.page, size: o.pageSize }),
    findLastListChange(deps),
    findNextStoryPublication(deps),
  ]);
  if (urls.length === 0 && o.page !== 1) throw new DomainError('SITEMAP_NOT_FOUND', 'There is no such sitemap.');
  return { xml: renderUrlset(site.publicUrl, urls), lastModified, expiresAt };
}

/**
 * `/sitemaps/news.xml`: stories published in the last two days by the clock, newest first. It
 * goes stale when the oldest one listed leaves the window or a story dated ahead comes due.
 */
export async function getNewsSitemap(deps: SitemapDeps, site: SiteInfo): Promise<SitemapDocument> {
  const [stories, written, exited, next] = await Promise.all([
    listNewsSitemapStories(deps, { withinMs: newsWindowMs, limit: newsSitemapLimit }),
    findLastListChange(deps),
    findLastWindowExit(deps, newsWindowMs),
    findNextStoryPublication(deps),
  ]);
  const oldest = stories.at(-1);
  const leaves = oldest ? new Date(Date.parse(oldest.publishedAt) + newsWindowMs) : undefined;
  const expiresAt = [leaves, next].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  const lastModified = latestTime(written?.toISOString(), exited?.toISOString());
  return {
    xml: renderNewsSitemap({ publicUrl: site.publicUrl, siteName: site.siteName, lang: site.lang, stories }),
    lastModified: lastModified ? new Date(lastModified) : undefined,
    expiresAt,
  };
}

function listFiles(deps: SitemapDeps, kind: SitemapKind, size: number): Promise<SitemapFile[]> {
  return kind === 'stories' ? listStorySitemapFiles(deps, size) : listSubjectSitemapFiles(deps, { subject: kind satisfies SitemapSubject, size });
}
