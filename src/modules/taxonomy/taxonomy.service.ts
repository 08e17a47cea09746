import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError, type ErrorCode } from '../../errors.js';
import { assertCan, type Actor } from '../people/index.js';
import type { StoryListItem } from '../stories/index.js';
import { describeProblem, tagNamesSchema, taxonomyNameSchema, taxonomySlug, uniqueBySlug } from './taxonomy.names.js';
import * as repo from './taxonomy.repo.js';
import type { Author, Section, StoryFilter, Tag } from './taxonomy.repo.js';
import { pageOf, pageWindow } from '../../lib/paging.js';

/** Stories on one page of a section, tag or author listing. */
export const listingPageSize = 20;

/** One page of the published stories of a section, a tag or an author. */
export interface StoryListing<T> {
  subject: T;
  stories: StoryListItem[];
  page: number;
  hasNext: boolean;
}

export interface StoryTaxonomy {
  section: Section | undefined;
  tags: Tag[];
}

/**
 * Sets a story's section by name, creating the section on first use; null removes it.
 * Runs in the caller's transaction; an invalid name throws before anything is written.
 */
export async function setStorySection(trx: Kysely<Database>, story: { storyId: number; name: string | null; now: string }): Promise<Section | undefined> {
  if (story.name === null) {
    await repo.updateStorySection(trx, story.storyId, null);
    return undefined;
  }
  const parsed = taxonomyNameSchema.safeParse(story.name);
  if (!parsed.success) throw invalid('section', describeProblem('section', parsed.error));
  const section = await repo.findOrInsertSection(trx, { name: parsed.data, slug: taxonomySlug(parsed.data), now: story.now });
  await repo.updateStorySection(trx, story.storyId, section.id);
  return section;
}

/**
 * Replaces a story's tags by names, in order, creating tags on first use; names with the same
 * slug count once. Runs in the caller's transaction; invalid names throw before anything is written.
 */
export async function setStoryTags(trx: Kysely<Database>, story: { storyId: number; names: readonly string[]; now: string }): Promise<Tag[]> {
  const parsed = tagNamesSchema.safeParse(story.names);
  if (!parsed.success) throw invalid('tags', describeProblem('tags', parsed.error));
  const tags: Tag[] = [];
  for (const name of uniqueBySlug(parsed.data)) tags.push(await repo.findOrInsertTag(trx, { ...name, now: story.now }));
  await repo.replaceStoryTags(
    trx,
    story.storyId,
    tags.map((t) => t.id),
  );
  return tags;
}

/** Replaces both a story's section and its tags, in the caller's transaction (which an invalid name rolls back). */
export async function setStoryTaxonomy(
  trx: Kysely<Database>,
  story: { storyId: number; section: string | null; tags: readonly string[]; now: string },
): Promise<StoryTaxonomy> {
  const tags = await setStoryTags(trx, { storyId: story.storyId, names: story.tags, now: story.now });
  const section = await setStorySection(trx, { storyId: story.storyId, name: story.section, now: story.now });
  return { section, tags };
}

/** The section and tags a story page shows. */
export async function getStoryTaxonomy(deps: Deps, storyId: number): Promise<StoryTaxonomy> {
  const [section, tags] = await Promise.all([repo.findStorySection(deps.store.db, storyId), repo.listStoryTags(deps.store.db, storyId)]);
  return { section, tags };
}

/** Every section, by name, whether or not a published story is in it yet (staff only). */
export async function listSections(deps: Deps, actor: Actor): Promise<Section[]> {
  assertCan(actor, 'admin.enter');
  return repo.listSections(deps.store.db);
}

/** Every tag, by name, whether or not a published story has it yet (staff only). */
export async function listTags(deps: Deps, actor: Actor): Promise<Tag[]> {
  assertCan(actor, 'admin.enter');
  return repo.listTags(deps.store.db);
}

/** A page of a section's published stories; throws SECTION_NOT_FOUND for an unknown slug, a section without any, or a page past the end. */
export async function getSectionListing(deps: Deps, which: { slug: string; page: number }): Promise<StoryListing<Section>> {
  const section = await repo.findSectionBySlug(deps.store.db, which.slug);
  return listing(deps, { subject: section, filter: section && { sectionId: section.id }, page: which.page, notFound: 'SECTION_NOT_FOUND' });
}

/** A page of a tag's published stories; throws TAG_NOT_FOUND for an unknown slug, a tag without any, or a page past the end. */
export async function getTagListing(deps: Deps, which: { slug: string; page: number }): Promise<StoryListing<Tag>> {
  const tag = await repo.findTagBySlug(deps.store.db, which.slug);
  return listing(deps, { subject: tag, filter: tag && { tagId: tag.id }, page: which.page, notFound: 'TAG_NOT_FOUND' });
}

/**
 * A page of an author's published stories, with their name and bio; throws AUTHOR_NOT_FOUND for
 * an unknown slug, a person without published stories (staff who never wrote one stay private),
 * or a page past the end.
 */
export async function getAuthorListing(deps: Deps, which: { slug: string; page: number }): Promise<StoryListing<Author>> {
  const author = await repo.findAuthorBySlug(deps.store.db, which.slug);
  return listing(deps, { subject: author, filter: author && { personId: author.id }, page: which.page, notFound: 'AUTHOR_NOT_FOUND' });
}

const notFoundMessages = {
  SECTION_NOT_FOUND: 'There is no section with published stories at this address.',
  TAG_NOT_FOUND: 'There is no tag with published stories at this address.',
  AUTHOR_NOT_FOUND: 'There is no author with published stories at this address.',
} as const satisfies Partial<Record<ErrorCode, string>>;

/**
 * A listing exists only while it shows at least one published story: a section or tag used only
 * by drafts must not reveal its name, and pages past the end are not pages.
 */
async function listing<T>(
  deps: Deps,
  o: { subject: T | undefined; filter: StoryFilter | undefined; page: number; notFound: keyof typeof notFoundMessages },
): Promise<StoryListing<T>> {
  const rows =
    o.subject === undefined || o.filter === undefined
      ? []
      : await repo.listPublishedStoriesFor(deps.store.db, {
          filter: o.filter,
          now: deps.clock.now().toISOString(),
          ...pageWindow(o.page, listingPageSize),
        });
  if (o.subject === undefined || rows.length === 0) throw new DomainError(o.notFound, notFoundMessages[o.notFound]);
  const { items, hasNext } = pageOf(rows, listingPageSize);
  return { subject: o.subject, stories: items, page: o.page, hasNext };
}

function invalid(field: 'section' | 'tags', message: string): ValidationError {
  return new ValidationError({ [field]: message }, 'VALIDATION_FAILED', message);
}
