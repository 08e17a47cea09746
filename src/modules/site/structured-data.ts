import { html, jsonForScript, type SafeHtml } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import type { PublicCorrection } from '../corrections/index.js';
import { storyPath, type StoryPage } from '../stories/index.js';

export interface NewsArticleInput {
  site: Pick<SiteContext, 'siteName' | 'publicUrl' | 'lang'>;
  page: Pick<StoryPage, 'story' | 'authors' | 'sources' | 'featuredImage'>;
  corrections: readonly PublicCorrection[];
}

/**
 * The schema.org NewsArticle describing a story page (DESIGN.md §4): headline, dates, authors,
 * publisher, canonical URL, the sources as `citation` and the corrections shown on the page as
 * `correction`. A pure function of the page's data; empty lists are left out.
 */
export function newsArticleJsonLd({ site, page, corrections }: NewsArticleInput): Record<string, unknown> {
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
    ...(authors.length > 0 ? { author: authors.map((a) => ({ '@type': 'Person', name: a.name })) } : {}),
    publisher: { '@type': 'NewsMediaOrganization', name: site.siteName, url: `${site.publicUrl}/` },
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
  };
}

/** A JSON-LD data block for <head>. Not executed, so the CSP's script rules do not apply; nothing in the data can end the element. */
export function jsonLdScript(data: unknown): SafeHtml {
  return html`<script type="application/ld+json">${jsonForScript(data)}</script>`;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Plain text of HTML our Markdown renderer produced: block tags become spaces, other tags go, entities decoded, whitespace collapsed. */
export function textOfHtml(markup: string): string {
  return markup
    .replace(/<\/?(p|br|li|ul|ol|blockquote|h[1-6]|pre|hr|table|tr|td|th|div)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== '#') return entities[name.toLowerCase()] ?? whole;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
