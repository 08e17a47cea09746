import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timestampToIso } from './database.js';

describe('timestampToIso (PostgreSQL timestamptz text)', () => {
  it('gives what Date gives for the UTC forms, to the millisecond', () => {
    const samples = ['2026-11-27 09:00:00+00', '2026-11-27 09:00:00.5+00', '2026-11-27 09:00:00.12+00', '2026-11-27 23:59:59.999999+00', '2024-02-29 12:34:56.000001+00'];
    for (let i = 0; i < 200; i++) {
      const at = new Date(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 40 * 365 * 86_400_000));
      const micros = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
      samples.push(`${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 19)}.${micros.replace(/0+$/, '') || '0'}+00`);
    }
    for (const text of samples) assert.equal(timestampToIso(text), new Date(text).toISOString(), text);
  });

  it('converts other offsets through Date', () => {
    assert.equal(timestampToIso('2026-11-27 10:00:00+01'), '2026-11-27T09:00:00.000Z');
    assert.equal(timestampToIso('2026-11-27 04:00:00.25-05'), '2026-11-27T09:00:00.250Z');
    assert.equal(timestampToIso('2026-11-27 14:30:00+05:30'), '2026-11-27T09:00:00.000Z');
  });
});
