import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { isSlug } from '../../lib/slug.js';
import { isHttpUrl } from '../../lib/urls.js';
import { maxStoryBodyLength } from './stories.schemas.js';

/** What the story editor sends, as text fields (sources as rows). */
export interface StoryFormInput {
  headline: string;
  slug: string;
  dek: string;
  byline: string;
  dateline: string;
  body: string;
  related: string;
  sources: { title: string; outlet: string; url: string; date: string }[];
  /** Section name; empty for none. */
  section?: string;
  /** Tag names separated by commas. */
  tags?: string;
  /** Author names separated by commas; empty: taken from the byline. */
  authors?: string;
  /** Id of the featured image (an uploaded media item); empty for none. */
  featuredMediaId?: string;
  /** The story's comment settings; absent: leave them as they are. Close after: days, empty for the site default. */
  comments?: { open: boolean; premoderated: boolean; closeAfterDays: string };
}

export interface StoryDraft {
  headline: string;
  /** Empty: made from the headline for a new story, kept for an existing one. */
  slug: string;
  dek: string | null;
  byline: string;
  dateline: string | null;
  body: string;
  related: string | null;
  sources: { title: string; outlet?: string; url: string; date?: string }[];
  /** Absent in revisions saved before sections existed. */
  section?: string | null;
  tags?: string[];
  authors?: string[];
  /** Absent (leave as is) in revisions saved before featured images existed; null for none. */
  featuredMediaId?: number | null;
  /** Absent: leave the story's comment settings as they are. closeAfterDays null: the site default (0: never). */
  comments?: { open: boolean; premoderated: boolean; closeAfterDays: number | null };
}

const limit = (what: string, max: number) => (v: string) => [...v].length <= max || `${what} must be at most ${max.toLocaleString('en-US')} characters.`;

/** Checks an editor form; throws ValidationError naming each bad field (sources as `sources.N.url`). */
export function parseStoryForm(input: StoryFormInput): StoryDraft {
  const errors: Record<string, string> = {};
  const check = (field: string, ok: true | string) => {
    if (ok !== true) errors[field] ??= ok;
  };
  const headline = input.headline.trim();
  check('headline', headline !== '' || 'Give the story a headline.');
  check('headline', limit('The headline', 300)(headline));
  const slug = input.slug.trim();
  check('slug', slug === '' || isSlug(slug) || 'Use lower-case letters, digits and single hyphens, e.g. talks-resume.');
  const byline = input.byline.trim();
  check('byline', byline !== '' || 'Give a byline, e.g. "By Amina Castell".');
  check('byline', limit('The byline', 200)(byline));
  check('dek', limit('The standfirst', 600)(input.dek.trim()));
  check('dateline', limit('The dateline', 120)(input.dateline.trim()));
  const body = input.body.replace(/\r\n?/g, '\n');
  check('body', body.trim() !== '' || 'Write the story before saving it.');
  check('body', limit('The story', maxStoryBodyLength)(body));
  const related = input.related.trim();
  check('related', related === '' || isSlug(related) || 'Give the related story as its slug, e.g. talks-resume.');
  const sources: StoryDraft['sources'] = [];
  input.sources.forEach((s, i) => {
    const row = { title: s.title.trim(), outlet: s.outlet.trim(), url: s.url.trim(), date: s.date.trim() };
    if (!row.title && !row.outlet && !row.url && !row.date) return;
    check(`sources.${i}.title`, row.title !== '' || 'Give the source a title.');
    check(`sources.${i}.title`, limit('A source title', 300)(row.title));
    check(`sources.${i}.outlet`, limit('An outlet', 200)(row.outlet));
    check(`sources.${i}.url`, (isHttpUrl(row.url) && row.url.length <= 2000) || 'Give the address as http:// or https://…');
    check(`sources.${i}.date`, row.date === '' || /^\d{4}-\d{2}-\d{2}$/.test(row.date) || 'Give the date as YYYY-MM-DD.');
    sources.push({ title: row.title, url: row.url, ...(row.outlet ? { outlet: row.outlet } : {}), ...(row.date ? { date: row.date } : {}) });
  });
  const section = (input.section ?? '').trim().replace(/\s+/g, ' ');
  check('section', limit('The section name', 60)(section));
  const tags = [...new Set((input.tags ?? '').split(',').map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  check('tags', tags.length <= 20 || 'Use at most 20 tags.');
  for (const tag of tags) check('tags', limit(`The tag "${tag.slice(0, 20)}"`, 60)(tag));
  const featured = (input.featuredMediaId ?? '').trim();
  check('featured_media_id', featured === '' || (/^[1-9]\d{0,9}$/.test(featured) && Number(featured) <= 2_147_483_647) || 'Choose an image from the list.');
  const authors = [...new Set((input.authors ?? '').split(',').map((a) => a.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  check('authors', authors.length <= 20 || 'Name at most 20 authors.');
  for (const a of authors) check('authors', limit(`The author name "${a.slice(0, 20)}"`, 120)(a));
  const closeAfter = (input.comments?.closeAfterDays ?? '').trim();
  check('comments_close_after_days', closeAfter === '' || (/^\d{1,4}$/.test(closeAfter) && Number(closeAfter) <= 3650) || 'Give a number of days from 0 to 3650, or leave it empty for the site default.');
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return {
    ...(input.comments
      ? { comments: { open: input.comments.open, premoderated: input.comments.premoderated, closeAfterDays: closeAfter === '' ? null : Number(closeAfter) } }
      : {}),
    authors,
    ...(input.featuredMediaId !== undefined ? { featuredMediaId: featured === '' ? null : Number(featured) } : {}),
    section: section || null,
    tags,
    headline,
    slug,
    dek: input.dek.trim() || null,
    byline,
    dateline: input.dateline.trim() || null,
    body,
    related: related || null,
    sources,
  };
}

/** Zod shape of the raw editor POST body (x-www-form-urlencoded; sources as sources[N][field]). */
export const storyFormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
