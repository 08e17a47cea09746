import type { Deps } from '../../deps.js';

/** What a feed item needs of a story, beyond what a listing row carries. */
export interface FeedStory {
  id: number;
  slug: string;
  headline: string;
  dek: string | null;
  byline: string;
  body_html: string;
  published_at: string;
  updated_at: string | null;
  /** The last write of any kind: what `Last-Modified` of a feed follows. */
  modified_at: string;
  created_at: string;
  authors: { name: string; slug: string }[];
  section: { name: string; slug: string } | null;
  tags: { name: string; slug: string }[];
}

/**
 * The feed details of these stories (ids from a listing: the front page's, a section's, a tag's
 * or an author's), in the order given, each checked again to be published and visible now.
 * Three queries whatever the number of stories.
 */
export async function listFeedStories(deps: Pick<Deps, 'store' | 'clock'>, ids: readonly number[]): Promise<FeedStory[]> {
  if (ids.length === 0) return [];
  const db = deps.store.db;
  const [stories, authors, tags] = await Promise.all([
    db
      .selectFrom('stories')
      .leftJoin('sections', 'sections.id', 'stories.section_id')
      .select([
        'stories.id',
        'stories.slug',
        'stories.headline',
        'stories.dek',
        'stories.byline',
        'stories.body_html',
        'stories.published_at',
        'stories.updated_at',
        'stories.modified_at',
        'stories.created_at',
        'sections.name as section_name',
        'sections.slug as section_slug',
      ])
      .where('stories.id', 'in', ids)
      .where('stories.status', '=', 'published')
      .where('stories.published_at', '<=', deps.clock.now().toISOString())
      .execute(),
    db
      .selectFrom('story_authors')
      .innerJoin('people', 'people.id', 'story_authors.person_id')
      .select(['story_authors.story_id', 'people.name', 'people.slug'])
      .where('story_authors.story_id', 'in', ids)
      .orderBy('story_authors.story_id')
      .orderBy('story_authors.position')
      .execute(),
    db
      .selectFrom('story_tags')
      .innerJoin('tags', 'tags.id', 'story_tags.tag_id')
      .select(['story_tags.story_id', 'tags.name', 'tags.slug'])
      .where('story_tags.story_id', 'in', ids)
      .orderBy('story_tags.story_id')
      .orderBy('story_tags.position')
      .execute(),
  ]);
  const byId = new Map(stories.map((s) => [s.id, s]));
  return ids.flatMap((id) => {
    const s = byId.get(id);
    if (!s || s.published_at === null) return [];
    const { section_name, section_slug, ...story } = s;
    return [
      {
        ...story,
        published_at: s.published_at,
        authors: authors.filter((a) => a.story_id === id).map(({ name, slug }) => ({ name, slug })),
        section: section_name !== null && section_slug !== null ? { name: section_name, slug: section_slug } : null,
        tags: tags.filter((t) => t.story_id === id).map(({ name, slug }) => ({ name, slug })),
      },
    ];
  });
}

/**
 * The newest write to any story, published or not (one step down the `modified_at` index). A
 * story feed's `Last-Modified` is never older: a story that leaves a feed (unpublished, moved to
 * another section) changes the feed without changing what remains in it.
 */
export async function findLatestStoryChange(deps: Pick<Deps, 'store'>): Promise<string | undefined> {
  const row = await deps.store.db
    .selectFrom('stories')
    .select((eb) => eb.fn.max('modified_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? undefined;
}
