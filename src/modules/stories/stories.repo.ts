import type { Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import type { Database, NewStoryRow, PersonRow, SourceRow, StoryRow, StoryUpdate } from '../../db/schema.js';
import type { StorySourceInput } from './stories.schemas.js';
import { slugify } from '../../lib/slug.js';

type Db = Kysely<Database>;

export function findStoryBySlug(db: Db, slug: string): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function findStoryById(db: Db, id: number): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A published story visible at `now`, by slug or id (the first read of every story page). */
export function findPublishedStory(db: Db, which: { slug: string } | { id: number }, now: string): Promise<StoryRow | undefined> {
  return 'slug' in which
    ? publishedBySlugQuery.executeTakeFirst(db, { slug: which.slug, now })
    : publishedByIdQuery.executeTakeFirst(db, { id: which.id, now });
}

const publishedStories = (db: Db, now: string) => db.selectFrom('stories').selectAll().where('status', '=', 'published').where('published_at', '<=', now);
const publishedBySlugQuery = prepareQuery((db, p: { slug: string; now: string }) => publishedStories(db, p.now).where('slug', '=', p.slug));
const publishedByIdQuery = prepareQuery((db, p: { id: number; now: string }) => publishedStories(db, p.now).where('id', '=', p.id));

export const storyRefColumns = ['id', 'slug', 'published_at', 'comments_open', 'comments_premoderated', 'comments_close_after_days'] as const;
export type StoryRef = Pick<StoryRow, (typeof storyRefColumns)[number]>;

/** A published story visible at `now`, with its comment settings: the cheap check a comment post needs. */
export function findPublishedStoryRef(db: Db, id: number, now: string): Promise<StoryRef | undefined> {
  return publishedStoryRefQuery.executeTakeFirst(db, { id, now });
}

const publishedStoryRefQuery = prepareQuery((db, p: { id: number; now: string }) =>
  db.selectFrom('stories').select(storyRefColumns).where('id', '=', p.id).where('status', '=', 'published').where('published_at', '<=', p.now),
);

export interface StoryListItem {
  id: number;
  slug: string;
  headline: string;
  dek: string | null;
  byline: string;
  published_at: string | null;
  updated_at: string | null;
  comment_count: number;
  /** The story's section, for a kicker on teasers; null when it has none. */
  section_name: string | null;
  section_slug: string | null;
}

/** Published stories, newest first, one page at a time (limit + 1 rows tell whether a next page exists). */
export async function listPublishedStories(
  db: Db,
  options: { now: string; limit: number; offset: number },
): Promise<StoryListItem[]> {
  const rows = await db
    .selectFrom('stories')
    .select(['id', 'slug', 'headline', 'dek', 'byline', 'published_at', 'updated_at'])
    .select((eb) =>
      eb
        .selectFrom('comments')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('comments.story_id', '=', 'stories.id')
        .where('comments.status', '=', 'approved')
        .as('comment_count'),
    )
    .select((eb) => [
      eb.selectFrom('sections').select('sections.name').whereRef('sections.id', '=', 'stories.section_id').as('section_name'),
      eb.selectFrom('sections').select('sections.slug').whereRef('sections.id', '=', 'stories.section_id').as('section_slug'),
    ])
    .where('status', '=', 'published')
    .where('published_at', '<=', options.now)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map((r) => ({ ...r, comment_count: Number(r.comment_count ?? 0), section_name: r.section_name ?? null, section_slug: r.section_slug ?? null }));
}

export async function countStories(db: Db): Promise<number> {
  const row = await db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertStory(db: Db, story: NewStoryRow): Promise<StoryRow> {
  return db.insertInto('stories').values(story).returningAll().executeTakeFirstOrThrow();
}

export async function updateStory(db: Db, id: number, changes: StoryUpdate): Promise<StoryRow> {
  return db.updateTable('stories').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function listSources(db: Db, storyId: number): Promise<SourceRow[]> {
  return sourcesQuery.execute(db, { storyId });
}

const sourcesQuery = prepareQuery((db, p: { storyId: number }) => db.selectFrom('story_sources').selectAll().where('story_id', '=', p.storyId).orderBy('position'));

export async function replaceSources(db: Db, storyId: number, sources: readonly StorySourceInput[]): Promise<void> {
  await db.deleteFrom('story_sources').where('story_id', '=', storyId).execute();
  if (sources.length === 0) return;
  await db
    .insertInto('story_sources')
    .values(
      sources.map((s, position) => ({
        story_id: storyId,
        position,
        title: s.title,
        outlet: s.outlet ?? null,
        url: s.url,
        published_on: s.date ?? null,
      })),
    )
    .execute();
}

export function listStoryAuthors(db: Db, storyId: number): Promise<PersonRow[]> {
  return storyAuthorsQuery.execute(db, { storyId });
}

const storyAuthorsQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .selectFrom('story_authors')
    .innerJoin('people', 'people.id', 'story_authors.person_id')
    .selectAll('people')
    .where('story_authors.story_id', '=', p.storyId)
    .orderBy('story_authors.position'),
);

export async function replaceStoryAuthors(db: Db, storyId: number, personIds: readonly number[]): Promise<void> {
  await db.deleteFrom('story_authors').where('story_id', '=', storyId).execute();
  if (personIds.length === 0) return;
  await db
    .insertInto('story_authors')
    .values(personIds.map((person_id, position) => ({ story_id: storyId, person_id, position })))
    .execute();
}

/** Sets a story's authors, in order, by name: each found by slug or created. */
export async function setStoryAuthorsByName(db: Db, o: { storyId: number; names: readonly string[]; now: string }): Promise<void> {
  const ids: number[] = [];
  for (const [i, name] of o.names.entries()) {
    ids.push((await findOrInsertPerson(db, { name, slug: slugify(name) || `person-${i + 1}`, now: o.now })).id);
  }
  await replaceStoryAuthors(db, o.storyId, [...new Set(ids)]);
}

/** Finds a person by slug or creates them with that name. */
export async function findOrInsertPerson(db: Db, person: { name: string; slug: string; now: string }): Promise<PersonRow> {
  const existing = await db.selectFrom('people').selectAll().where('slug', '=', person.slug).executeTakeFirst();
  if (existing) return existing;
  return db
    .insertInto('people')
    .values({ name: person.name, slug: person.slug, bio: null, created_at: person.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}
