import { escapeXml as x, rfc3339 } from '../../lib/xml.js';
import type { FeedDocument, FeedItem, FeedPerson } from './feeds.model.js';

/**
 * Atom 1.0 (RFC 4287): feed and entry `id` (tag URIs), `updated` on both, `link rel="self"` and
 * `rel="alternate"`, a feed-level author (so every entry has one), categories with the listing
 * as `scheme`, the summary as text and full content as escaped HTML.
 */
export function renderAtom(feed: FeedDocument): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(feed.language)}">
<id>${x(feed.id)}</id>
<title>${x(feed.title)}</title>
<subtitle>${x(feed.description)}</subtitle>
<updated>${rfc3339(feed.updated)}</updated>
<link rel="self" type="application/atom+xml" href="${x(feed.urls.atom)}"/>
<link rel="alternate" type="text/html" href="${x(feed.homeUrl)}"/>
<author><name>${x(feed.publisher)}</name></author>
<generator>Readout</generator>
${feed.items.map(renderEntry).join('')}</feed>
`;
}

function renderEntry(item: FeedItem): string {
  return `<entry>
<id>${x(item.id)}</id>
<title type="text">${x(item.title)}</title>
<link rel="alternate" type="text/html" href="${x(item.url)}"/>
<published>${rfc3339(item.published)}</published>
<updated>${rfc3339(item.updated)}</updated>
${item.authors.map(renderPerson).join('')}${item.categories
    .map((c) => `<category term="${x(c.label)}" label="${x(c.label)}"${c.url ? ` scheme="${x(c.url)}"` : ''}/>\n`)
    .join('')}${item.summary !== null ? `<summary type="text">${x(item.summary)}</summary>\n` : ''}${
    item.contentHtml !== null ? `<content type="html">${x(item.contentHtml)}</content>\n` : ''
  }</entry>
`;
}

function renderPerson(p: FeedPerson): string {
  return `<author><name>${x(p.name)}</name>${p.url ? `<uri>${x(p.url)}</uri>` : ''}</author>\n`;
}
