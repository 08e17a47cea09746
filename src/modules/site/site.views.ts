import { html, raw, type SafeHtml } from '../../lib/html.js';
import { renderPage, timeTag, type SiteContext } from '../../views/layout.js';
import { renderCommentSection, type CommentSectionOptions, type PublicComment } from '../comments/index.js';
import { renderCorrectionsBox, type PublicCorrection } from '../corrections/index.js';
import { feedLinks, siteFeedLinks } from '../feeds/index.js';
import { renderImage } from '../media/index.js';
import { storyPath, type FrontPage, type StoryListItem, type StoryPage } from '../stories/index.js';
import { authorPath, sectionPath, tagPath } from '../taxonomy/index.js';
import { frontPageHead, storyPageHead } from './previews.js';

export function renderFrontPage(site: SiteContext, front: FrontPage): string {
  const items = front.stories.map((s) => renderStoryTeaser(site, s));
  const pager = html`<nav class="pagination" aria-label="More stories">${
    front.page > 1 ? html`<a rel="prev" href="${front.page === 2 ? '/' : `/?page=${front.page - 1}`}">Newer stories</a> ` : ''
  }${front.hasNext ? html`<a rel="next" href="/?page=${front.page + 1}">Older stories</a>` : ''}</nav>`;
  const main = html`<h1 class="page-title">${front.page > 1 ? `Latest stories, page ${front.page}` : 'Latest stories'}</h1>
${items.length > 0 ? html`<ol class="story-list">
${items}</ol>` : html`<p>No stories have been published yet.</p>`}
${front.hasNext || front.page > 1 ? pager : ''}`;
  return renderPage(site, {
    title: front.page > 1 ? `Latest stories, page ${front.page}` : site.siteName,
    canonical: `${site.publicUrl}${front.page > 1 ? `/?page=${front.page}` : '/'}`,
    head: frontPageHead(site, { title: front.page > 1 ? `Latest stories, page ${front.page}` : site.siteName, url: `${site.publicUrl}${front.page > 1 ? `/?page=${front.page}` : '/'}` }),
    feeds: siteFeedLinks(site),
    main,
  });
}

/** One story in a list (front page, section, tag and author pages); the section kicker unless told otherwise. */
export function renderStoryTeaser(site: SiteContext, s: StoryListItem, options: { showSection?: boolean } = {}): SafeHtml {
  const showSection = (options.showSection ?? true) && s.section_name !== null && s.section_slug !== null;
  return html`<li class="story-teaser">
<article>
${showSection ? html`<p class="kicker"><a href="${sectionPath(s.section_slug ?? '')}">${s.section_name}</a></p>` : ''}
<h2 class="teaser-headline"><a href="${storyPath(s.slug)}">${s.headline}</a></h2>
${s.dek ? html`<p class="dek">${s.dek}</p>` : ''}
<p class="meta"><span class="byline">${s.byline}</span> · ${s.published_at ? timeTag(site, s.published_at) : ''} · <a href="${storyPath(s.slug)}#comments">${
    s.comment_count === 1 ? '1 comment' : `${s.comment_count} comments`
  }</a></p>
</article>
</li>
`;
}

export interface StoryPageOptions {
  page: StoryPage;
  comments: readonly PublicComment[];
  /** Corrections shown on the story (not removed), newest first. */
  corrections?: readonly PublicCorrection[];
  form?: Omit<CommentSectionOptions, 'storyId' | 'storyPath' | 'headline' | 'comments'>;
  /** Which page of the comments this is, and the story's count of approved comments (comments.pages.ts). */
  pagination?: CommentSectionOptions['pagination'];
}

