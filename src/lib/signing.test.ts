import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signToken, verifyToken } from './signing.js';

describe('signed tokens', () => {
  it('round-trips data for the same secret and purpose', () => {
    const token = signToken('s3cret', 'unsubscribe', { id: 42, kind: 'replies' });
    assert.deepEqual(verifyToken('s3cret', 'unsubscribe', token), { id: 42, kind: 'replies' });
  });

  it('refuses another purpose, another secret, and any altered character', () => {
    const token = signToken('s3cret', 'unsubscribe', { id: 42 });
    assert.equal(verifyToken('s3cret', 'privacy', token), undefined);
    assert.equal(verifyToken('other', 'unsubscribe', token), undefined);
    const forged = signToken('s3cret', 'unsubscribe', { id: 43 }).split('.')[0] + '.' + token.split('.')[1];
    assert.equal(verifyToken('s3cret', 'unsubscribe', forged), undefined);
    for (const bad of ['', '.', 'abc', 'abc.', `${token}x`, 'x'.repeat(5_000)]) assert.equal(verifyToken('s3cret', 'unsubscribe', bad), undefined);
  });
});
