import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffLines } from './diff.js';

const show = (before: string, after: string) =>
  diffLines(before, after)
    .map((l) => `${{ same: ' ', added: '+', removed: '-' }[l.op]}${l.text}`)
    .join('|');

describe('line diff', () => {
  it('shows nothing changed for equal texts', () => {
    assert.equal(show('a\nb', 'a\nb'), ' a| b');
  });

  it('finds changed, added and removed lines in place', () => {
    assert.equal(show('a\nb\nc\nd', 'a\nB\nc\nd\ne'), ' a|-b|+B| c| d|+e');
    assert.equal(show('one\ntwo\nthree', 'two\nthree'), '-one| two| three');
  });

  it('keeps the longest common run when lines move', () => {
    assert.equal(show('x\na\nb\nc', 'a\nb\nc\nx'), '-x| a| b| c|+x');
  });

  it('handles long texts', () => {
    const before = Array.from({ length: 3_000 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 1500', 'line 1500, edited');
    const d = diffLines(before, after);
    assert.equal(d.filter((l) => l.op !== 'same').length, 2);
  });
});
