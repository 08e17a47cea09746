/**
 * Pure helpers shared by the modules that feed the sitemaps (stories, taxonomy) and the site
 * module that renders them (sitemaps.org protocol, DESIGN.md §4).
 */

/** The protocol's limit of URLs in one sitemap file. */
export const maxSitemapUrls = 50_000;

/** One `<url>` of a sitemap: a site path (made absolute when rendered) and when it last changed. */
export interface SitemapUrl {
  path: string;
  lastmod: string | undefined;
}

/** One file of a paginated sitemap (its number, 1-based) and the newest change among its URLs. */
export interface SitemapFile {
  page: number;
  lastmod: string | undefined;
}

/**
 * The ids sitemap file `page` holds when files are cut into id ranges of `size` (keyset pages):
 * `afterId < id <= throughId`. Undefined past the ids a database can hold (2^31 - 1).
 */
export function sitemapIdRange(page: number, size: number): { afterId: number; throughId: number } | undefined {
  const afterId = (page - 1) * size;
  if (!Number.isSafeInteger(page) || page < 1 || afterId >= 2_147_483_647) return undefined;
  return { afterId, throughId: Math.min(afterId + size, 2_147_483_647) };
}

/** The newest of some times (ISO-8601, any precision), or undefined when none is given. */
export function latestTime(...times: readonly (string | null | undefined)[]): string | undefined {
  let best: { iso: string; ms: number } | undefined;
  for (const iso of times) {
    if (!iso) continue;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) continue;
    if (!best || ms > best.ms) best = { iso, ms };
  }
  return best?.iso;
}

/** A time as a W3C Datetime in UTC to the second (`2026-11-27T09:00:00Z`), the form sitemaps use. */
export function w3cDateTime(iso: string): string {
  // Stored times are already UTC ISO-8601: cut them without a Date (a sitemap holds up to 50,000).
  if (utcIso.test(iso)) return `${iso.slice(0, 19)}Z`;
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const utcIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
