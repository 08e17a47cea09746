import type { Deps } from '../../deps.js';
import { findLatestCommentChange, listFeedComments, type FeedComment } from '../comments/index.js';
import { findLatestStoryChange, getPublishedStory, listFeedStories, listFrontPage, storyPath, type FeedStory, type StoryListItem } from '../stories/index.js';
import { authorPath, getAuthorListing, getSectionListing, getTagListing, listingCacheKeys, sectionPath, tagPath } from '../taxonomy/index.js';
import { loadFeedSettings, type FeedSettings } from './feed-settings.js';
import type { FeedDocument, FeedItem } from './feeds.model.js';
import { feedUrls, type FeedSubject } from './feeds.paths.js';
import { absolutizeUrls, storySummary } from './feeds.text.js';

/** Items in a feed: the first page of the listing it follows. */
export const feedLength = 20;

/** What the site tells a feed about itself. */
export interface FeedSite {
  siteName: string;
  publicUrl: string;
  lang: string;
}

/** A feed ready to render, with the surrogate keys of what it shows. */
export interface BuiltFeed {
  feed: FeedDocument;
  keys: string[];
  /**
   * The `Last-Modified` time: the feed's `updated` (its newest item change), or a later change
   * that took something out of it (a story unpublished or moved, a comment removed), so that an
   * `If-Modified-Since` never answers 304 to a feed that lost an item.
   */
  lastModified: Date;
}

/**
 * The feed of a page: the site's latest stories, a section's, a tag's or an author's (their
 * first listing page), every approved comment or one story's. Throws the listing's NOT_FOUND
 * (404) for an unknown or empty section, tag or author, and STORY_NOT_FOUND for a story.
 */
export async function buildFeed(deps: Deps, site: FeedSite, subject: FeedSubject): Promise<BuiltFeed> {
  const built = await buildFeedOf(deps, site, subject);
  const floor = built.changedSince ? Date.parse(built.changedSince) : 0;
  return { feed: built.feed, keys: built.keys, lastModified: new Date(Math.max(built.feed.updated.getTime(), floor)) };
}

async function buildFeedOf(deps: Deps, site: FeedSite, subject: FeedSubject): Promise<{ feed: FeedDocument; keys: string[]; changedSince?: string | undefined }> {
  switch (subject.kind) {
    case 'site': {
      const front = await listFrontPage(deps, 1);
      const feed = await storyFeed({ deps, site, subject, about: { feedId: 'site', title: site.siteName, description: `The latest stories from ${site.siteName}.`, homeUrl: `${site.publicUrl}/` } }, front.stories);
      return { feed, keys: ['front', 'feed-settings', ...front.stories.map((s) => `story:${s.id}`)], changedSince: await findLatestStoryChange(deps) };
    }
    case 'section': {
      const listing = await getSectionListing(deps, { slug: subject.slug, page: 1 });
      const { name, description, id } = listing.subject;
      const about = { feedId: `section/${id}`, title: `${name} – ${site.siteName}`, description: description ?? `The latest stories in ${name}.`, homeUrl: `${site.publicUrl}${sectionPath(subject.slug)}` };
      return { feed: await storyFeed({ deps, site, subject, about }, listing.stories), keys: [...listingCacheKeys(`section:${id}`, listing.stories), 'feed-settings'], changedSince: await findLatestStoryChange(deps) };
    }
    case 'tag': {
      const listing = await getTagListing(deps, { slug: subject.slug, page: 1 });
      const { name, id } = listing.subject;
      const about = { feedId: `tag/${id}`, title: `${name} – ${site.siteName}`, description: `The latest stories tagged ${name}.`, homeUrl: `${site.publicUrl}${tagPath(subject.slug)}` };
      return { feed: await storyFeed({ deps, site, subject, about }, listing.stories), keys: [...listingCacheKeys(`tag:${id}`, listing.stories), 'feed-settings'], changedSince: await findLatestStoryChange(deps) };
    }
    case 'author': {
      const listing = await getAuthorListing(deps, { slug: subject.slug, page: 1 });
      const { name, id } = listing.subject;
      const about = { feedId: `author/${id}`, title: `${name} – ${site.siteName}`, description: `The latest stories by ${name}.`, homeUrl: `${site.publicUrl}${authorPath(subject.slug)}` };
      return { feed: await storyFeed({ deps, site, subject, about }, listing.stories), keys: [...listingCacheKeys(`author:${id}`, listing.stories), 'feed-settings'], changedSince: await findLatestStoryChange(deps) };
    }
    case 'comments': {
      const comments = await listFeedComments(deps, { limit: feedLength });
      const about = { feedId: 'comments', title: `Comments – ${site.siteName}`, description: `The latest comments on ${site.siteName}.`, homeUrl: `${site.publicUrl}/` };
      // `lists`: a story published again brings its comments back although none of them changed.
      return { feed: commentFeed({ deps, site, subject, about }, comments), keys: ['comments', 'lists', ...new Set(comments.map((c) => `story:${c.story_id}`))] };
    }
    case 'story-comments': {
      const { story } = await getPublishedStory(deps, { slug: subject.slug });
      const comments = await listFeedComments(deps, { storyId: story.id, limit: feedLength });
      const about = {
        feedId: `story-comments/${story.id}`,
        title: `Comments on “${story.headline}” – ${site.siteName}`,
        description: `The latest comments on “${story.headline}”.`,
        homeUrl: `${site.publicUrl}${storyPath(story.slug)}#comments`,
      };
      const changedSince = [story.modified_at, await findLatestCommentChange(deps, story.id)].filter((t) => t !== undefined).sort().at(-1);
      return { feed: commentFeed({ deps, site, subject, about }, comments), keys: [`story:${story.id}`], changedSince };
    }
  }
}

