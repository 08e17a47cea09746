import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { blockedPhrase } from './blocked-phrase.js';

const withPhrases = (blockedPhrases: string[], body: string, extra: { authorName?: string; url?: string } = {}) =>
  blockedPhrase(ruleInput({ body, ...extra, rules: { blockedPhrases } }));

describe('blocked-phrase rule', () => {
  it('holds a comment with a blocked word, naming it', () => {
    const reasons = withPhrases(['idiot'], 'What an IDIOT the mayor is.');
    assert.deepEqual(reasons, [{ rule: 'blocked-phrase', verdict: 'hold', detail: 'Contains the blocked phrase “idiot” (in the comment).' }]);
  });

  it('matches whole words only', () => {
    assert.deepEqual(withPhrases(['ass'], 'The class passed the assessment.'), []);
    assert.equal(withPhrases(['ass'], 'Kiss my ass!').length, 1);
  });

  it('matches a phrase across any white space, case-insensitively', () => {
    assert.equal(withPhrases(['send money'], 'Please SEND\n  money now').length, 1);
    assert.deepEqual(withPhrases(['send money'], 'send the money'), []);
  });

  it('is Unicode-aware: letters with accents and other scripts are word characters', () => {
    assert.equal(withPhrases(['Köln'], 'Ich wohne in KÖLN.').length, 1);
    assert.deepEqual(withPhrases(['Köln'], 'Die Kölner Bürger'), []);
    assert.equal(withPhrases(['дурак'], 'Ты ДУРАК!').length, 1);
    assert.deepEqual(withPhrases(['дурак'], 'дураки'), []);
    // Decomposed "é" (e + combining accent) matches the composed phrase.
    assert.equal(withPhrases(['café'], 'Le cafe\u0301 est fermé').length, 1);
  });

  it('treats regular-expression characters in a phrase literally', () => {
    assert.equal(withPhrases(['c++ sucks'], 'Honestly c++ sucks.').length, 1);
    assert.deepEqual(withPhrases(['a.b'], 'axb'), []);
  });

  it('looks at the name and website too, and names each phrase found', () => {
    const reasons = withPhrases(['casino', 'spam'], 'Nice article', { authorName: 'Best Casino', url: 'https://spam.example' });
    assert.deepEqual(
      reasons.map((r) => r.detail),
      ['Contains the blocked phrase “casino” (in the name).', 'Contains the blocked phrase “spam” (in the website).'],
    );
  });

  it('ignores blank list entries and says nothing without a list', () => {
    assert.deepEqual(withPhrases(['', '   '], 'anything'), []);
    assert.deepEqual(withPhrases([], 'anything'), []);
  });
});
