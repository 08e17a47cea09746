import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCrossSite } from './cross-site.js';

const origin = 'https://news.example.org';
const req = (headers: Record<string, string>) => ({ headers, protocol: 'https' as const, host: 'news.example.org' });

describe('cross-site request check', () => {
  it('trusts Fetch Metadata first', () => {
    assert.equal(isCrossSite(req({ 'sec-fetch-site': 'same-origin' }), origin), false);
    assert.equal(isCrossSite(req({ 'sec-fetch-site': 'none' }), origin), false);
    assert.equal(isCrossSite(req({ 'sec-fetch-site': 'cross-site', origin }), origin), true);
    assert.equal(isCrossSite(req({ 'sec-fetch-site': 'same-site' }), origin), true);
  });

  it('falls back to Origin, accepting the public origin or the host the request came to', () => {
    assert.equal(isCrossSite(req({ origin }), origin), false);
    assert.equal(isCrossSite(req({ origin: 'https://evil.example' }), origin), true);
    assert.equal(isCrossSite(req({ origin: 'null' }), origin), true);
  });

  it('lets requests without either header through (not from a browser)', () => {
    assert.equal(isCrossSite(req({}), origin), false);
  });
});