interface FeedAbout {
  /** After `feed/` in the feed's id: by row id, so a renamed section keeps its feed's id. */
  feedId: string;
  title: string;
  description: string;
  homeUrl: string;
}

/** What every feed is built with: the app, the site, which feed, and what it says about itself. */
interface FeedContext {
  deps: Deps;
  site: FeedSite;
  subject: FeedSubject;
  about: FeedAbout;
}

async function storyFeed(ctx: FeedContext, listed: readonly StoryListItem[]): Promise<FeedDocument> {
  const { deps, site } = ctx;
  const [stories, settings] = await Promise.all([listFeedStories(deps, listed.slice(0, feedLength).map((s) => s.id)), loadFeedSettings(deps)]);
  const items = stories.map((s) => storyItem(site, s, settings));
  const changes = stories.map((s) => latest(s.modified_at, s.published_at, s.updated_at));
  if (settings.changedAt) changes.push(new Date(settings.changedAt));
  return document(ctx, items, changes);
}

function storyItem(site: FeedSite, s: FeedStory, settings: FeedSettings): FeedItem {
  const authors = s.authors.length > 0 ? s.authors.map((a) => ({ name: a.name, url: `${site.publicUrl}${authorPath(a.slug)}` })) : [{ name: s.byline.replace(/^by\s+/i, '') }];
  return {
    id: tagUri(site.publicUrl, s.created_at, `story/${s.id}`),
    url: `${site.publicUrl}${storyPath(s.slug)}`,
    title: s.headline,
    summary: storySummary(s),
    contentHtml: settings.content === 'full' ? absolutizeUrls(s.body_html, site.publicUrl) : null,
    published: new Date(s.published_at),
    updated: latest(s.published_at, s.updated_at),
    authors,
    categories: [
      ...(s.section ? [{ label: s.section.name, url: `${site.publicUrl}${sectionPath(s.section.slug)}` }] : []),
      ...s.tags.map((t) => ({ label: t.name, url: `${site.publicUrl}${tagPath(t.slug)}` })),
    ],
  };
}

function commentFeed(ctx: FeedContext, comments: readonly FeedComment[]): FeedDocument {
  const { site } = ctx;
  const items = comments.map(
    (c): FeedItem => ({
      id: tagUri(site.publicUrl, c.created_at, `comment/${c.id}`),
      // The permalink finds the comment's page even as pages of comments shift.
      url: `${site.publicUrl}/comment/${c.id}`,
      title: `${c.author_name} on “${c.story_headline}”`,
      summary: null,
      contentHtml: absolutizeUrls(c.body_html, site.publicUrl),
      published: new Date(c.created_at),
      updated: latest(c.created_at, c.edited_at),
      authors: [{ name: c.author_name }],
      categories: [],
    }),
  );
  const changes = comments.map((c) => latest(c.created_at, c.edited_at, c.moderated_at));
  return document(ctx, items, changes);
}

function document({ deps, site, subject, about }: FeedContext, items: FeedItem[], changes: Date[]): FeedDocument {
  // An empty feed changed, as far as anyone can tell, now.
  const updated = changes.length > 0 ? new Date(Math.max(...changes.map((d) => d.getTime()))) : deps.clock.now();
  return {
    id: tagUri(site.publicUrl, '2026-01-01', `feed/${about.feedId}`),
    title: about.title,
    description: about.description,
    homeUrl: about.homeUrl,
    urls: feedUrls(site.publicUrl, subject),
    language: site.lang,
    updated,
    publisher: site.siteName,
    items,
  };
}

/**
 * A tag URI (RFC 4151) under the site's host name, dated by when the thing was created: stable
 * across edits and slug changes (`tag:news.example,2026-11-20:story/42`).
 */
export function tagUri(publicUrl: string, createdAt: string, specific: string): string {
  return `tag:${new URL(publicUrl).hostname},${createdAt.slice(0, 10)}:${specific}`;
}

function latest(...isos: (string | null)[]): Date {
  return new Date(Math.max(...isos.filter((d): d is string => d !== null).map((d) => Date.parse(d))));
}

