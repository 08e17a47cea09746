import type { OutboxEvent } from '../platform/outbox.js';

/**
 * The surrogate keys an event makes stale. Pages are cached under the keys of everything
 * they show: `front` for the front page, `story:N` for a story page and every page that
 * shows story N (as a related story, or in a listing: that is how an approved comment reaches
 * the comment counts there), `lists` for every section, tag and author listing, `corrections`
 * for the corrections list, `comments` for the site-wide comment feed (a story's comment feed is
 * `story:N`), `feed-settings` for every story feed.
 */
export function cacheKeysForEvent(event: OutboxEvent): string[] {
  switch (event.topic) {
    case 'story.saved':
      // Any save may move the story into or out of any section, tag or author listing, and shifts
      // the pages after it there; the event names the story only, so every listing goes.
      return [`story:${event.payload.storyId}`, 'front', 'lists'];
    case 'comment.created':
      // A held comment changes nothing a reader can see.
      return event.payload.status === 'approved' ? [`story:${event.payload.storyId}`, 'front', 'comments'] : [];
    case 'comment.status-changed':
      // Readers see approved comments, and deleted ones as placeholders; the front page counts approved ones.
      return [event.payload.from, event.payload.to].some((s) => s === 'approved' || s === 'deleted')
        ? [`story:${event.payload.storyId}`, 'front', 'comments']
        : [];
    case 'comment.edited':
      return event.payload.status === 'approved' ? [`story:${event.payload.storyId}`, 'comments'] : [];
    case 'comment.settings-changed':
      // Story pages are cached under `comment-settings` too: the form, its closing and the pages of comments follow them.
      return ['comment-settings'];
    case 'comment.commenter-erased':
      return [...event.payload.storyIds.map((id) => `story:${id}`), 'front', 'comments'];
    case 'feed.settings-changed':
      // Story feeds (site, section, tag, author) carry full text or summaries by this setting.
      return ['feed-settings'];
    case 'correction.appended':
    case 'correction.removed':
      // The story page shows its corrections; the site-wide list at /corrections shows them all.
      return [`story:${event.payload.storyId}`, 'corrections'];
    case 'comment.reported':
    case 'mail.requested':
    case 'webhook.requested':
      return [];
  }
}
