import { html, type HtmlValue, type SafeHtml } from '../../lib/html.js';
import { renderPage, type SiteContext } from '../../views/layout.js';
import { feedLinks, siteFeedLinks, type FeedSubject } from '../feeds/index.js';
import { authorPath, pagedPath, sectionPath, tagPath, type Author, type Section, type StoryListing, type Tag } from '../taxonomy/index.js';
import { pagePreviewTags } from './previews.js';
import { renderStoryTeaser } from './site.views.js';

/** A section's page: its name, its description on the first page, and its stories without the (repeated) section kicker. */
export function renderSectionPage(site: SiteContext, listing: StoryListing<Section>): string {
  const section = listing.subject;
  return renderListing(site, listing, {
    basePath: sectionPath(section.slug),
    feed: { kind: 'section', slug: section.slug },
    kind: 'Section',
    name: section.name,
    intro: section.description ? html`<p class="listing-description">${section.description}</p>` : '',
    description: section.description ?? `The latest stories in ${section.name}.`,
    showSection: false,
  });
}

/** A tag's page: its name and the stories tagged with it. */
export function renderTagPage(site: SiteContext, listing: StoryListing<Tag>): string {
  const tag = listing.subject;
  return renderListing(site, listing, {
    basePath: tagPath(tag.slug),
    feed: { kind: 'tag', slug: tag.slug },
    kind: 'Tag',
    name: tag.name,
    description: `The latest stories tagged ${tag.name}.`,
    showSection: true,
  });
}

/** An author's page: their name, their bio (plain text, paragraphs at blank lines) on the first page, and their stories. */
export function renderAuthorPage(site: SiteContext, listing: StoryListing<Author>): string {
  const author = listing.subject;
  const bio = author.bio?.trim() ?? '';
  const paragraphs = bio === '' ? [] : bio.split(/\n\s*\n/).map((p) => html`<p>${p.trim()}</p>`);
  return renderListing(site, listing, {
    basePath: authorPath(author.slug),
    feed: { kind: 'author', slug: author.slug },
    kind: 'Author',
    name: author.name,
    intro: paragraphs.length > 0 ? html`<div class="author-bio">${paragraphs}</div>` : '',
    description: bio === '' ? `The latest stories by ${author.name}.` : shorten(bio.replace(/\s+/g, ' '), 200),
    showSection: true,
  });
}

/** Links to the newer and older pages of a listing (`rel` prev and next); nothing when there is one page only. */
export function renderPager(basePath: string, listing: { page: number; hasNext: boolean }): SafeHtml | '' {
  const { page, hasNext } = listing;
  if (page === 1 && !hasNext) return '';
  return html`<nav class="pagination" aria-label="More stories">${
    page > 1 ? html`<a rel="prev" href="${pagedPath(basePath, page - 1)}">Newer stories</a> ` : ''
  }${hasNext ? html`<a rel="next" href="${pagedPath(basePath, page + 1)}">Older stories</a>` : ''}</nav>`;
}

interface ListingOptions {
  basePath: string;
  /** The listing's own feed, announced with the site's. */
  feed: FeedSubject;
  /** What the page lists by, shown above the name. */
  kind: string;
  name: string;
  /** Shown under the name on the first page only. */
  intro?: HtmlValue;
  /** The meta description. */
  description: string;
  showSection: boolean;
}

function renderListing<T>(site: SiteContext, listing: StoryListing<T>, o: ListingOptions): string {
  const heading = listing.page > 1 ? `${o.name}, page ${listing.page}` : o.name;
  const main = html`<header class="listing-header">
<p class="listing-kind">${o.kind}</p>
<h1 class="page-title">${heading}</h1>
${listing.page === 1 ? o.intro : ''}
</header>
<ol class="story-list">
${listing.stories.map((s) => renderStoryTeaser(site, s, { showSection: o.showSection }))}</ol>
${renderPager(o.basePath, listing)}`;
  return renderPage(site, {
    title: heading,
    canonical: `${site.publicUrl}${pagedPath(o.basePath, listing.page)}`,
    description: o.description,
    head: pagePreviewTags(site, { title: heading, url: `${site.publicUrl}${pagedPath(o.basePath, listing.page)}`, description: o.description }),
    feeds: [...feedLinks(site.publicUrl, o.feed, `${o.name} – ${site.siteName}`), ...siteFeedLinks(site)],
    main,
  });
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
