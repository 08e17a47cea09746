import { z } from 'zod';
import type { CorrectionRow, PersonRow, SourceRow, StoryRow, StoryStatus } from '../../db/schema.js';
import { ValidationError, type FieldErrors } from '../../errors.js';
import { storyPath, type StoryAction, type StoryFormInput } from '../stories/index.js';
import { sectionPath, tagPath, type Section, type StoryTaxonomy, type Tag } from '../taxonomy/index.js';

/**
 * Request and response schemas of /api/. Requests are checked here for shape and type only; the
 * domain functions the admin screens call (parseStoryForm, saveStory, appendCorrection) check
 * the content, so the API and the screens accept exactly the same stories.
 */

const storyStatuses = ['draft', 'scheduled', 'published', 'unpublished'] as const satisfies readonly StoryStatus[];

/** Text without NUL characters, which PostgreSQL cannot store in a text column. */
const text = () => z.string().refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
const optionalText = (description: string) => text().nullable().optional().describe(description);

// ——— requests ———

export const sourceInput = z
  .object({
    title: text().describe('Title of the document, 1–300 characters.'),
    outlet: optionalText('Who published it, up to 200 characters.'),
    url: text().describe('Its address, http:// or https://, up to 2,000 characters.'),
    date: optionalText('Its date as YYYY-MM-DD.'),
  })
  .describe('A document the story relies on, shown under the story and as schema.org `citation`.');

export const storyActionInput = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('save') }),
    z.object({ kind: z.literal('publish') }),
    z.object({ kind: z.literal('schedule'), at: z.iso.datetime({ offset: true }).describe('When to publish, in the future, with a time zone: 2026-12-01T06:00:00Z.') }),
    z.object({ kind: z.literal('unpublish') }),
  ])
  .describe(
    'What to do besides saving: `save` keeps the status (a new story is a draft); `publish`, `schedule` and `unpublish` need the `story.publish` permission.',
  );

const storyFields = {
  headline: text().describe('1–300 characters.'),
  slug: optionalText('The address, /stories/SLUG: lower-case letters, digits and single hyphens. Omitted or empty: made from the headline for a new story, kept for an existing one.'),
  dek: optionalText('The standfirst, up to 600 characters.'),
  byline: text().describe('1–200 characters, e.g. "By Amina Castell".'),
  dateline: optionalText('Up to 120 characters, e.g. "BRUSSELS".'),
  body: text().describe('The story in Markdown, up to 200,000 characters.'),
  related: optionalText('Slug of another story to show as related.'),
  sources: z.array(sourceInput).max(100).optional().describe('At most 100; replaces the story’s sources.'),
  action: storyActionInput.optional().describe('Defaults to `{"kind": "save"}`.'),
  note: text().max(500).optional().describe('A note kept with this revision.'),
};

export const storyCreateInput = z.object(storyFields).describe('A new story. Unknown fields are ignored.');

export const storyUpdateInput = z
  .object({
    ...storyFields,
    substantive: z.boolean().optional().describe('For a published story: show readers an "Updated" time (a substantive change, not a typo fix).'),
  })
  .describe('Every editable field of the story: fields left out are emptied (the slug is kept). Unknown fields are ignored.');

export const correctionInput = z.object({
  kind: z.enum(['correction', 'clarification']),
  text: text().describe('Markdown, up to 4,000 characters.'),
});

export const storyListQuery = z.object({
  status: z.enum(storyStatuses).optional(),
  q: text().max(200).optional().describe('Words in the headline.'),
  page: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be a whole number from 1 to 9999')
    .optional()
    .describe('Page number, 50 stories a page; default 1.'),
});

// ——— responses ———

const isoTime = z.string().describe('ISO 8601 time in UTC.');

export const sourceOutput = z.object({ title: z.string(), outlet: z.string().nullable(), url: z.string(), date: z.string().nullable() });

export const storySummaryOutput = z.object({
  id: z.number().int(),
  slug: z.string(),
  headline: z.string(),
  status: z.enum(storyStatuses),
  byline: z.string(),
  publishedAt: isoTime.nullable(),
  modifiedAt: isoTime,
  createdBy: z.number().int().nullable().describe('Id of the staff member who created it; null for imports.'),
});

export const storyListOutput = z.object({ stories: z.array(storySummaryOutput), page: z.number().int(), hasNext: z.boolean() });

export const sectionOutput = z.object({ id: z.number().int(), name: z.string(), slug: z.string(), description: z.string().nullable(), path: z.string() });
export const tagOutput = z.object({ id: z.number().int(), name: z.string(), slug: z.string(), path: z.string() });

export const storyOutput = storySummaryOutput.extend({
  dek: z.string().nullable(),
  dateline: z.string().nullable(),
  body: z.string().describe('Markdown source.'),
  bodyHtml: z.string().describe('The body as rendered for readers.'),
  related: z.string().nullable().describe('Slug of the related story.'),
  sources: z.array(sourceOutput),
  updatedAt: isoTime.nullable().describe('Time of the last substantive update shown to readers.'),
  createdAt: isoTime,
  path: z.string().describe('The story’s address on the site (a page only once it is published).'),
  section: sectionOutput.nullable(),
  tags: z.array(tagOutput),
  mayEdit: z.boolean().describe('Whether the token’s owner may change this story.'),
});

