import type { Deps } from '../../deps.js';
import { latestTime, sitemapIdRange, type SitemapFile, type SitemapUrl } from '../../lib/sitemap.js';
import * as repo from './sitemap.repo.js';
import type { SitemapSubject } from './sitemap.repo.js';
import { authorPath, sectionPath, tagPath } from './taxonomy.paths.js';

export type { SitemapSubject } from './sitemap.repo.js';

const pathOf: Record<SitemapSubject, (slug: string) => string> = { sections: sectionPath, tags: tagPath, authors: authorPath };

/** The files of a sections, tags or authors sitemap (`size` ids each) that list something, with their newest change. */
export async function listSubjectSitemapFiles(deps: Pick<Deps, 'store' | 'clock'>, o: { subject: SitemapSubject; size: number }): Promise<SitemapFile[]> {
  const rows = await repo.listSitemapSubjectBuckets(deps.store.db, { ...o, now: deps.clock.now().toISOString() });
  return rows.map((r) => ({ page: r.bucket + 1, lastmod: latestTime(r.published_at, r.modified_at) }));
}

/**
 * The listing pages in file `page` of a sections, tags or authors sitemap: only those with a
 * published story (the others answer 404), each last modified when its newest story was.
 */
export async function listSubjectSitemapUrls(
  deps: Pick<Deps, 'store' | 'clock'>,
  o: { subject: SitemapSubject; page: number; size: number },
): Promise<SitemapUrl[]> {
  const range = sitemapIdRange(o.page, o.size);
  if (!range) return [];
  const rows = await repo.listSitemapSubjects(deps.store.db, { subject: o.subject, ...range, now: deps.clock.now().toISOString() });
  return rows.map((r) => ({ path: pathOf[o.subject](r.slug), lastmod: latestTime(r.published_at, r.modified_at) }));
}
