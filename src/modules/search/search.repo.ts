import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database, StoryStatus, StorySearchTable } from '../../db/schema.js';
import { highlightEnd, highlightStart } from './search.highlight.js';
import type { SearchTerms } from './search.query.js';

/**
 * Search queries, the only place that knows which engine runs them: SQLite's FTS5 table
 * `story_search_fts` (bm25 with column weights, snippet()) or PostgreSQL's `document` tsvector
 * (ts_rank_cd over weights A/B/C, ts_headline). Both see the same rows of `story_search`.
 */
type Db = Kysely<Database>;

/** One row of the index, as stored (src/db/schema.ts). */
export type SearchDocument = StorySearchTable;

export interface StoryToIndex {
  id: number;
  status: StoryStatus;
  section_id: number | null;
  published_at: string | null;
  headline: string;
  dek: string | null;
  body_html: string;
  tags: string[];
}

export interface SearchFilters {
  /** Only stories published at or before this time (ISO). */
  now: string;
  sectionId?: number | undefined;
  /** Published at or after (ISO). */
  from?: string | undefined;
  /** Published before (ISO, exclusive). */
  before?: string | undefined;
}

export interface SearchHitRow {
  story_id: number;
  slug: string;
  byline: string;
  published_at: string;
  section_name: string | null;
  section_slug: string | null;
  /** Text with the matched words between highlightStart and highlightEnd. */
  headline_marked: string;
  snippet_marked: string;
}

