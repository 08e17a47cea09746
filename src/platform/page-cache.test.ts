import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageCache } from './page-cache.js';

describe('page cache', () => {
  it('stores pages with an ETag and purges exactly the pages showing a key', () => {
    const cache = new PageCache(true, 10);
    cache.set('/stories/a', 'A', ['story:1'], cache.token());
    cache.set('/stories/b', 'B', ['story:2', 'story:1'], cache.token());
    cache.set('/', 'front', ['front'], cache.token());
    assert.match(cache.get('/stories/a')?.etag ?? '', /^".+"$/);
    cache.purge(['story:1']);
    assert.equal(cache.get('/stories/a'), undefined);
    assert.equal(cache.get('/stories/b'), undefined);
    assert.equal(cache.get('/')?.body.toString(), 'front');
  });

  it('does not store a page rendered before a purge that happened during the render', () => {
    const cache = new PageCache(true, 10);
    const token = cache.token();
    cache.purge(['story:1']);
    cache.set('/stories/a', 'stale', ['story:1'], token);
    assert.equal(cache.get('/stories/a'), undefined);
  });

  it('evicts the least recently used page beyond its size', () => {
    const cache = new PageCache(true, 2);
    cache.set('/a', 'a', ['k'], cache.token());
    cache.set('/b', 'b', ['k'], cache.token());
    cache.get('/a');
    cache.set('/c', 'c', ['k'], cache.token());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('/b'), undefined);
    assert.ok(cache.get('/a'));
  });

  it('stores nothing when turned off', () => {
    const cache = new PageCache(false, 10);
    const page = cache.set('/a', 'a', ['k'], cache.token());
    assert.equal(page.body.toString(), 'a');
    assert.equal(cache.get('/a'), undefined);
  });

  it('drops an entry that goes stale by itself once its time has come', () => {
    const cache = new PageCache(true, 10);
    cache.set('/stories/a', 'A', ['story:1'], cache.token(), { expiresAt: 1_000 });
    assert.ok(cache.get('/stories/a', 999));
    assert.equal(cache.get('/stories/a', 1_000), undefined);
    assert.equal(cache.size, 0);
  });
});
