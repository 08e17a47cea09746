import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHttpUrl, isSafeLink } from './urls.js';

describe('urls', () => {
  it('accepts only absolute http(s) URLs with a host as websites', () => {
    assert.ok(isHttpUrl('https://example.org/me'));
    assert.ok(isHttpUrl('http://example.org'));
    for (const bad of ['javascript:alert(1)', 'ftp://example.org', 'example.org', 'https://', '']) assert.equal(isHttpUrl(bad), false, bad);
  });

  it('allows relative links only where asked, never protocol-relative ones', () => {
    assert.ok(isSafeLink('/stories/x', true));
    assert.ok(isSafeLink('#part', true));
    assert.equal(isSafeLink('/stories/x', false), false);
    assert.equal(isSafeLink('//evil.example/x', true), false);
    assert.equal(isSafeLink('javascript:alert(1)', true), false);
    assert.equal(isSafeLink(' JaVaScRiPt:alert(1)', true), false);
  });
});
