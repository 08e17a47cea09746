/**
 * A feed as the renderers see it, whatever its format: every URL absolute, every id stable
 * (a tag URI built from a row id, never from a slug), dates as Date objects.
 */
export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedPerson {
  name: string;
  /** Absolute URL of the person's page, when they have one. */
  url?: string | undefined;
}

export interface FeedCategory {
  /** The name readers see. */
  label: string;
  /** Absolute URL of the listing of this category (RSS `domain`, Atom `scheme`). */
  url?: string | undefined;
}

export interface FeedItem {
  /** Stable across edits and slug changes: a `tag:` URI. */
  id: string;
  /** Absolute URL of the item's page. */
  url: string;
  title: string;
  /** Plain text: the dek or first paragraph; null when there is none. */
  summary: string | null;
  /** Full HTML content (absolute URLs); null in summary mode. */
  contentHtml: string | null;
  published: Date;
  updated: Date;
  authors: FeedPerson[];
  categories: FeedCategory[];
}

export interface FeedDocument {
  /** Stable id of the feed itself (Atom `id`): a `tag:` URI. */
  id: string;
  title: string;
  description: string;
  /** Absolute URL of the HTML page this feed follows (`rel="alternate"`). */
  homeUrl: string;
  /** Absolute URL of this feed in each format; `self` is the one being rendered. */
  urls: Record<FeedFormat, string>;
  /** BCP 47 language of the site. */
  language: string;
  /** The newest change among what the feed shows (Atom `updated`, `Last-Modified`). */
  updated: Date;
  /** Who publishes the feed (Atom's feed-level author, so every entry has one). */
  publisher: string;
  items: FeedItem[];
}

export const feedContentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** File names of a feed under its base path (`/feed/rss.xml`, `/sections/x/feed/atom.xml`, …). */
export const feedFiles: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
