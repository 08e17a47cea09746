import type { DateFormatter } from '../lib/dates.js';
import { html, type HtmlValue, type SafeHtml } from '../lib/html.js';

/** What every page needs to know about the site, built once per app. */
export interface SiteContext {
  readonly siteName: string;
  readonly publicUrl: string;
  /** Language of the pages (the <html lang> attribute), from the site locale. */
  readonly lang: string;
  readonly assets: { readonly css: string; readonly js: string; readonly icon: string; readonly admin: string };
  /** The site's time zone (IANA name), for labels of time inputs. */
  readonly timeZone: string;
  readonly dates: DateFormatter;
  /** Key for commenters' public avatar ids (src/lib/avatar.ts); without it every comment shows the neutral avatar. */
  readonly avatarKey?: string;
}

/** A feed a page offers readers' feed apps (autodiscovery): its format's media type, a title, an absolute URL. */
export interface FeedLink {
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json';
  title: string;
  href: string;
}

export interface PageOptions {
  title: string;
  /** Absolute canonical URL; omitted for pages that must not be indexed. */
  canonical?: string;
  description?: string;
  noindex?: boolean;
  /** Feeds of this page, announced as `<link rel="alternate">` in <head>. */
  feeds?: readonly FeedLink[];
  /** Extra tags for <head> (e.g. JSON-LD). */
  head?: HtmlValue;
  /** Extra script URLs (same origin), e.g. the admin script. */
  scripts?: string[];
  main: HtmlValue;
}

/** The outer HTML document shared by every public page. */
export function renderPage(site: SiteContext, page: PageOptions): string {
  const title = page.title === site.siteName ? site.siteName : `${page.title} – ${site.siteName}`;
  return `<!DOCTYPE html>\n${html`<html lang="${site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : ''}
${page.canonical ? html`<link rel="canonical" href="${page.canonical}">` : ''}
${page.noindex ? html`<meta name="robots" content="noindex">` : ''}
${(page.feeds ?? []).map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}">\n`)}<link rel="icon" href="${site.assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${site.assets.css}">
<script src="${site.assets.js}" defer></script>
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
${page.head}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<p class="site-title"><a href="/">${site.siteName}</a></p>
<p class="site-search-link"><a href="/search">Search</a></p>
</header>
<main id="main">
${page.main}
</main>
<footer class="site-footer">
<p>${site.siteName} · <a href="/corrections">Corrections</a> · Published with Readout</p>
</footer>
</body>
</html>
`.value}`;
}

/** `<time>` with a machine-readable datetime and a human date-time in the site's zone. */
export function timeTag(site: SiteContext, iso: string, className?: string): SafeHtml {
  return html`<time datetime="${iso}"${className ? html` class="${className}"` : ''}>${site.dates.dateTime(iso)}</time>`;
}
