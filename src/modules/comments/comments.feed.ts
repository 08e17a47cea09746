import type { Deps } from '../../deps.js';

/**
 * What a comment feed shows of a comment: its name, text and times, and its story's headline and
 * address. Never the email address, its key, the IP hash or the user agent.
 */
export interface FeedComment {
  id: number;
  story_id: number;
  author_name: string;
  body_html: string;
  created_at: string;
  edited_at: string | null;
  /** When a moderator last changed its state (e.g. approved it), if ever. */
  moderated_at: string | null;
  story_slug: string;
  story_headline: string;
}

/**
 * The newest approved comments, newest first: of one story, or site-wide; only on stories
 * published and visible at `now` (a comment on an unpublished story vanishes with it).
 */
export async function listFeedComments(deps: Pick<Deps, 'store' | 'clock'>, o: { storyId?: number; limit: number }): Promise<FeedComment[]> {
  let query = deps.store.db
    .selectFrom('comments')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .select([
      'comments.id',
      'comments.story_id',
      'comments.author_name',
      'comments.body_html',
      'comments.created_at',
      'comments.edited_at',
      'comments.moderated_at',
      'stories.slug as story_slug',
      'stories.headline as story_headline',
    ])
    .where('comments.status', '=', 'approved')
    .where('stories.status', '=', 'published')
    .where('stories.published_at', '<=', deps.clock.now().toISOString());
  if (o.storyId !== undefined) query = query.where('comments.story_id', '=', o.storyId);
  return query.orderBy('comments.id', 'desc').limit(o.limit).execute();
}

/**
 * The newest change to any comment of a story, shown or not (posted, edited, moderated): a
 * story's comment feed's `Last-Modified` is never older, even when a comment leaves it.
 */
export async function findLatestCommentChange(deps: Pick<Deps, 'store'>, storyId: number): Promise<string | undefined> {
  const row = await deps.store.db
    .selectFrom('comments')
    .select((eb) => [eb.fn.max('created_at').as('created'), eb.fn.max('edited_at').as('edited'), eb.fn.max('moderated_at').as('moderated')])
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  const times = [row?.created, row?.edited, row?.moderated].filter((t): t is string => typeof t === 'string');
  return times.sort().at(-1);
}
