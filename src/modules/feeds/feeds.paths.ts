import type { FeedLink } from '../../views/layout.js';
import { storyPath } from '../stories/index.js';
import { authorPath, sectionPath, tagPath } from '../taxonomy/index.js';
import { feedFiles, type FeedFormat } from './feeds.model.js';

/**
 * Where feeds live: each page that has a feed has it under `<page>/feed/` as `rss.xml`,
 * `atom.xml` and `feed.json`: `/feed/…` for the site, `/sections/:slug/feed/…`,
 * `/tags/:slug/feed/…`, `/authors/:slug/feed/…`, `/comments/feed/…` for every comment and
 * `/stories/:slug/comments/feed/…` for one story's.
 */
export type FeedSubject =
  | { kind: 'site' }
  | { kind: 'section' | 'tag' | 'author'; slug: string }
  | { kind: 'comments' }
  | { kind: 'story-comments'; slug: string };

export function feedBasePath(subject: FeedSubject): string {
  switch (subject.kind) {
    case 'site':
      return '/feed';
    case 'section':
      return `${sectionPath(subject.slug)}/feed`;
    case 'tag':
      return `${tagPath(subject.slug)}/feed`;
    case 'author':
      return `${authorPath(subject.slug)}/feed`;
    case 'comments':
      return '/comments/feed';
    case 'story-comments':
      return `${storyPath(subject.slug)}/comments/feed`;
  }
}

export function feedPath(subject: FeedSubject, format: FeedFormat): string {
  return `${feedBasePath(subject)}/${feedFiles[format]}`;
}

/** The absolute URL of a feed in each format. */
export function feedUrls(publicUrl: string, subject: FeedSubject): Record<FeedFormat, string> {
  return {
    rss: `${publicUrl}${feedPath(subject, 'rss')}`,
    atom: `${publicUrl}${feedPath(subject, 'atom')}`,
    json: `${publicUrl}${feedPath(subject, 'json')}`,
  };
}

/** Autodiscovery links for a page's feed in the three formats, titled e.g. “Harbour – The Daily (RSS)”. */
export function feedLinks(publicUrl: string, subject: FeedSubject, title: string): FeedLink[] {
  const urls = feedUrls(publicUrl, subject);
  return [
    { type: 'application/rss+xml', title: `${title} (RSS)`, href: urls.rss },
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: urls.atom },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, href: urls.json },
  ];
}

/** The site feed's links: on every page that has a feed of its own, and on the front page. */
export function siteFeedLinks(site: { publicUrl: string; siteName: string }): FeedLink[] {
  return feedLinks(site.publicUrl, { kind: 'site' }, site.siteName);
}
