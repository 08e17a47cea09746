import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRememberCookie, rememberCookie } from './remember-cookie.js';

describe('remember-me cookie', () => {
  it('round-trips name, email and website through a Set-Cookie value', () => {
    const who = { author: 'Ann; "Reader"', email: 'ann@example.org', url: 'https://example.org/?a=1&b=2' };
    const set = rememberCookie(who, true);
    assert.match(set, /Max-Age=31536000; Path=\/; SameSite=Lax; Secure$/);
    assert.deepEqual(readRememberCookie(`other=1; ${set.split(';')[0]}`), who);
  });

  it('forgets with Max-Age=0, and ignores malformed cookies', () => {
    assert.match(rememberCookie(undefined, false), /^readout_commenter=; Max-Age=0; Path=\/; SameSite=Lax$/);
    assert.equal(readRememberCookie('readout_commenter=%7Bnot-json'), undefined);
    assert.equal(readRememberCookie(undefined), undefined);
  });
});
