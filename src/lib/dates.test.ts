import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateFormatter, toIsoTimestamp } from './dates.js';

describe('dates', () => {
  it('normalises front-matter times to ISO UTC, reading zone-less times as UTC', () => {
    assert.equal(toIsoTimestamp('2026-11-27'), '2026-11-27T00:00:00.000Z');
    assert.equal(toIsoTimestamp('2026-11-27T08:30'), '2026-11-27T08:30:00.000Z');
    assert.equal(toIsoTimestamp('2026-11-27 08:30:15'), '2026-11-27T08:30:15.000Z');
    assert.equal(toIsoTimestamp('2026-11-27T08:30:00+02:00'), '2026-11-27T06:30:00.000Z');
    assert.equal(toIsoTimestamp(new Date('2026-11-27T08:30:00Z')), '2026-11-27T08:30:00.000Z');
  });

  it('rejects what is not a date', () => {
    for (const bad of ['', 'tomorrow', '27/11/2026', '2026-13-40', 42, null]) assert.equal(toIsoTimestamp(bad), undefined, String(bad));
  });

  it('formats in the site time zone, whatever the server zone', () => {
    const f = dateFormatter('en-US', 'Europe/Kyiv');
    assert.equal(f.dateTime('2026-11-27T22:30:00Z'), 'November 28, 2026 at 12:30 AM');
    assert.equal(f.date('2026-11-27T22:30:00Z'), 'November 28, 2026');
  });
});

describe('wall-clock times in the site zone', () => {
  it('converts datetime-local values to UTC and back, across summer time', async () => {
    const { zonedTimeToIso, isoToZonedInput } = await import('./dates.js');
    assert.equal(zonedTimeToIso('2026-11-28T09:30', 'Europe/Berlin'), '2026-11-28T08:30:00.000Z');
    assert.equal(zonedTimeToIso('2026-07-01T09:30', 'Europe/Berlin'), '2026-07-01T07:30:00.000Z');
    assert.equal(zonedTimeToIso('2026-11-28T09:30', 'UTC'), '2026-11-28T09:30:00.000Z');
    assert.equal(zonedTimeToIso('2026-02-30T09:30', 'UTC'), undefined);
    assert.equal(zonedTimeToIso('tomorrow', 'UTC'), undefined);
    assert.equal(isoToZonedInput('2026-07-01T07:30:00.000Z', 'Europe/Berlin'), '2026-07-01T09:30');
  });
});
