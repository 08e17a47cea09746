import { html, type SafeHtml } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import type { PublicComment } from '../comments/index.js';
import type { PublicCorrection } from '../corrections/index.js';
import { storyPath, type StoryPage } from '../stories/index.js';
import { authorPath } from '../taxonomy/index.js';
import { breadcrumbJsonLd, jsonLdScript, newsArticleJsonLd, textOfHtml, webSiteJsonLd, type StructuredSite } from './structured-data.js';

/**
 * What link previews (chat apps, social networks) and search engines read in a page's <head>:
 * OpenGraph and Twitter card tags, and the JSON-LD blocks. Every value goes through the `html`
 * template, so it is escaped in its attribute.
 */

/** Longest og:description made from a story's text when it has no dek. */
const descriptionLength = 200;

export interface PagePreview {
  title: string;
  /** The page's canonical URL. */
  url: string;
  description?: string | undefined;
}

/** Basic OpenGraph and Twitter tags for a page that is not a story (front, section, tag and author pages). */
export function pagePreviewTags(site: Pick<SiteContext, 'siteName' | 'lang'>, page: PagePreview): SafeHtml {
  return html`<meta property="og:type" content="website">
<meta property="og:title" content="${page.title}">
<meta property="og:url" content="${page.url}">
<meta property="og:site_name" content="${site.siteName}">
<meta property="og:locale" content="${ogLocale(site.lang)}">
${page.description ? html`<meta property="og:description" content="${page.description}">
` : ''}<meta name="twitter:card" content="summary">
`;
}

/** The front page's head: its preview tags and the WebSite (with its SearchAction) and NewsMediaOrganization JSON-LD. */
export function frontPageHead(site: StructuredSite, page: PagePreview): SafeHtml {
  return html`${pagePreviewTags(site, page)}${webSiteJsonLd(site).map((data) => html`${jsonLdScript(data)}
`)}`;
}

export interface StoryHeadInput {
  page: StoryPage;
  corrections: readonly PublicCorrection[];
  /** The comments shown on this page of the story, and the story's count of approved comments. */
  comments: { shown: readonly PublicComment[]; total: number };
}

/** A story page's head: NewsArticle and BreadcrumbList JSON-LD, OpenGraph article tags and a Twitter card. */
export function storyPageHead(site: StructuredSite, o: StoryHeadInput): SafeHtml {
  const { story, section } = o.page;
  return html`${jsonLdScript(newsArticleJsonLd({ site, page: o.page, corrections: o.corrections, comments: o.comments }))}
${jsonLdScript(breadcrumbJsonLd(site, { story, section }))}
${storyPreviewTags(site, o.page)}`;
}

/** OpenGraph `article` tags and a Twitter card (large image when the story has one) for a story. */
export function storyPreviewTags(site: Pick<SiteContext, 'siteName' | 'publicUrl' | 'lang'>, page: Pick<StoryPage, 'story' | 'section' | 'tags' | 'authors' | 'featuredImage'>): SafeHtml {
  const { story, section, tags, authors, featuredImage: image } = page;
  const url = `${site.publicUrl}${storyPath(story.slug)}`;
  const description = story.dek ?? shorten(textOfHtml(story.body_html), descriptionLength);
  const imageUrl = image ? `${site.publicUrl}${image.src}` : undefined;
  const modified = story.updated_at ?? story.published_at;
  return html`<meta property="og:type" content="article">
<meta property="og:title" content="${story.headline}">
${description ? html`<meta property="og:description" content="${description}">
` : ''}<meta property="og:url" content="${url}">
<meta property="og:site_name" content="${site.siteName}">
<meta property="og:locale" content="${ogLocale(site.lang)}">
${image && imageUrl ? html`<meta property="og:image" content="${imageUrl}">
<meta property="og:image:width" content="${image.width}">
<meta property="og:image:height" content="${image.height}">
${image.alt ? html`<meta property="og:image:alt" content="${image.alt}">
` : ''}` : ''}${story.published_at ? html`<meta property="article:published_time" content="${story.published_at}">
` : ''}${modified ? html`<meta property="article:modified_time" content="${modified}">
` : ''}${section ? html`<meta property="article:section" content="${section.name}">
` : ''}${tags.map((t) => html`<meta property="article:tag" content="${t.name}">
`)}${authors.map((a) => html`<meta property="article:author" content="${site.publicUrl}${authorPath(a.slug)}">
`)}<meta name="twitter:card" content="${imageUrl ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${story.headline}">
${description ? html`<meta name="twitter:description" content="${description}">
` : ''}${image && imageUrl ? html`<meta name="twitter:image" content="${imageUrl}">
${image.alt ? html`<meta name="twitter:image:alt" content="${image.alt}">
` : ''}` : ''}`;
}

/** OpenGraph writes locales with an underscore: `en_US`. */
export function ogLocale(lang: string): string {
  return lang.replace(/-/g, '_');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
