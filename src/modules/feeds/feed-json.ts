import { rfc3339 } from '../../lib/xml.js';
import type { FeedDocument, FeedItem } from './feeds.model.js';

/**
 * JSON Feed 1.1: `version`, `feed_url`, `home_page_url`, items with string ids (tag URIs), dates
 * in RFC 3339, `authors`, `tags`, and `content_html` (full mode) or `content_text` (summary mode:
 * one of them is required). Serialised with JSON.stringify, so any text is escaped correctly.
 */
export function renderJsonFeed(feed: FeedDocument): string {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.urls.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.publisher }],
    items: feed.items.map(renderItem),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function renderItem(item: FeedItem) {
  const body = item.contentHtml !== null ? { content_html: item.contentHtml } : { content_text: item.summary ?? item.title };
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    ...(item.summary !== null ? { summary: item.summary } : {}),
    ...body,
    date_published: rfc3339(item.published),
    date_modified: rfc3339(item.updated),
    ...(item.authors.length > 0 ? { authors: item.authors.map((a) => ({ name: a.name, ...(a.url ? { url: a.url } : {}) })) } : {}),
    ...(item.categories.length > 0 ? { tags: item.categories.map((c) => c.label) } : {}),
  };
}
