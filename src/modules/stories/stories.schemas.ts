import { z } from 'zod';
import { toIsoTimestamp } from '../../lib/dates.js';
import { isSlug } from '../../lib/slug.js';
import { isHttpUrl } from '../../lib/urls.js';
import { tagNamesSchema, taxonomyNameSchema } from '../taxonomy/index.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/** A date or date-time (YAML may hand over either a string or a Date), as an ISO string cut by `shape`. */
const dateLike = (message: string, shape: (iso: string) => string) =>
  z.union([z.string(), z.date()]).transform((v, ctx) => {
    const iso = toIsoTimestamp(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return shape(iso);
  });
const timestamp = dateLike('must be a date-time like 2026-11-27T08:30:00Z', (iso) => iso);
const slug = z.string().refine(isSlug, 'must be lower-case letters, digits and single hyphens, e.g. talks-resume');

export const sourceSchema = z.object({
  title: text(300),
  outlet: text(200).optional(),
  url: z.string().trim().refine(isHttpUrl, 'must be an http:// or https:// URL').refine((u) => u.length <= 2000, 'is too long'),
  date: dateLike('must be a date like 2026-11-27', (iso) => iso.slice(0, 10)).optional(),
});

/** Front matter of a story file for `readout import-story`. */
export const storyFrontMatterSchema = z
  .object({
    headline: text(300),
    slug: slug.optional(),
    dek: text(600).optional(),
    byline: text(200),
    authors: z.array(text(120)).max(20).optional(),
    dateline: text(120).optional(),
    published: timestamp.optional(),
    updated: timestamp.optional(),
    status: z.enum(['draft', 'published']).default('published'),
    sources: z.array(sourceSchema).max(100).default([]),
    related: slug.optional(),
    section: taxonomyNameSchema.optional(),
    tags: tagNamesSchema.optional(),
  })
  .strict();

export type StoryFrontMatter = z.infer<typeof storyFrontMatterSchema>;
export type StorySourceInput = z.infer<typeof sourceSchema>;

/** Longest story body accepted, in characters. */
export const maxStoryBodyLength = 200_000;
