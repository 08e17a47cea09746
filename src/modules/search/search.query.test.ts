import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markedToHtml } from './search.highlight.js';
import { ftsMatch } from './search.repo.js';
import { maxQueryLength, maxQueryParts, parseSearchQuery, type SearchTerms } from './search.query.js';

const terms = (q: string): SearchTerms => {
  const parsed = parseSearchQuery(q);
  assert.equal(parsed.kind, 'terms', `${q}: ${JSON.stringify(parsed)}`);
  return (parsed as { terms: SearchTerms }).terms;
};

describe('parseSearchQuery', () => {
  it('reads words and quoted phrases, lower-case, without duplicates', () => {
    assert.deepEqual(terms('Ferry  STRIKE ferry'), { terms: ['ferry', 'strike'], phrases: [] });
    assert.deepEqual(terms('"city council" budget'), { terms: ['budget'], phrases: [['city', 'council']] });
    assert.deepEqual(terms('covid-19 e-mail'), { terms: [], phrases: [['covid', '19'], ['e', 'mail']] });
    assert.deepEqual(terms('"one"'), { terms: ['one'], phrases: [] });
  });

  it('drops every operator of both engines', () => {
    assert.deepEqual(terms('NEAR(ferry strike)'), { terms: ['ferry', 'strike'], phrases: [] });
    assert.deepEqual(terms('ferry AND strike OR NOT council'), { terms: ['ferry', 'strike', 'council'], phrases: [] });
    assert.deepEqual(terms('-ferry ^strike ferr* (council)'), { terms: ['ferry', 'strike', 'ferr', 'council'], phrases: [] });
    assert.deepEqual(terms('headline:ferry'), { terms: [], phrases: [['headline', 'ferry']] });
    assert.deepEqual(terms('ferry & strike | !council <-> x'), { terms: ['ferry', 'strike', 'council', 'x'], phrases: [] });
    assert.deepEqual(terms('AND'), { terms: ['and'], phrases: [] }, 'an operator alone is a word');
    assert.deepEqual(terms('sand ANDROID'), { terms: ['sand', 'android'], phrases: [] }, 'only whole words are operators');
  });

  it('ignores an unpaired quote', () => {
    assert.deepEqual(terms('"ferry strike'), { terms: ['ferry', 'strike'], phrases: [] });
    assert.deepEqual(terms('"harbour fees" "ferry strike'), { terms: ['ferry', 'strike'], phrases: [['harbour', 'fees']] });
  });

  it('keeps letters of every script and accents, and drops emoji and control characters', () => {
    assert.deepEqual(terms('Café Zoë 東京 🚢'), { terms: ['café', 'zoë', '東京'], phrases: [] });
    assert.deepEqual(terms('Cafe\u0301'), { terms: ['café'], phrases: [] }, 'composed (NFC)');
    assert.deepEqual(terms('\u0002ferry\u0003'), { terms: ['ferry'], phrases: [] });
  });

  it('answers empty, too long and wordless queries', () => {
    assert.deepEqual(parseSearchQuery('   '), { kind: 'empty' });
    assert.equal(parseSearchQuery('x'.repeat(maxQueryLength)).kind, 'terms');
    const long = parseSearchQuery('x'.repeat(10_000));
    assert.deepEqual(long, { kind: 'invalid', message: 'Search for at most 200 characters (this search has 10,000).' });
    assert.equal(parseSearchQuery('🚢🌊 "" *').kind, 'invalid');
    assert.equal(terms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')).terms.length, maxQueryParts);
  });

  it('builds an FTS5 query of quoted strings only', () => {
    assert.equal(ftsMatch(terms('"city council" NEAR(budget) -x')), '"budget" "x" "city council"');
  });
});

describe('markedToHtml', () => {
  it('escapes the text and only then marks the matches', () => {
    assert.equal(markedToHtml('a \u0002<b>\u0003 & "c"').value, 'a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot;');
    assert.equal(markedToHtml('\u0003x\u0002y').value, 'x<mark>y</mark>', 'unpaired markers are dropped or closed');
  });
});
