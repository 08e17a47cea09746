import { z } from 'zod';
import { slugify } from '../../lib/slug.js';

/** Limits on section and tag names, wherever they come from (front matter now, the editor later). */
export const taxonomyLimits = { nameLength: 60, tagsPerStory: 20 } as const;

/** A name as stored: trimmed, every run of white space one space. */
export function normalizeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/**
 * The slug of a section or tag name, its identity: names with the same slug ("Harbour",
 * "harbour ") are the same section or tag, which keeps the name it was created with.
 */
export function taxonomySlug(name: string): string {
  return slugify(normalizeName(name));
}

const controlCharacter = /[\u0000-\u001f\u007f]/;

/** One section or tag name: text, normalized, 1–60 characters, with a letter or digit its address can be made from. */
export const taxonomyNameSchema = z
  .string({ error: 'must be text (put quotes around a name that YAML would read as a number or a date)' })
  .overwrite(normalizeName)
  .min(1, { error: 'must not be empty', abort: true })
  .max(taxonomyLimits.nameLength, { error: `must be at most ${taxonomyLimits.nameLength} characters`, abort: true })
  .refine((name) => !controlCharacter.test(name), { error: 'must not contain control characters', abort: true })
  .refine((name) => taxonomySlug(name) !== '', 'must contain a letter from A to Z or a digit (its address is made from them)');

/** A story's tags: a list of at most 20 names. */
export const tagNamesSchema = z
  .array(taxonomyNameSchema, { error: 'must be a list of tag names' })
  .max(taxonomyLimits.tagsPerStory, `must hold at most ${taxonomyLimits.tagsPerStory} tags`);

export interface TaxonomyName {
  name: string;
  slug: string;
}

/** Normalized names with their slugs, one per slug, in the order first given. */
export function uniqueBySlug(names: readonly string[]): TaxonomyName[] {
  const seen = new Map<string, TaxonomyName>();
  for (const raw of names) {
    const name = normalizeName(raw);
    const slug = taxonomySlug(name);
    if (slug !== '' && !seen.has(slug)) seen.set(slug, { name, slug });
  }
  return [...seen.values()];
}

/** The first problem of a failed parse, as `field: message` (`tags[2]: must not be empty`). */
export function describeProblem(field: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${field}: is not valid`;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${field}${path}: ${issue.message}`;
}
