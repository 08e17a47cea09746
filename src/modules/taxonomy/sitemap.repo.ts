import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** What a sitemap lists besides stories: sections, tags and authors (people in a story's byline). */
export type SitemapSubject = 'sections' | 'tags' | 'authors';

/** A section, tag or author with at least one published story, and the newest times of those stories. */
export interface SitemapSubjectRow {
  id: number;
  slug: string;
  published_at: string | null;
  modified_at: string | null;
}

/** A non-empty range of subject ids (0-based `bucket`) and the newest times of their stories. */
export interface SitemapSubjectBucketRow {
  bucket: number;
  published_at: string | null;
  modified_at: string | null;
}

/**
 * Subjects with `afterId < id <= throughId` that have a published story visible at `now`, by id:
 * keyset pages like the stories' (stories/sitemap.repo.ts), so a file never reads the ones before it.
 */
export async function listSitemapSubjects(
  db: Db,
  o: { subject: SitemapSubject; afterId: number; throughId: number; now: string },
): Promise<SitemapSubjectRow[]> {
  const { table, join } = subjectSql(o.subject);
  const { rows } = await sql<SitemapSubjectRow>`
    select s.id as id, s.slug as slug, max(st.published_at) as published_at, max(st.modified_at) as modified_at
    from ${table} s ${join}
    where st.status = 'published' and st.published_at <= ${o.now} and s.id > ${o.afterId} and s.id <= ${o.throughId}
    group by s.id, s.slug
    order by s.id`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), slug: r.slug, published_at: r.published_at ?? null, modified_at: r.modified_at ?? null }));
}

/** The id ranges of `size` holding a subject with a published story visible at `now`, with their newest times. */
export async function listSitemapSubjectBuckets(db: Db, o: { subject: SitemapSubject; size: number; now: string }): Promise<SitemapSubjectBucketRow[]> {
  const { table, join } = subjectSql(o.subject);
  const bucket = sql`(s.id - 1) / ${sql.lit(o.size)}`;
  const { rows } = await sql<SitemapSubjectBucketRow>`
    select ${bucket} as bucket, max(st.published_at) as published_at, max(st.modified_at) as modified_at
    from ${table} s ${join}
    where st.status = 'published' and st.published_at <= ${o.now}
    group by ${bucket}
    order by ${bucket}`.execute(db);
  return rows.map((r) => ({ bucket: Number(r.bucket), published_at: r.published_at ?? null, modified_at: r.modified_at ?? null }));
}

/** The subject's table (alias `s`) and the join to its stories (alias `st`). */
function subjectSql(subject: SitemapSubject): { table: RawBuilder<unknown>; join: RawBuilder<unknown> } {
  switch (subject) {
    case 'sections':
      return { table: sql.table('sections'), join: sql`join stories st on st.section_id = s.id` };
    case 'tags':
      return { table: sql.table('tags'), join: sql`join story_tags link on link.tag_id = s.id join stories st on st.id = link.story_id` };
    case 'authors':
      return { table: sql.table('people'), join: sql`join story_authors link on link.person_id = s.id join stories st on st.id = link.story_id` };
  }
}
