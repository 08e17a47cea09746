import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageOf, pageWindow } from './paging.js';

describe('paging', () => {
  it('asks for one row more than a page and says whether there is a next page', () => {
    assert.deepEqual(pageWindow(1, 20), { limit: 21, offset: 0 });
    assert.deepEqual(pageWindow(3, 20), { limit: 21, offset: 40 });
    assert.deepEqual(pageOf([1, 2, 3], 2), { items: [1, 2], hasNext: true });
    assert.deepEqual(pageOf([1, 2], 2), { items: [1, 2], hasNext: false });
  });
});
