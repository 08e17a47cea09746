import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestTime, sitemapIdRange, w3cDateTime } from './sitemap.js';

describe('sitemap helpers', () => {
  it('cuts ids into ranges of the page size, and refuses pages past the ids a database holds', () => {
    assert.deepEqual(sitemapIdRange(1, 50_000), { afterId: 0, throughId: 50_000 });
    assert.deepEqual(sitemapIdRange(3, 3), { afterId: 6, throughId: 9 });
    assert.deepEqual(sitemapIdRange(42_950, 50_000), { afterId: 2_147_450_000, throughId: 2_147_483_647 });
    for (const page of [0, -1, 1.5, 42_951, Number.MAX_SAFE_INTEGER, Number.NaN]) assert.equal(sitemapIdRange(page, 50_000), undefined, String(page));
  });

  it('picks the newest time whatever its precision, and skips missing ones', () => {
    assert.equal(latestTime('2026-11-26T12:00:00Z', '2026-11-26T12:00:00.500Z', null), '2026-11-26T12:00:00.500Z');
    assert.equal(latestTime('2026-11-27T09:00:00.000Z', undefined, '2026-11-26T23:59:59Z'), '2026-11-27T09:00:00.000Z');
    assert.equal(latestTime(null, undefined, 'not a time'), undefined);
  });

  it('writes W3C datetimes in UTC to the second', () => {
    assert.equal(w3cDateTime('2026-11-27T09:00:00.123Z'), '2026-11-27T09:00:00Z');
    assert.equal(w3cDateTime('2026-11-27T04:00:00-05:00'), '2026-11-27T09:00:00Z');
  });
});
