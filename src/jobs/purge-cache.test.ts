import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheKeysForEvent } from './purge-cache.js';

const at = '2026-11-27T09:00:00.000Z';

describe('cache keys for events', () => {
  it('a saved story purges its pages and the front page', () => {
    assert.deepEqual(cacheKeysForEvent({ id: 1, topic: 'story.saved', payload: { storyId: 7 }, createdAt: at }), ['story:7', 'front']);
  });

  it('an approved comment purges its story and the front page (comment counts); a held one purges nothing', () => {
    const event = (status: 'approved' | 'pending') =>
      ({ id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status }, createdAt: at }) as const;
    assert.deepEqual(cacheKeysForEvent(event('approved')), ['story:7', 'front']);
    assert.deepEqual(cacheKeysForEvent(event('pending')), []);
  });
});
