import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remembered } from './remembered.js';

describe('remembered', () => {
  it('computes each input once while it is kept, and stays within its limit', () => {
    let calls = 0;
    const upper = remembered((s) => {
      calls++;
      return s.toUpperCase();
    }, 2);
    assert.equal(upper('a'), 'A');
    assert.equal(upper('a'), 'A');
    assert.equal(calls, 1);
    upper('b');
    upper('c'); // full: the kept answers are dropped, then 'c' kept
    assert.equal(upper('a'), 'A');
    assert.equal(calls, 4);
  });
});
