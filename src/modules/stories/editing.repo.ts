import { sql, type Kysely } from 'kysely';
import type { Database, RevisionRow, StoryRow, StoryStatus } from '../../db/schema.js';

type Db = Kysely<Database>;

/** The story an old slug now belongs to. */
export async function findStoryIdByOldSlug(db: Db, slug: string): Promise<number | undefined> {
  const row = await db.selectFrom('story_slugs').select('story_id').where('slug', '=', slug).executeTakeFirst();
  return row?.story_id;
}

export async function rememberOldSlug(db: Db, o: { slug: string; storyId: number; now: string }): Promise<void> {
  await db
    .insertInto('story_slugs')
    .values({ slug: o.slug, story_id: o.storyId, created_at: o.now })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ story_id: o.storyId }))
    .execute();
}

export async function forgetOldSlug(db: Db, slug: string): Promise<void> {
  await db.deleteFrom('story_slugs').where('slug', '=', slug).execute();
}

export async function insertRevision(db: Db, o: { storyId: number; snapshot: string; authorId: number | null; note: string | null; now: string }): Promise<RevisionRow> {
  const last = await db
    .selectFrom('story_revisions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('story_id', '=', o.storyId)
    .executeTakeFirst();
  return db
    .insertInto('story_revisions')
    .values({ story_id: o.storyId, number: Number(last?.n ?? 0) + 1, snapshot: o.snapshot, author_id: o.authorId, note: o.note, created_at: o.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listRevisions(db: Db, storyId: number): Promise<(RevisionRow & { author_name: string | null })[]> {
  return db
    .selectFrom('story_revisions')
    .leftJoin('people', 'people.id', 'story_revisions.author_id')
    .selectAll('story_revisions')
    .select('people.name as author_name')
    .where('story_id', '=', storyId)
    .orderBy('number', 'desc')
    .execute();
}

export function findRevision(db: Db, storyId: number, number: number): Promise<RevisionRow | undefined> {
  return db.selectFrom('story_revisions').selectAll().where('story_id', '=', storyId).where('number', '=', number).executeTakeFirst();
}

export interface AdminStoryItem {
  id: number;
  slug: string;
  headline: string;
  status: StoryStatus;
  byline: string;
  published_at: string | null;
  modified_at: string;
  created_by: number | null;
}

/** Stories for the admin list, newest change first, filtered by status and headline words. */
export function listStoriesForAdmin(
  db: Db,
  o: { status?: StoryStatus; search?: string; createdBy?: number; sectionId?: number; authorId?: number; limit: number; offset: number },
): Promise<AdminStoryItem[]> {
  let query = db
    .selectFrom('stories')
    .select(['id', 'slug', 'headline', 'status', 'byline', 'published_at', 'modified_at', 'created_by'])
    .orderBy('modified_at', 'desc')
    .orderBy('id', 'desc')
    .limit(o.limit)
    .offset(o.offset);
  if (o.status) query = query.where('status', '=', o.status);
  if (o.createdBy !== undefined) query = query.where('created_by', '=', o.createdBy);
  if (o.sectionId !== undefined) query = query.where('section_id', '=', o.sectionId);
  if (o.authorId !== undefined) {
    const authorId = o.authorId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('story_authors').select('story_id').whereRef('story_authors.story_id', '=', 'stories.id').where('story_authors.person_id', '=', authorId)),
    );
  }
  if (o.search) {
    const pattern = `%${o.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql`lower(headline)`, 'like', sql`${pattern} escape '\\'`);
  }
  return query.execute();
}

/** Sections and bylined people, for the admin filters. */
export async function listFilterChoices(db: Db): Promise<{ sections: { id: number; name: string }[]; authors: { id: number; name: string }[] }> {
  const [sections, authors] = await Promise.all([
    db.selectFrom('sections').select(['id', 'name']).orderBy('name').execute(),
    db
      .selectFrom('people')
      .select(['id', 'name'])
      .where((eb) => eb.exists(eb.selectFrom('story_authors').select('story_id').whereRef('story_authors.person_id', '=', 'people.id')))
      .orderBy('name')
      .execute(),
  ]);
  return { sections, authors };
}

/** Scheduled stories whose time has come, published in one statement so no story is published twice. */
export async function publishDueStories(db: Db, now: string): Promise<StoryRow[]> {
  return db
    .updateTable('stories')
    .set({ status: 'published', modified_at: now })
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now)
    .returningAll()
    .execute();
}

export type { StoryRow };
