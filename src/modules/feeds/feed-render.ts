import { renderAtom } from './feed-atom.js';
import { renderJsonFeed } from './feed-json.js';
import { renderRss } from './feed-rss.js';
import type { FeedDocument, FeedFormat } from './feeds.model.js';

const renderers: Record<FeedFormat, (feed: FeedDocument) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

/** The feed's text in one format (each renderer is a pure function of the document). */
export function renderFeed(feed: FeedDocument, format: FeedFormat): string {
  return renderers[format](feed);
}