export function renderStoryPage(site: SiteContext, o: StoryPageOptions): string {
  const { story, sources, related, section, tags, authors } = o.page;
  const path = storyPath(story.slug);
  const main = html`<article class="story">
<header class="story-header">
${section ? html`<p class="kicker"><a href="${sectionPath(section.slug)}">${section.name}</a></p>` : ''}
<h1 class="headline">${story.headline}</h1>
${story.dek ? html`<p class="dek">${story.dek}</p>` : ''}
<p class="byline">${story.byline}</p>
${authors.length > 0 ? html`<p class="byline-authors">More from: ${commaList(authors.map((a) => html`<a href="${authorPath(a.slug)}">${a.name}</a>`))}</p>` : ''}
<p class="story-meta">${story.dateline ? html`<span class="dateline">${story.dateline}</span> · ` : ''}Published ${
    story.published_at ? timeTag(site, story.published_at, 'published') : ''
  }${story.updated_at ? html` · <span class="updated">Updated ${timeTag(site, story.updated_at, 'updated')}</span>` : ''}${
    o.pagination ? html` · <a class="comment-count" href="#comments">${o.pagination.total === 1 ? '1 comment' : `${o.pagination.total} comments`}</a>` : ''
  }</p>
</header>
${renderCorrectionsBox(site, o.corrections ?? [])}
${o.page.featuredImage ? html`<figure class="featured-image">${renderImage(o.page.featuredImage, { sizes: '(min-width: 44rem) 42rem, 100vw' })}</figure>` : ''}
<div class="story-body">
${raw(story.body_html)}</div>
${tags.length > 0 ? html`<p class="story-tags">Tags: ${commaList(tags.map((t) => html`<a rel="tag" href="${tagPath(t.slug)}">${t.name}</a>`))}</p>` : ''}
${sources.length > 0 ? renderSources(sources) : ''}
</article>
${related ? renderRelated(site, related) : ''}
${renderCommentSection(site, { storyId: story.id, storyPath: path, headline: story.headline, comments: o.comments, ...(o.pagination ? { pagination: o.pagination } : {}), ...o.form })}`;
  return renderPage(site, {
    title: story.headline,
    canonical: `${site.publicUrl}${path}`,
    ...(story.dek ? { description: story.dek } : {}),
    noindex: o.form?.replyTo !== undefined || o.form?.errors !== undefined,
    head: storyPageHead(site, { page: o.page, corrections: o.corrections ?? [], comments: { shown: o.comments, total: o.pagination?.total ?? o.comments.filter((c) => c.status === 'approved').length } }),
    feeds: [...siteFeedLinks(site), ...feedLinks(site.publicUrl, { kind: 'story-comments', slug: story.slug }, `Comments on “${story.headline}”`)],
    main,
  });
}

function commaList(items: readonly SafeHtml[]): SafeHtml[] {
  return items.map((item, i) => (i === 0 ? item : html`, ${item}`));
}

function renderSources(sources: StoryPage['sources']): SafeHtml {
  return html`<aside class="story-sources" aria-labelledby="sources-title">
<h2 id="sources-title">Sources</h2>
<ul>
${sources.map(
  (s) =>
    html`<li><a href="${s.url}" rel="noopener">${s.title}</a>${s.outlet ? html`, <span class="outlet">${s.outlet}</span>` : ''}${
      s.published_on ? html`, <time datetime="${s.published_on}">${s.published_on}</time>` : ''
    }</li>
`,
)}</ul>
</aside>`;
}

/** Longest related story shown in full below the main story; longer ones show their dek and a link. */
const briefLength = 2_000;

function renderRelated(site: SiteContext, related: NonNullable<StoryPage['related']>): SafeHtml {
  const path = storyPath(related.slug);
  return html`<aside class="related-story" aria-labelledby="related-title">
<h2 id="related-title" class="related-label">Related</h2>
<article>
<h3 class="headline"><a href="${path}">${related.headline}</a></h3>
${related.dek ? html`<p class="dek">${related.dek}</p>` : ''}
<p class="story-meta"><span class="byline">${related.byline}</span>${
    related.published_at ? html` · ${timeTag(site, related.published_at)}` : ''
  }</p>
${related.body_source.length <= briefLength ? html`<div class="story-body">
${raw(related.body_html)}</div>` : html`<p><a href="${path}">Read the story</a></p>`}
</article>
</aside>`;
}
