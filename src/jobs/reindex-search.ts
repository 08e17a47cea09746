import type { Deps } from '../deps.js';
import { indexStory } from '../modules/search/index.js';
import type { RelayHandler } from './outbox-relay.js';

/**
 * The search index's side of `story.saved` (every create, edit, publish, schedule, unpublish and
 * scheduled publication writes one): reads the story as it is now and writes or removes its row.
 * Idempotent and keyed by story id, so a retry, a duplicate or an old event out of order leaves
 * the row matching the story's current state; a story that no longer exists loses its row.
 */
export function reindexSearchHandler(deps: Pick<Deps, 'store'>): RelayHandler<'story.saved'> {
  return async (event) => {
    await indexStory(deps, event.payload.storyId);
  };
}