export const correctionOutput = z.object({
  id: z.number().int(),
  storyId: z.number().int(),
  kind: z.enum(['correction', 'clarification']),
  text: z.string().describe('Markdown source.'),
  html: z.string(),
  createdAt: isoTime,
});

export const personOutput = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  email: z.string().nullable(),
  role: z.enum(['admin', 'editor', 'author', 'moderator']).nullable(),
  disabled: z.boolean(),
  createdAt: isoTime,
});

export const meOutput = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(['admin', 'editor', 'author', 'moderator']),
  permissions: z.array(z.string()).describe('The actions of docs/permissions.md this role may take.'),
});

export const errorOutput = z.object({
  error: z.string().describe('A stable code, e.g. VALIDATION_FAILED, AUTH_NOT_PERMITTED, STORY_NOT_FOUND.'),
  message: z.string().describe('A sentence for people.'),
  errors: z.record(z.string(), z.string()).optional().describe('Field path (`headline`, `sources.0.url`, `action.at`) → what is wrong with it.'),
});

export type StoryOutput = z.output<typeof storyOutput>;

// ——— writing responses ———

type Summary = z.output<typeof storySummaryOutput>;

export function presentStorySummary(s: { id: number; slug: string; headline: string; status: StoryStatus; byline: string; published_at: string | null; modified_at: string; created_by: number | null }): Summary {
  return { id: s.id, slug: s.slug, headline: s.headline, status: s.status, byline: s.byline, publishedAt: s.published_at, modifiedAt: s.modified_at, createdBy: s.created_by };
}

export function presentSection(s: Section): z.output<typeof sectionOutput> {
  return { id: s.id, name: s.name, slug: s.slug, description: s.description, path: sectionPath(s.slug) };
}

export function presentTag(t: Tag): z.output<typeof tagOutput> {
  return { id: t.id, name: t.name, slug: t.slug, path: tagPath(t.slug) };
}

export function presentStory(
  editing: { story: StoryRow; sources: readonly SourceRow[]; relatedSlug: string; mayEdit: boolean },
  taxonomy: StoryTaxonomy,
): StoryOutput {
  const { story } = editing;
  return {
    ...presentStorySummary(story),
    dek: story.dek,
    dateline: story.dateline,
    body: story.body_source,
    bodyHtml: story.body_html,
    related: editing.relatedSlug || null,
    sources: editing.sources.map((s) => ({ title: s.title, outlet: s.outlet, url: s.url, date: s.published_on })),
    updatedAt: story.updated_at,
    createdAt: story.created_at,
    path: storyPath(story.slug),
    section: taxonomy.section ? presentSection(taxonomy.section) : null,
    tags: taxonomy.tags.map(presentTag),
    mayEdit: editing.mayEdit,
  };
}

export function presentCorrection(c: CorrectionRow): z.output<typeof correctionOutput> {
  return { id: c.id, storyId: c.story_id, kind: c.kind, text: c.body_source, html: c.body_html, createdAt: c.created_at };
}

/** A staff member for administrators: never the password hash. */
export function presentPerson(p: PersonRow): z.output<typeof personOutput> {
  return { id: p.id, name: p.name, slug: p.slug, email: p.email, role: p.role, disabled: p.disabled_at !== null, createdAt: p.created_at };
}

// ——— reading requests ———

/**
 * Parses a JSON body: anything but an object is a bad request (400); an object with fields of the
 * wrong type fails validation (422) with a message per field path.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw Object.assign(new Error('Send a JSON object with "Content-Type: application/json".'), { statusCode: 400 });
  }
  return parseOrThrow(schema, body);
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value, { error: describeIssue });
  if (parsed.success) return parsed.data;
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.') || '_'] ??= issue.message;
  throw new ValidationError(errors);
}

function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) return 'must have a "kind" of save, publish, schedule or unpublish';
  if (issue.code === 'invalid_value') return `must be one of: ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_format' && issue.format === 'datetime') return 'must be a date and time with a time zone, e.g. 2026-12-01T06:00:00Z';
  return undefined;
}

function article(type: string): string {
  return { string: 'text', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list' }[type] ?? type;
}

/** The editor's form values and action for a story body sent to the API. */
export function storyFormOf(body: z.output<typeof storyCreateInput>): { values: StoryFormInput; action: StoryAction } {
  const values: StoryFormInput = {
    headline: body.headline,
    slug: body.slug ?? '',
    dek: body.dek ?? '',
    byline: body.byline,
    dateline: body.dateline ?? '',
    body: body.body,
    related: body.related ?? '',
    sources: (body.sources ?? []).map((s) => ({ title: s.title, outlet: s.outlet ?? '', url: s.url, date: s.date ?? '' })),
  };
  const action = body.action ?? { kind: 'save' };
  return { values, action: action.kind === 'schedule' ? { kind: 'schedule', at: new Date(action.at).toISOString() } : action };
}
