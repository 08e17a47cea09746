import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorPath, listingCacheKeys, pagedPath, sectionPath, tagPath } from './taxonomy.paths.js';

describe('listing paths and cache keys', () => {
  it('gives each listing its path, page 1 without ?page', () => {
    assert.equal(sectionPath('city-hall'), '/sections/city-hall');
    assert.equal(tagPath('budget'), '/tags/budget');
    assert.equal(authorPath('amina-castell'), '/authors/amina-castell');
    assert.equal(pagedPath('/tags/budget', 1), '/tags/budget');
    assert.equal(pagedPath('/tags/budget', 3), '/tags/budget?page=3');
  });

  it('keys a listing by its subject, by `lists` and by every story it shows', () => {
    assert.deepEqual(listingCacheKeys('tag:4', [{ id: 9 }, { id: 2 }]), ['tag:4', 'lists', 'story:9', 'story:2']);
    assert.deepEqual(listingCacheKeys('author:1', []), ['author:1', 'lists']);
  });
});
