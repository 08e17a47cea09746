import type { Deps } from '../../deps.js';
import type { PersonRow, SourceRow, StoryRow } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { FrontMatterError, parseFrontMatter } from '../../lib/front-matter.js';
import { renderStoryMarkdown } from '../../lib/markdown.js';
import { pageOf, pageWindow } from '../../lib/paging.js';
import { slugify } from '../../lib/slug.js';
import { appendEvent } from '../../platform/outbox.js';
import { findImage, type ImageView } from '../media/index.js';
import { getStoryTaxonomy, setStoryTaxonomy, type Section, type Tag } from '../taxonomy/index.js';
import * as repo from './stories.repo.js';
import { maxStoryBodyLength, storyFrontMatterSchema } from './stories.schemas.js';

export interface StoryPage {
  story: StoryRow;
  authors: PersonRow[];
  sources: SourceRow[];
  related: StoryRow | undefined;
  section: Section | undefined;
  tags: Tag[];
  /** The story's featured image, shown above the body; absent when it has none. */
  featuredImage?: ImageView | undefined;
}

/** The published story (by slug or id) with its authors, sources, related story, section and tags; throws STORY_NOT_FOUND. */
export async function getPublishedStory(deps: Deps, which: { slug: string } | { id: number }): Promise<StoryPage> {
  return getStoryPageOf(deps, await getPublishedStoryRow(deps, which));
}

/** The published story's row (404 when there is none): the first step of getPublishedStory, for callers that start other reads on its id. */
export async function getPublishedStoryRow(deps: Deps, which: { slug: string } | { id: number }): Promise<StoryPage['story']> {
  const story = await repo.findPublishedStory(deps.store.db, which, deps.clock.now().toISOString());
  if (!story) throw new DomainError('STORY_NOT_FOUND', 'There is no published story at this address.');
  return story;
}

/** Everything a story page shows of its story besides the row: authors, sources, related story, sections and tags, image. */
export async function getStoryPageOf(deps: Deps, story: StoryPage['story']): Promise<StoryPage> {
  const db = deps.store.db;
  const now = deps.clock.now().toISOString();
  const [authors, sources, related, taxonomy, featuredImage] = await Promise.all([
    repo.listStoryAuthors(db, story.id),
    repo.listSources(db, story.id),
    story.related_story_id === null ? undefined : repo.findPublishedStory(db, { id: story.related_story_id }, now),
    getStoryTaxonomy(deps, story.id),
    story.featured_media_id === null ? undefined : findImage(deps, story.featured_media_id),
  ]);
  return { story, authors, sources, related, ...taxonomy, featuredImage };
}

export interface FrontPage {
  stories: repo.StoryListItem[];
  page: number;
  hasNext: boolean;
}

export const frontPageSize = 20;

export async function listFrontPage(deps: Deps, page: number): Promise<FrontPage> {
  const rows = await repo.listPublishedStories(deps.store.db, { now: deps.clock.now().toISOString(), ...pageWindow(page, frontPageSize) });
  const { items, hasNext } = pageOf(rows, frontPageSize);
  return { stories: items, page, hasNext };
}

export interface ImportResult {
  story: StoryRow;
  created: boolean;
}

/**
 * Creates or updates (matched by slug) a story from a Markdown file with front matter.
 * Everything is checked before anything is written; the write is one transaction.
 */
export async function importStory(deps: Deps, source: string): Promise<ImportResult> {
  const { data, body } = parseStoryFile(source);
  const front = storyFrontMatterSchema.safeParse(data);
  if (!front.success) {
    const problems = front.error.issues.map((i) => `${formatPath(i.path) || 'front matter'}: ${i.message}`);
    throw new DomainError('IMPORT_INVALID', problems.join('; '));
  }
  const f = front.data;
  if (body.trim() === '') throw new DomainError('IMPORT_INVALID', 'body: the story has no text below the front matter');
  if (body.length > maxStoryBodyLength) {
    throw new DomainError('IMPORT_INVALID', `body: must be at most ${maxStoryBodyLength} characters`);
  }
  const slug = f.slug ?? slugify(f.headline);
  if (!slug) throw new DomainError('IMPORT_INVALID', 'slug: cannot be made from this headline; give one explicitly');
  const now = deps.clock.now().toISOString();
  const authorNames = f.authors ?? [f.byline.replace(/^by\s+/i, '')];
  const bodyHtml = renderStoryMarkdown(body);

  const result = await deps.store.db.transaction().execute(async (trx) => {
    let relatedId: number | null = null;
    if (f.related !== undefined) {
      const related = await repo.findStoryBySlug(trx, f.related);
      if (!related || related.slug === slug) {
        throw new DomainError('IMPORT_RELATED_NOT_FOUND', `related: no other story has the slug "${f.related}"; import it first`);
      }
      relatedId = related.id;
    }
    const existing = await repo.findStoryBySlug(trx, slug);
    const fields = {
      headline: f.headline,
      dek: f.dek ?? null,
      byline: f.byline,
      dateline: f.dateline ?? null,
      body_source: body,
      body_html: bodyHtml,
      status: f.status,
      related_story_id: relatedId,
      modified_at: now,
    };
    const story = existing
      ? await repo.updateStory(trx, existing.id, {
          ...fields,
          published_at: f.published ?? existing.published_at ?? (f.status === 'published' ? now : null),
          updated_at: f.updated ?? existing.updated_at,
        })
      : await repo.insertStory(trx, {
          ...fields,
          slug,
          published_at: f.published ?? (f.status === 'published' ? now : null),
          updated_at: f.updated ?? null,
          created_at: now,
        });
    await repo.replaceSources(trx, story.id, f.sources);
    await repo.setStoryAuthorsByName(trx, { storyId: story.id, names: authorNames, now });
    await setStoryTaxonomy(trx, { storyId: story.id, section: f.section ?? null, tags: f.tags ?? [], now });
    const event = await appendEvent(trx, { topic: 'story.saved', payload: { storyId: story.id }, now });
    return { story, created: !existing, event };
  });
  deps.onCommitted([result.event]);
  return { story: result.story, created: result.created };
}

/** Id and slug of the published story with this id; undefined when there is none. */
export function findPublishedStory(deps: Deps, id: number): Promise<repo.StoryRef | undefined> {
  return repo.findPublishedStoryRef(deps.store.db, id, deps.clock.now().toISOString());
}

export async function countStories(deps: Deps): Promise<number> {
  return repo.countStories(deps.store.db);
}

function parseStoryFile(source: string) {
  try {
    return parseFrontMatter(source);
  } catch (error) {
    if (error instanceof FrontMatterError) throw new DomainError('IMPORT_INVALID', error.message);
    throw error;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}
