import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSlug, slugify } from './slug.js';

describe('slugs', () => {
  it('makes lower-case ASCII slugs from headlines', () => {
    assert.equal(slugify('Harbour talks: "Both sides" agree — again!'), 'harbour-talks-both-sides-agree-again');
    assert.equal(slugify('Café in Zürich reopens'), 'cafe-in-zurich-reopens');
    assert.equal(slugify("Union's offer"), 'unions-offer');
  });

  it('cuts long slugs at a word boundary-free limit without a trailing hyphen', () => {
    const slug = slugify('word '.repeat(40), 22);
    assert.ok(slug.length <= 22);
    assert.doesNotMatch(slug, /-$/);
  });

  it('gives an empty slug when nothing is left', () => {
    assert.equal(slugify('—!?'), '');
  });

  it('accepts only well-formed slugs', () => {
    assert.ok(isSlug('talks-resume-2'));
    for (const bad of ['', 'Talks', 'a--b', '-a', 'a-', 'a b', 'a/b', 'x'.repeat(121)]) assert.equal(isSlug(bad), false, bad);
  });
});
