import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { prepareQuery } from '../../db/prepared.js';
import type { StoryListItem } from '../stories/index.js';

type Db = Kysely<Database>;

export interface Section {
  id: number;
  name: string;
  slug: string;
  description: string | null;
}

export interface Tag {
  id: number;
  name: string;
  slug: string;
}

/** A bylined person as the public sees them: never their email, role or anything about their account. */
export interface Author {
  id: number;
  name: string;
  slug: string;
  bio: string | null;
}

const sectionColumns = ['id', 'name', 'slug', 'description'] as const;
const tagColumns = ['id', 'name', 'slug'] as const;

export function findSectionBySlug(db: Db, slug: string): Promise<Section | undefined> {
  return db.selectFrom('sections').select(sectionColumns).where('slug', '=', slug).executeTakeFirst();
}

export function findTagBySlug(db: Db, slug: string): Promise<Tag | undefined> {
  return db.selectFrom('tags').select(tagColumns).where('slug', '=', slug).executeTakeFirst();
}

export function findAuthorBySlug(db: Db, slug: string): Promise<Author | undefined> {
  return db.selectFrom('people').select(['id', 'name', 'slug', 'bio']).where('slug', '=', slug).executeTakeFirst();
}

/** Every section, by name. */
export function listSections(db: Db): Promise<Section[]> {
  return db.selectFrom('sections').select(sectionColumns).orderBy('name').orderBy('id').execute();
}

/** Every tag, by name. */
export function listTags(db: Db): Promise<Tag[]> {
  return db.selectFrom('tags').select(tagColumns).orderBy('name').orderBy('id').execute();
}

/** The section with this slug, created with this name when there is none (safe against a concurrent insert). */
export async function findOrInsertSection(db: Db, section: { name: string; slug: string; now: string }): Promise<Section> {
  await db
    .insertInto('sections')
    .values({ name: section.name, slug: section.slug, description: null, created_at: section.now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return db.selectFrom('sections').select(sectionColumns).where('slug', '=', section.slug).executeTakeFirstOrThrow();
}

/** The tag with this slug, created with this name when there is none (safe against a concurrent insert). */
export async function findOrInsertTag(db: Db, tag: { name: string; slug: string; now: string }): Promise<Tag> {
  await db
    .insertInto('tags')
    .values({ name: tag.name, slug: tag.slug, created_at: tag.now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return db.selectFrom('tags').select(tagColumns).where('slug', '=', tag.slug).executeTakeFirstOrThrow();
}

export async function updateStorySection(db: Db, storyId: number, sectionId: number | null): Promise<void> {
  await db.updateTable('stories').set({ section_id: sectionId }).where('id', '=', storyId).execute();
}

export async function replaceStoryTags(db: Db, storyId: number, tagIds: readonly number[]): Promise<void> {
  await db.deleteFrom('story_tags').where('story_id', '=', storyId).execute();
  if (tagIds.length === 0) return;
  await db
    .insertInto('story_tags')
    .values(tagIds.map((tag_id, position) => ({ story_id: storyId, tag_id, position })))
    .execute();
}

export function findStorySection(db: Db, storyId: number): Promise<Section | undefined> {
  return storySectionQuery.executeTakeFirst(db, { storyId });
}

const storySectionQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .selectFrom('stories')
    .innerJoin('sections', 'sections.id', 'stories.section_id')
    .select(['sections.id', 'sections.name', 'sections.slug', 'sections.description'])
    .where('stories.id', '=', p.storyId),
);

export function listStoryTags(db: Db, storyId: number): Promise<Tag[]> {
  return storyTagsQuery.execute(db, { storyId });
}

const storyTagsQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['tags.id', 'tags.name', 'tags.slug'])
    .where('story_tags.story_id', '=', p.storyId)
    .orderBy('story_tags.position'),
);

/** Which stories a listing shows: those of a section, a tag or an author. */
export type StoryFilter = { sectionId: number } | { tagId: number } | { personId: number };

/**
 * Published stories visible at `now` that match the filter, newest first, one page at a time
 * (limit + 1 rows tell whether a next page exists), with their approved comment counts.
 */
export async function listPublishedStoriesFor(
  db: Db,
  options: { filter: StoryFilter; now: string; limit: number; offset: number },
): Promise<StoryListItem[]> {
  const { filter } = options;
  let query = db
    .selectFrom('stories')
    .select(['stories.id', 'stories.slug', 'stories.headline', 'stories.dek', 'stories.byline', 'stories.published_at', 'stories.updated_at'])
    .select((eb) => [
      eb
        .selectFrom('comments')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('comments.story_id', '=', 'stories.id')
        .where('comments.status', '=', 'approved')
        .as('comment_count'),
      eb.selectFrom('sections').select('sections.name').whereRef('sections.id', '=', 'stories.section_id').as('section_name'),
      eb.selectFrom('sections').select('sections.slug').whereRef('sections.id', '=', 'stories.section_id').as('section_slug'),
    ])
    .where('stories.status', '=', 'published')
    .where('stories.published_at', '<=', options.now);
  if ('sectionId' in filter) query = query.where('stories.section_id', '=', filter.sectionId);
  if ('tagId' in filter) {
    query = query.where('stories.id', 'in', db.selectFrom('story_tags').select('story_tags.story_id').where('story_tags.tag_id', '=', filter.tagId));
  }
  if ('personId' in filter) {
    query = query.where(
      'stories.id',
      'in',
      db.selectFrom('story_authors').select('story_authors.story_id').where('story_authors.person_id', '=', filter.personId),
    );
  }
  const rows = await query
    .orderBy('stories.published_at', 'desc')
    .orderBy('stories.id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map((r) => ({
    ...r,
    comment_count: Number(r.comment_count ?? 0),
    section_name: r.section_name ?? null,
    section_slug: r.section_slug ?? null,
  }));
}
