import { escapeHtml } from '../../lib/html.js';
import { w3cDateTime, type SitemapUrl } from '../../lib/sitemap.js';
import type { NewsSitemapStory } from '../stories/index.js';

/** The sitemaps.org namespace of `<urlset>` and `<sitemapindex>`. */
export const sitemapNamespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/** Google News' sitemap extension. */
export const newsNamespace = 'http://www.google.com/schemas/sitemap-news/0.9';

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A sitemap index: absolute URLs of the sitemap files, each with the newest change it lists. */
export function renderSitemapIndex(files: readonly { url: string; lastmod: string | undefined }[]): string {
  const entries = files.map((f) => `<sitemap><loc>${xmlText(f.url)}</loc>${lastmodTag(f.lastmod)}</sitemap>\n`);
  return `${xmlDeclaration}<sitemapindex xmlns="${sitemapNamespace}">\n${entries.join('')}</sitemapindex>\n`;
}

/** One sitemap file: the given site paths made absolute under `publicUrl`. */
export function renderUrlset(publicUrl: string, urls: readonly SitemapUrl[]): string {
  const entries = urls.map((u) => `<url><loc>${xmlText(`${publicUrl}${u.path}`)}</loc>${lastmodTag(u.lastmod)}</url>\n`);
  return `${xmlDeclaration}<urlset xmlns="${sitemapNamespace}">\n${entries.join('')}</urlset>\n`;
}

/** The Google News sitemap: recent stories with the publication's name and language. */
export function renderNewsSitemap(o: { publicUrl: string; siteName: string; lang: string; stories: readonly NewsSitemapStory[] }): string {
  const publication = `<news:publication><news:name>${xmlText(o.siteName)}</news:name><news:language>${xmlText(newsLanguage(o.lang))}</news:language></news:publication>`;
  const entries = o.stories.map(
    (s) =>
      `<url><loc>${xmlText(`${o.publicUrl}${s.path}`)}</loc><news:news>${publication}<news:publication_date>${w3cDateTime(s.publishedAt)}</news:publication_date><news:title>${xmlText(s.headline)}</news:title></news:news></url>\n`,
  );
  return `${xmlDeclaration}<urlset xmlns="${sitemapNamespace}" xmlns:news="${newsNamespace}">\n${entries.join('')}</urlset>\n`;
}

/** robots.txt: everything public may be crawled; the newsroom, the API, comment tools and privacy links may not. */
export function renderRobotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /admin',
    'Disallow: /api/',
    'Disallow: /comments/',
    'Disallow: /privacy/',
    '',
    `Sitemap: ${publicUrl}/sitemap.xml`,
    `Sitemap: ${publicUrl}/sitemaps/news.xml`,
    '',
  ].join('\n');
}

/**
 * The language as Google News wants it: an ISO 639 code (`en` for `en-US`), except Chinese,
 * which is `zh-cn` (simplified) or `zh-tw` (traditional).
 */
export function newsLanguage(lang: string): string {
  const [language = 'en', ...rest] = lang.toLowerCase().split('-');
  if (language !== 'zh') return language;
  return rest.some((part) => part === 'tw' || part === 'hk' || part === 'mo' || part === 'hant') ? 'zh-tw' : 'zh-cn';
}

function lastmodTag(lastmod: string | undefined): string {
  return lastmod ? `<lastmod>${w3cDateTime(lastmod)}</lastmod>` : '';
}

/** Characters XML 1.0 does not allow at all (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates). */
const notXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for XML content: escaped, and without characters XML cannot carry. */
export function xmlText(text: string): string {
  return escapeHtml(plainXml.test(text) ? text : text.replace(notXml, ''));
}

/** Text that needs no clean-up (the common case, tested first: sitemaps hold up to 50,000 URLs). */
const plainXml = /^[\u0020-\ud7ff\n\t\r\ue000-\ufffd]*$/;
