import { escapeXml as x, rfc822 } from '../../lib/xml.js';
import type { FeedDocument, FeedItem } from './feeds.model.js';

/**
 * RSS 2.0: `guid isPermaLink="false"` (a tag URI), `pubDate` in RFC 822, authors as
 * `dc:creator` (RSS's own `author` wants an email address, which we never publish), full
 * content in `content:encoded` and the summary in `description`, and an `atom:link rel="self"`.
 */
export function renderRss(feed: FeedDocument): string {
  const items = feed.items.map(renderItem).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${x(feed.title)}</title>
<link>${x(feed.homeUrl)}</link>
<description>${x(feed.description)}</description>
<language>${x(feed.language)}</language>
<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
<generator>Readout</generator>
<docs>https://www.rssboard.org/rss-specification</docs>
<atom:link href="${x(feed.urls.rss)}" rel="self" type="application/rss+xml"/>
${items}</channel>
</rss>
`;
}

function renderItem(item: FeedItem): string {
  const description = item.summary ?? '';
  return `<item>
<title>${x(item.title)}</title>
<link>${x(item.url)}</link>
<guid isPermaLink="false">${x(item.id)}</guid>
<pubDate>${rfc822(item.published)}</pubDate>
${item.authors.map((a) => `<dc:creator>${x(a.name)}</dc:creator>\n`).join('')}${item.categories
    .map((c) => `<category${c.url ? ` domain="${x(c.url)}"` : ''}>${x(c.label)}</category>\n`)
    .join('')}<description>${x(description)}</description>
${item.contentHtml !== null ? `<content:encoded>${x(item.contentHtml)}</content:encoded>\n` : ''}</item>
`;
}
