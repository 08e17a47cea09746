import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageCache, preparePage } from '../platform/page-cache.js';
import { cacheKeysForEvent } from './purge-cache.js';

const at = '2026-11-27T09:00:00.000Z';

describe('cache keys for events', () => {
  it('a saved story purges its pages, the front page and every section, tag and author listing', () => {
    assert.deepEqual(cacheKeysForEvent({ id: 1, topic: 'story.saved', payload: { storyId: 7 }, createdAt: at }), ['story:7', 'front', 'lists']);
  });

  it('listings go with any story save, and with an approved comment only when they show its story', async () => {
    const cache = new PageCache(true, 100);
    // As the listing routes key them: their subject, `lists`, and each story they show.
    cache.set('/sections/harbour', await preparePage('a', ['section:1', 'lists', 'story:7', 'story:8'], cache.policy), cache.token());
    cache.set('/tags/ferries', await preparePage('b', ['tag:2', 'lists', 'story:9'], cache.policy), cache.token());
    const comment = { id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status: 'approved', parentId: null }, createdAt: at } as const;
    cache.purge(cacheKeysForEvent(comment));
    assert.equal(cache.get('/sections/harbour'), undefined);
    assert.ok(cache.get('/tags/ferries'));
    // A story saved into the tag's listing names no listing; `lists` reaches it anyway.
    cache.purge(cacheKeysForEvent({ id: 4, topic: 'story.saved', payload: { storyId: 10 }, createdAt: at }));
    assert.equal(cache.get('/tags/ferries'), undefined);
  });

  it('an approved comment purges its story, the front page (comment counts) and the comment feed; a held one purges nothing', () => {
    const event = (status: 'approved' | 'pending') =>
      ({ id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status, parentId: null }, createdAt: at }) as const;
    assert.deepEqual(cacheKeysForEvent(event('approved')), ['story:7', 'front', 'comments']);
    assert.deepEqual(cacheKeysForEvent(event('pending')), []);
  });

  it('an appended or removed correction purges its story and the corrections list, not the front page', () => {
    for (const topic of ['correction.appended', 'correction.removed'] as const) {
      assert.deepEqual(cacheKeysForEvent({ id: 4, topic, payload: { correctionId: 5, storyId: 7 }, createdAt: at }), ['story:7', 'corrections']);
    }
  });
});

describe('cache keys for moderation events', () => {
  const changed = (from: string, to: string) =>
    ({ id: 5, topic: 'comment.status-changed', payload: { commentId: 3, storyId: 7, from, to, actorId: 1 }, createdAt: at }) as Parameters<
      typeof cacheKeysForEvent
    >[0];

  it('a state change purges the story and front page only when readers could see the comment before or after', () => {
    assert.deepEqual(cacheKeysForEvent(changed('pending', 'approved')), ['story:7', 'front', 'comments']);
    assert.deepEqual(cacheKeysForEvent(changed('approved', 'spam')), ['story:7', 'front', 'comments']);
    assert.deepEqual(cacheKeysForEvent(changed('approved', 'deleted')), ['story:7', 'front', 'comments']);
    assert.deepEqual(cacheKeysForEvent(changed('pending', 'spam')), []);
    assert.deepEqual(cacheKeysForEvent(changed('spam', 'trash')), []);
  });

  it('an edit purges the story when the comment is public; a report purges nothing; an erasure purges every story it touched', () => {
    assert.deepEqual(cacheKeysForEvent({ id: 6, topic: 'comment.edited', payload: { commentId: 3, storyId: 7, status: 'approved' }, createdAt: at }), ['story:7', 'comments']);
    assert.deepEqual(cacheKeysForEvent({ id: 6, topic: 'comment.edited', payload: { commentId: 3, storyId: 7, status: 'pending' }, createdAt: at }), []);
    assert.deepEqual(cacheKeysForEvent({ id: 7, topic: 'comment.reported', payload: { commentId: 3, storyId: 7, reportId: 1 }, createdAt: at }), []);
    assert.deepEqual(cacheKeysForEvent({ id: 8, topic: 'comment.commenter-erased', payload: { storyIds: [7, 9] }, createdAt: at }), ['story:7', 'story:9', 'front', 'comments']);
  });
});

describe('cache keys for feed events', () => {
  it('a change of the feed settings purges the story feeds (keyed `feed-settings`) and nothing else', () => {
    assert.deepEqual(cacheKeysForEvent({ id: 9, topic: 'feed.settings-changed', payload: { settings: ['content'] }, createdAt: at }), ['feed-settings']);
  });

  it('the site-wide comment feed (`comments`) goes with every change readers can see in a comment, and only then', () => {
    const created = (status: 'approved' | 'pending' | 'spam') =>
      cacheKeysForEvent({ id: 2, topic: 'comment.created', payload: { commentId: 3, storyId: 7, status, parentId: null }, createdAt: at });
    assert.ok(created('approved').includes('comments'));
    assert.ok(!created('pending').includes('comments'));
    assert.ok(!created('spam').includes('comments'));
    assert.ok(!cacheKeysForEvent({ id: 3, topic: 'comment.settings-changed', payload: { settings: ['perPage'] }, createdAt: at }).includes('comments'));
    assert.ok(!cacheKeysForEvent({ id: 4, topic: 'story.saved', payload: { storyId: 7 }, createdAt: at }).includes('comments'), 'story:N reaches it');
  });
});
