import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeProblem, normalizeName, tagNamesSchema, taxonomyNameSchema, taxonomySlug, uniqueBySlug } from './taxonomy.names.js';

const problem = (field: 'section' | 'tags', value: unknown) => {
  const result = (field === 'section' ? taxonomyNameSchema : tagNamesSchema).safeParse(value);
  return result.success ? undefined : describeProblem(field, result.error);
};

describe('section and tag names', () => {
  it('are trimmed, with runs of white space made one space', () => {
    assert.equal(normalizeName('  City \t Hall\n'), 'City Hall');
    assert.equal(taxonomyNameSchema.parse('  City   Hall '), 'City Hall');
    assert.deepEqual(tagNamesSchema.parse([' a ', 'b  c']), ['a', 'b c']);
  });

  it('make ASCII slugs, the identity of a section or tag', () => {
    assert.equal(taxonomySlug('  Café   Society '), 'cafe-society');
    assert.equal(taxonomySlug('<script>alert(1)</script>'), 'script-alert-1-script');
    assert.equal(taxonomySlug('東京'), '');
  });

  it('keep one name per slug, the first, in order', () => {
    assert.deepEqual(uniqueBySlug(['Tides', ' tides ', 'Weather', 'TIDES', '!!!']), [
      { name: 'Tides', slug: 'tides' },
      { name: 'Weather', slug: 'weather' },
    ]);
  });

  it('are refused with one message naming the field and the problem', () => {
    assert.equal(problem('section', 'Harbour'), undefined);
    assert.equal(problem('section', '   '), 'section: must not be empty');
    assert.equal(problem('section', 'x'.repeat(61)), 'section: must be at most 60 characters');
    assert.equal(problem('section', 'x'.repeat(60)), undefined);
    assert.equal(problem('section', 'bell\u0007'), 'section: must not contain control characters');
    assert.equal(problem('section', '東京'), 'section: must contain a letter from A to Z or a digit (its address is made from them)');
    assert.match(problem('section', 2026) ?? '', /^section: must be text \(put quotes around/);
    assert.equal(problem('tags', ['ok', '']), 'tags[1]: must not be empty');
    assert.equal(problem('tags', 'harbour'), 'tags: must be a list of tag names');
    assert.equal(problem('tags', Array.from({ length: 21 }, (_, i) => `t${i}`)), 'tags: must hold at most 20 tags');
    assert.equal(problem('tags', Array.from({ length: 20 }, (_, i) => `t${i}`)), undefined);
    assert.equal(problem('tags', []), undefined);
  });
});
