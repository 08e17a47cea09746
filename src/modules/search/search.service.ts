import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { zonedTimeToIso } from '../../lib/dates.js';
import { plainText, plainTextOfHtml } from '../../lib/plain-text.js';
import * as repo from './search.repo.js';
import { parseSearchQuery } from './search.query.js';

export const searchPageSize = 20;
/** Pages beyond this are refused: nobody reads them, and a deep OFFSET costs every match before it. */
export const maxSearchPage = 50;
/** Matches ranked by relevance: the newest this many (see searchStoryIds); also the most a search shows. */
export const searchWindow = searchPageSize * maxSearchPage;

export interface SearchRequest {
  q: string;
  page: number;
  /** Section slug; empty or absent: every section. */
  section?: string | undefined;
  /** YYYY-MM-DD in the site's time zone, inclusive; empty or absent: no bound. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface SearchHit {
  storyId: number;
  slug: string;
  byline: string;
  publishedAt: string;
  section: { name: string; slug: string } | undefined;
  /** Marked text (see search.highlight.ts): render with markedToHtml. */
  headline: string;
  snippet: string;
}

export interface SearchResults {
  /** False when nothing was asked (empty box): the page shows the form alone. */
  asked: boolean;
  hits: SearchHit[];
  /** Matches counted, up to searchWindow. */
  total: number;
  /** True when more than searchWindow stories match (the count stops there). */
  more: boolean;
  page: number;
  hasNext: boolean;
}

/**
 * Published stories matching the reader's words, best first, 20 a page. Throws SEARCH_QUERY_INVALID
 * (with a message for the reader) for a query too long or without a word, a bad date or page,
 * and an unknown section. Never passes the reader's text to an engine as query syntax.
 */
export async function searchStories(deps: Deps, request: SearchRequest): Promise<SearchResults> {
  const parsed = parseSearchQuery(request.q);
  const empty: SearchResults = { asked: false, hits: [], total: 0, more: false, page: 1, hasNext: false };
  if (parsed.kind === 'invalid') throw new DomainError('SEARCH_QUERY_INVALID', parsed.message);
  const filters = await resolveFilters(deps, request);
  if (parsed.kind === 'empty') return empty;
  if (!Number.isInteger(request.page) || request.page < 1 || request.page > maxSearchPage) {
    throw new DomainError('SEARCH_QUERY_INVALID', `Choose a page from 1 to ${maxSearchPage}.`);
  }
  const { db, dialect } = deps.store;
  const { ids, total } = await repo.searchStoryIds(db, dialect, {
    terms: parsed.terms,
    filters,
    window: searchWindow,
    limit: searchPageSize,
    offset: (request.page - 1) * searchPageSize,
  });
  const pageIds = ids;
  const rows = new Map((await repo.listSearchHits(db, dialect, parsed.terms, pageIds)).map((r) => [r.story_id, r]));
  const hits = pageIds.flatMap((id) => {
    const r = rows.get(id);
    if (!r) return [];
    const section = r.section_name !== null && r.section_slug !== null ? { name: r.section_name, slug: r.section_slug } : undefined;
    return [{ storyId: id, slug: r.slug, byline: r.byline, publishedAt: r.published_at, section, headline: r.headline_marked, snippet: r.snippet_marked }];
  });
  const shown = Math.min(total, searchWindow);
  return { asked: true, hits, total: shown, more: total > searchWindow, page: request.page, hasNext: request.page * searchPageSize < shown };
}

/** Sections a search may be narrowed to, by name. */
export function listSearchSections(deps: Deps): Promise<{ name: string; slug: string }[]> {
  return repo.listSectionsForSearch(deps.store.db);
}

async function resolveFilters(deps: Deps, request: SearchRequest): Promise<repo.SearchFilters> {
  const timeZone = deps.config.timeZone;
  const from = request.from ? startOfDay(request.from, timeZone, 0) : undefined;
  const before = request.to ? startOfDay(request.to, timeZone, 1) : undefined;
  if (from === null || before === null) throw new DomainError('SEARCH_QUERY_INVALID', 'Give dates as YYYY-MM-DD, e.g. 2026-11-27.');
  if (from !== undefined && before !== undefined && from >= before) {
    throw new DomainError('SEARCH_QUERY_INVALID', 'The “from” date must not be after the “to” date.');
  }
  let sectionId: number | undefined;
  if (request.section) {
    sectionId = await repo.findSectionIdBySlug(deps.store.db, request.section);
    if (sectionId === undefined) throw new DomainError('SEARCH_QUERY_INVALID', 'There is no such section; choose one from the list.');
  }
  return { now: deps.clock.now().toISOString(), sectionId, from, before };
}

/** Midnight starting the day `date` (+ `plusDays`) in the site's time zone, as ISO; null when not a date. */
function startOfDay(date: string, timeZone: string, plusDays: number): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (day.toISOString().slice(0, 10) !== date) return null;
  day.setUTCDate(day.getUTCDate() + plusDays);
  return zonedTimeToIso(`${day.toISOString().slice(0, 10)}T00:00`, timeZone) ?? null;
}

/**
 * Brings one story's search row in step with the story as it is now: written when it is
 * published, removed when it is not (draft, scheduled, unpublished) or no longer exists.
 * Idempotent: run for every `story.saved` event by the outbox relay.
 */
export async function indexStory(deps: Pick<Deps, 'store'>, storyId: number): Promise<'indexed' | 'removed'> {
  const db = deps.store.db;
  const [story] = await repo.listStoriesToIndex(db, [storyId]);
  const doc = story ? toDocument(story) : undefined;
  if (doc) await repo.upsertSearchDocuments(db, [doc]);
  else await repo.deleteSearchDocuments(db, [storyId]);
  return doc ? 'indexed' : 'removed';
}

/** Rebuilds the whole index from the published stories, in one transaction (searches meanwhile see the old index); resolves with the count. */
export async function rebuildSearchIndex(deps: Pick<Deps, 'store'>, options: { batchSize?: number } = {}): Promise<number> {
  const { db, dialect } = deps.store;
  const batchSize = options.batchSize ?? 500;
  const indexed = await db.transaction().execute(async (trx) => {
    await repo.deleteAllSearchDocuments(trx);
    let after = 0;
    let count = 0;
    for (;;) {
      const stories = await repo.listPublishedStoriesToIndex(trx, after, batchSize);
      const last = stories.at(-1);
      if (!last) return count;
      after = last.id;
      const docs = stories.flatMap((s) => toDocument(s) ?? []);
      await repo.upsertSearchDocuments(trx, docs);
      count += docs.length;
    }
  });
  await repo.optimizeSearchIndex(db, dialect);
  return indexed;
}

function toDocument(story: repo.StoryToIndex): repo.SearchDocument | undefined {
  if (story.status !== 'published' || story.published_at === null) return undefined;
  return {
    story_id: story.id,
    section_id: story.section_id,
    published_at: story.published_at,
    headline: plainText(story.headline),
    dek: plainText(story.dek ?? ''),
    body: plainTextOfHtml(story.body_html),
    tags: plainText(story.tags.join(' ')),
  };
}