/** Column weights: headline, dek, body, tags (SQLite bm25; PostgreSQL's are set in the tsvector: A, B, C, C). */
const bm25Weights = sql.raw('10.0, 4.0, 1.0, 1.0');
/** ts_rank_cd weights of D, C (body, tags), B (dek) and A (headline): steeper than the default {0.1, 0.2, 0.4, 1.0}, so a dek match beats a closer body match. */
const pgWeights = sql.raw(`'{0.05, 0.1, 0.5, 1.0}'::float4[]`);
const snippetTokens = 32;
const headlineOptions = `HighlightAll=true, StartSel="${highlightStart}", StopSel="${highlightEnd}"`;
const snippetOptions = `StartSel="${highlightStart}", StopSel="${highlightEnd}", MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** Stories (with their tag names) by id, as the indexer needs them; missing ids are absent. */
export async function listStoriesToIndex(db: Db, ids: readonly number[]): Promise<StoryToIndex[]> {
  if (ids.length === 0) return [];
  const stories = await db
    .selectFrom('stories')
    .select(['id', 'status', 'section_id', 'published_at', 'headline', 'dek', 'body_html'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return withTags(db, stories);
}

/** Published stories with an id above `afterId`, `limit` at a time, for a rebuild. */
export async function listPublishedStoriesToIndex(db: Db, afterId: number, limit: number): Promise<StoryToIndex[]> {
  const stories = await db
    .selectFrom('stories')
    .select(['id', 'status', 'section_id', 'published_at', 'headline', 'dek', 'body_html'])
    .where('status', '=', 'published')
    .where('published_at', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return withTags(db, stories);
}

async function withTags(db: Db, stories: Omit<StoryToIndex, 'tags'>[]): Promise<StoryToIndex[]> {
  if (stories.length === 0) return [];
  const tags = await db
    .selectFrom('story_tags')
    .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
    .select(['story_tags.story_id', 'tags.name'])
    .where('story_tags.story_id', 'in', stories.map((s) => s.id))
    .orderBy('story_tags.story_id')
    .orderBy('story_tags.position')
    .execute();
  const byStory = new Map<number, string[]>();
  for (const t of tags) byStory.set(t.story_id, [...(byStory.get(t.story_id) ?? []), t.name]);
  return stories.map((s) => ({ ...s, tags: byStory.get(s.id) ?? [] }));
}

export async function upsertSearchDocuments(db: Db, docs: readonly SearchDocument[]): Promise<void> {
  if (docs.length === 0) return;
  await db
    .insertInto('story_search')
    .values([...docs])
    .onConflict((oc) =>
      oc.column('story_id').doUpdateSet((eb) => ({
        section_id: eb.ref('excluded.section_id'),
        published_at: eb.ref('excluded.published_at'),
        headline: eb.ref('excluded.headline'),
        dek: eb.ref('excluded.dek'),
        body: eb.ref('excluded.body'),
        tags: eb.ref('excluded.tags'),
      })),
    )
    .execute();
}

export async function deleteSearchDocuments(db: Db, storyIds: readonly number[]): Promise<void> {
  if (storyIds.length === 0) return;
  await db.deleteFrom('story_search').where('story_id', 'in', storyIds).execute();
}

export async function deleteAllSearchDocuments(db: Db): Promise<void> {
  await db.deleteFrom('story_search').execute();
}

/** After a rebuild: SQLite merges the FTS5 index's segments into one; PostgreSQL refreshes its statistics. */
export async function optimizeSearchIndex(db: Db, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await sql`insert into story_search_fts (story_search_fts) values ('optimize')`.execute(db);
  else await sql`analyze story_search`.execute(db);
}

export async function countSearchDocuments(db: Db): Promise<number> {
  const row = await db.selectFrom('story_search').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSectionIdBySlug(db: Db, slug: string): Promise<number | undefined> {
  return (await db.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst())?.id;
}

export function listSectionsForSearch(db: Db): Promise<{ name: string; slug: string }[]> {
  return db.selectFrom('sections').select(['name', 'slug']).orderBy('name').execute();
}

/**
 * Ids of one page of matches, best first (recency breaks ties), and how many match, counted up to
 * `window` + 1. Relevance is ranked among the `window` newest matches (by story id): ranking every
 * story that has a common word costs time in proportion to their number (about 0.5 s for 65,000
 * matches of 100,000 stories on SQLite), while the newest `window` are found by walking the index
 * backwards and stopping. A search with fewer matches than `window` is ranked over all of them.
 * On SQLite the filters read the narrow covering index story_search_filter_idx, not the wide rows
 * (SQLite would look up each match by rowid in the table: six times slower with a section filter).
 * On PostgreSQL the filters come before the match in the WHERE clause: PostgreSQL checks quals of
 * equal cost in the order written, and the match decompresses the row's tsvector.
 */
export async function searchStoryIds(
  db: Db,
  dialect: DialectName,
  query: { terms: SearchTerms; filters: SearchFilters; window: number; limit: number; offset: number },
): Promise<{ ids: number[]; total: number }> {
  const { terms, filters, window, limit, offset } = query;
  const where = filterSql(filters);
  const result =
    dialect === 'sqlite'
      ? await sql<{ story_id: number | null; total: number }>`
          with candidates as (
            select story_search_fts.rowid as story_id, bm25(story_search_fts, ${bm25Weights}) as score, s.published_at
            from story_search_fts join story_search s indexed by story_search_filter_idx on s.story_id = story_search_fts.rowid
            where story_search_fts match ${ftsMatch(terms)} ${where} ${sqliteIdRange(filters)}
            order by story_search_fts.rowid desc limit ${window + 1}
          )
          ${pageOf(sql`score, published_at desc, story_id desc`, { limit, offset })}`.execute(db)
      : await sql<{ story_id: number | null; total: number }>`
          with candidates as (
            select s.story_id, s.published_at, s.document from story_search s
            where s.published_at is not null ${where} and s.document @@ ${pgQuery(terms)}
            order by s.story_id desc limit ${window + 1}
          )
          ${pageOf(sql`ts_rank_cd(${pgWeights}, document, ${pgQuery(terms)}) desc, published_at desc, story_id desc`, { limit, offset })}`.execute(db);
  return { ids: result.rows.flatMap((r) => (r.story_id === null ? [] : [r.story_id])), total: Number(result.rows[0]?.total ?? 0) };
}

/** The page's rows of `candidates` in `order`, each with the count of all candidates; one row with a null id when the page is empty. */
function pageOf(order: RawBuilder<unknown>, page: { limit: number; offset: number }): RawBuilder<unknown> {
  return sql`, ranked as (select story_id, row_number() over (order by ${order}) as position from candidates)
    select r.story_id, t.total from (select count(*) as total from candidates) t
    left join ranked r on r.position > ${page.offset} and r.position <= ${page.offset + page.limit}
    order by r.position`;
}

/** The stories of a page of matches with their headline highlighted and a highlighted snippet of the body, in no order. */
export async function listSearchHits(db: Db, dialect: DialectName, terms: SearchTerms, ids: readonly number[]): Promise<SearchHitRow[]> {
  if (ids.length === 0) return [];
  const idList = sql.join(ids);
  const story = sql`st.slug, st.byline, s.published_at, sec.name as section_name, sec.slug as section_slug`;
  const joins = sql`join stories st on st.id = s.story_id left join sections sec on sec.id = st.section_id`;
  if (dialect === 'sqlite') {
    const result = await sql<SearchHitRow>`
      select s.story_id, ${story},
        highlight(story_search_fts, 0, ${highlightStart}, ${highlightEnd}) as headline_marked,
        snippet(story_search_fts, 2, ${highlightStart}, ${highlightEnd}, '…', ${snippetTokens}) as snippet_marked
      from story_search_fts join story_search s on s.story_id = story_search_fts.rowid ${joins}
      where story_search_fts match ${ftsMatch(terms)} and story_search_fts.rowid in (${idList})`.execute(db);
    return result.rows;
  }
  const tsquery = pgQuery(terms);
  const result = await sql<SearchHitRow>`
    select s.story_id, ${story},
      ts_headline('english', s.headline, ${tsquery}, ${headlineOptions}) as headline_marked,
      ts_headline('english', s.body, ${tsquery}, ${snippetOptions}) as snippet_marked
    from story_search s ${joins}
    where s.story_id in (${idList})`.execute(db);
  return result.rows;
}

function filterSql(f: SearchFilters): RawBuilder<unknown> {
  return sql.join(
    [
      sql`and s.published_at <= ${f.now}`,
      ...(f.sectionId !== undefined ? [sql`and s.section_id = ${f.sectionId}`] : []),
      ...(f.from !== undefined ? [sql`and s.published_at >= ${f.from}`] : []),
      ...(f.before !== undefined ? [sql`and s.published_at < ${f.before}`] : []),
    ],
    sql` `,
  );
}

/**
 * For a date range on SQLite: the story ids that can be in it (every story published before
 * `before` has an id at most the largest of theirs, and likewise from `from`), which FTS5 uses to
 * start its walk inside the range instead of checking the date of every newer match.
 */
function sqliteIdRange(f: SearchFilters): RawBuilder<unknown> {
  if (f.before === undefined && f.from === undefined) return sql``;
  return sql.join(
    [
      ...(f.before !== undefined
        ? [sql`and story_search_fts.rowid <= (select coalesce(max(story_id), 0) from story_search where published_at < ${f.before})`]
        : []),
      ...(f.from !== undefined ? [sql`and story_search_fts.rowid >= (select coalesce(min(story_id), 0) from story_search where published_at >= ${f.from})`] : []),
    ],
    sql` `,
  );
}

/** An FTS5 query of quoted strings only (implicit AND), so no word is ever read as an operator. */
export function ftsMatch(terms: SearchTerms): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return [...terms.terms.map(quote), ...terms.phrases.map((p) => quote(p.join(' ')))].join(' ');
}

/** A tsquery built by PostgreSQL's own plain and phrase parsers (no operator syntax), all parts ANDed. */
function pgQuery(terms: SearchTerms): RawBuilder<unknown> {
  const parts = [
    ...(terms.terms.length > 0 ? [sql`plainto_tsquery('english', ${terms.terms.join(' ')})`] : []),
    ...terms.phrases.map((p) => sql`phraseto_tsquery('english', ${p.join(' ')})`),
  ];
  return sql`(${sql.join(parts, sql` && `)})`;
}
