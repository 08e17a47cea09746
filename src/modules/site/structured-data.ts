import { html, jsonForScript, type SafeHtml } from '../../lib/html.js';
import { remembered } from '../../lib/remembered.js';
import type { SiteContext } from '../../views/layout.js';
import type { PublicComment } from '../comments/index.js';
import type { PublicCorrection } from '../corrections/index.js';
import { storyPath, type StoryPage } from '../stories/index.js';
import { authorPath, sectionPath } from '../taxonomy/index.js';

/** What structured data needs to know about the site. */
export type StructuredSite = Pick<SiteContext, 'siteName' | 'publicUrl' | 'lang'> & { assets: Pick<SiteContext['assets'], 'icon'> };

export interface NewsArticleInput {
  site: StructuredSite;
  page: Pick<StoryPage, 'story' | 'authors' | 'sources' | 'featuredImage'>;
  corrections: readonly PublicCorrection[];
  /** The comments shown on this page of the story (only approved ones are described) and the story's count of approved comments. */
  comments?: { shown: readonly Pick<PublicComment, 'id' | 'author_name' | 'body_html' | 'created_at' | 'edited_at' | 'status'>[]; total: number };
}

/**
 * The schema.org NewsArticle describing a story page (DESIGN.md §4): headline, dates, authors
 * (with their pages), publisher, canonical URL, the sources as `citation`, the corrections shown
 * on the page as `correction`, and the approved comments shown on the page as `comment` with the
 * story's `commentCount`. A pure function of the page's data; empty lists are left out. Nothing
 * about staff accounts or commenters' addresses is in it.
 */
export function newsArticleJsonLd({ site, page, corrections, comments }: NewsArticleInput): Record<string, unknown> {
  const { story, authors, sources, featuredImage } = page;
  const url = `${site.publicUrl}${storyPath(story.slug)}`;
  const modified = story.updated_at ?? story.published_at;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: story.headline,
    ...(story.dek ? { description: story.dek } : {}),
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: site.lang,
    ...(story.published_at ? { datePublished: story.published_at } : {}),
    ...(modified ? { dateModified: modified } : {}),
    ...(story.dateline ? { dateline: story.dateline } : {}),
    ...(featuredImage
      ? {
          image: {
            '@type': 'ImageObject',
            url: `${site.publicUrl}${featuredImage.src}`,
            width: featuredImage.width,
            height: featuredImage.height,
            caption: featuredImage.alt,
          },
        }
      : {}),
    ...(authors.length > 0 ? { author: authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${site.publicUrl}${authorPath(a.slug)}` })) } : {}),
    publisher: organizationJsonLd(site),
    ...(sources.length > 0
      ? {
          citation: sources.map((s) => ({
            '@type': 'CreativeWork',
            name: s.title,
            url: s.url,
            ...(s.outlet ? { publisher: { '@type': 'Organization', name: s.outlet } } : {}),
            ...(s.published_on ? { datePublished: s.published_on } : {}),
          })),
        }
      : {}),
    ...(corrections.length > 0
      ? {
          correction: corrections.map((c) => ({
            '@type': 'CorrectionComment',
            name: c.kind === 'correction' ? 'Correction' : 'Clarification',
            text: textOfHtml(c.body_html),
            datePublished: c.created_at,
            url: `${url}#correction-${c.id}`,
          })),
        }
      : {}),
    ...(comments ? commentsJsonLd(site, comments) : {}),
  };
}

/** The newsroom as a schema.org NewsMediaOrganization, with the site icon as its logo. */
export function organizationJsonLd(site: StructuredSite): Record<string, unknown> {
  return {
    '@type': 'NewsMediaOrganization',
    name: site.siteName,
    url: `${site.publicUrl}/`,
    logo: { '@type': 'ImageObject', url: `${site.publicUrl}${site.assets.icon}` },
  };
}

/** The front page's WebSite, with the search box as a SearchAction, and the publishing organization. */
export function webSiteJsonLd(site: StructuredSite): Record<string, unknown>[] {
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'WebSite',
      name: site.siteName,
      url: `${site.publicUrl}/`,
      inLanguage: site.lang,
      publisher: { '@type': 'NewsMediaOrganization', name: site.siteName, url: `${site.publicUrl}/` },
      potentialAction: {
        '@type': 'SearchAction',
        target: `${site.publicUrl}/search?q={search_term_string}`,
        'query-input': 'required name=search_term_string',
      },
    },
    { '@context': 'https://schema.org', ...organizationJsonLd(site) },
  ];
}

/** Home → section (when the story has one) → story. */
export function breadcrumbJsonLd(
  site: Pick<SiteContext, 'siteName' | 'publicUrl'>,
  o: { story: { headline: string; slug: string }; section: { name: string; slug: string } | undefined },
): Record<string, unknown> {
  const trail = [
    { name: site.siteName, url: `${site.publicUrl}/` },
    ...(o.section ? [{ name: o.section.name, url: `${site.publicUrl}${sectionPath(o.section.slug)}` }] : []),
    { name: o.story.headline, url: `${site.publicUrl}${storyPath(o.story.slug)}` },
  ];
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: step.url })),
  };
}

/** `commentCount` and the approved comments shown as `Comment`s: name, time, text and permalink only, never an address. */
function commentsJsonLd(site: StructuredSite, comments: NonNullable<NewsArticleInput['comments']>): Record<string, unknown> {
  const shown = comments.shown.filter((c) => c.status === 'approved');
  return {
    commentCount: comments.total,
    ...(shown.length > 0
      ? {
          comment: shown.map((c) => ({
            '@type': 'Comment',
            url: `${site.publicUrl}/comment/${c.id}`,
            author: { '@type': 'Person', name: c.author_name },
            datePublished: c.created_at,
            ...(c.edited_at ? { dateModified: c.edited_at } : {}),
            text: textOfHtml(c.body_html),
          })),
        }
      : {}),
  };
}

/** A JSON-LD data block for <head>. Not executed, so the CSP's script rules do not apply; nothing in the data can end the element. */
export function jsonLdScript(data: unknown): SafeHtml {
  return html`<script type="application/ld+json">${jsonForScript(data)}</script>`;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Plain text of HTML our Markdown renderer produced: block tags become spaces, other tags go,
 * entities decoded, whitespace collapsed. A story page turns each of its comments into text on
 * every render, so the last answers are kept.
 */
export const textOfHtml = remembered(plainText, 5_000);

function plainText(markup: string): string {
  // One pass over the tags (block tags become spaces), and the entity pass only when there is one.
  const text = markup.replace(/<(\/?)([a-z][a-z0-9]*)?[^>]*>/gi, (_tag, _slash, name: string | undefined) => (name && blockTags.has(name.toLowerCase()) ? ' ' : ''));
  return (text.includes('&') ? decodeEntities(text) : text).replace(/\s+/g, ' ').trim();
}

const blockTags = new Set(['p', 'br', 'li', 'ul', 'ol', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'table', 'tr', 'td', 'th', 'div']);

function decodeEntities(text: string): string {
  return text
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== '#') return entities[name.toLowerCase()] ?? whole;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}
