import type { Kysely } from 'kysely';
import type { CorrectionRow, Database, StoryStatus } from '../../db/schema.js';
import { prepareQuery } from '../../db/prepared.js';

type Db = Kysely<Database>;

/** What a public page shows of a correction: never who wrote or removed it. */
export interface PublicCorrection {
  id: number;
  story_id: number;
  kind: CorrectionRow['kind'];
  body_html: string;
  created_at: string;
}

/** A correction on the site-wide corrections page, with the story it belongs to. */
export interface ListedCorrection extends PublicCorrection {
  story_slug: string;
  story_headline: string;
}

/** A correction as staff see it: removed ones included, with the names of who wrote and removed it. */
export interface StaffCorrection extends CorrectionRow {
  author_name: string | null;
  removed_by_name: string | null;
}

/** The story fields the corrections desk needs, whatever the story's status. */
export interface CorrectionStory {
  id: number;
  slug: string;
  headline: string;
  status: StoryStatus;
  published_at: string | null;
}

const publicColumns = ['corrections.id', 'corrections.story_id', 'corrections.kind', 'corrections.body_html', 'corrections.created_at'] as const;

export function findCorrection(db: Db, id: number): Promise<CorrectionRow | undefined> {
  return db.selectFrom('corrections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCorrectionStory(db: Db, id: number): Promise<CorrectionStory | undefined> {
  return db.selectFrom('stories').select(['id', 'slug', 'headline', 'status', 'published_at']).where('id', '=', id).executeTakeFirst();
}

export function insertCorrection(db: Db, row: Omit<CorrectionRow, 'id' | 'removed_at' | 'removed_by' | 'removal_reason'>): Promise<CorrectionRow> {
  return db.insertInto('corrections').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Marks a correction removed, only if it is not removed already; undefined when another removal won. */
export function updateCorrectionRemoved(
  db: Db,
  id: number,
  removal: { removed_at: string; removed_by: number | null; removal_reason: string },
): Promise<CorrectionRow | undefined> {
  return db.updateTable('corrections').set(removal).where('id', '=', id).where('removed_at', 'is', null).returningAll().executeTakeFirst();
}

/** The corrections a story shows, newest first. */
export function listStoryCorrections(db: Db, storyId: number): Promise<PublicCorrection[]> {
  return storyCorrectionsQuery.execute(db, { storyId });
}

const storyCorrectionsQuery = prepareQuery((db, p: { storyId: number }) =>
  db
    .selectFrom('corrections')
    .select(publicColumns)
    .where('story_id', '=', p.storyId)
    .where('removed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);

/** Every correction of a story, removed ones included, newest first. */
export function listStaffCorrections(db: Db, storyId: number): Promise<StaffCorrection[]> {
  return db
    .selectFrom('corrections')
    .leftJoin('people as author', 'author.id', 'corrections.author_id')
    .leftJoin('people as remover', 'remover.id', 'corrections.removed_by')
    .selectAll('corrections')
    .select(['author.name as author_name', 'remover.name as removed_by_name'])
    .where('corrections.story_id', '=', storyId)
    .orderBy('corrections.created_at', 'desc')
    .orderBy('corrections.id', 'desc')
    .execute();
}

/** Corrections shown on published stories, newest first, one page at a time (limit + 1 rows tell whether a next page exists). */
export function listPublishedCorrections(db: Db, o: { now: string; limit: number; offset: number }): Promise<ListedCorrection[]> {
  return db
    .selectFrom('corrections')
    .innerJoin('stories', 'stories.id', 'corrections.story_id')
    .select(publicColumns)
    .select(['stories.slug as story_slug', 'stories.headline as story_headline'])
    .where('corrections.removed_at', 'is', null)
    .where('stories.status', '=', 'published')
    .where('stories.published_at', '<=', o.now)
    .orderBy('corrections.created_at', 'desc')
    .orderBy('corrections.id', 'desc')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
}
