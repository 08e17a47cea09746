import type { OutboxEvent } from '../platform/outbox.js';

/**
 * The surrogate keys an event makes stale. Pages are cached under the keys of everything
 * they show: `front` for the front page, `story:N` for a story page and every page that
 * shows story N (as a related story, for instance).
 */
export function cacheKeysForEvent(event: OutboxEvent): string[] {
  switch (event.topic) {
    case 'story.saved':
      return [`story:${event.payload.storyId}`, 'front'];
    case 'comment.created':
      // A held comment changes nothing a reader can see.
      return event.payload.status === 'approved' ? [`story:${event.payload.storyId}`, 'front'] : [];
  }
}
