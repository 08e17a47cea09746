import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageCache } from '../platform/page-cache.js';
import { cacheKeysForEvent } from './purge-cache.js';

const at = '2026-11-27T09:00:00.000Z';

describe('cache keys for events', () => {
  it('a saved story purges its pages, the front page and every section, tag and author listing', () => {
    assert.deepEqual(cacheKeysForEvent({ id: 1, topic: 'story.saved', payload: { storyId: 7 }, createdAt: at }), ['story:7', 'front', 'lists']);
  });

  it('listings go with any story save, and with an approved comment only when they show its story', () => {
    const cache = new PageCache(true, 100);
    // As the listing routes key them: their subject, `lists`, and each story they show.
    cache.set('/sections/harbour', 'a', ['section:1', 'lists', 'story:7', 'story:8'], cache.token());
    cache.set('/tags/ferries', 'b', ['tag:2', 'lists', 'story:9'], cache.token());
    const comment = { id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status: 'approved' }, createdAt: at } as const;
    cache.purge(cacheKeysForEvent(comment));
    assert.equal(cache.get('/sections/harbour'), undefined);
    assert.ok(cache.get('/tags/ferries'));
    // A story saved into the tag's listing names no listing; `lists` reaches it anyway.
    cache.purge(cacheKeysForEvent({ id: 4, topic: 'story.saved', payload: { storyId: 10 }, createdAt: at }));
    assert.equal(cache.get('/tags/ferries'), undefined);
  });

  it('an approved comment purges its story and the front page (comment counts); a held one purges nothing', () => {
    const event = (status: 'approved' | 'pending') =>
      ({ id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status }, createdAt: at }) as const;
    assert.deepEqual(cacheKeysForEvent(event('approved')), ['story:7', 'front']);
    assert.deepEqual(cacheKeysForEvent(event('pending')), []);
  });

  it('an appended or removed correction purges its story and the corrections list, not the front page', () => {
    for (const topic of ['correction.appended', 'correction.removed'] as const) {
      assert.deepEqual(cacheKeysForEvent({ id: 4, topic, payload: { correctionId: 5, storyId: 7 }, createdAt: at }), ['story:7', 'corrections']);
    }
  });
});
