import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { linkDensity, wordsOfText } from './link-density.js';

describe('link-density rule', () => {
  it('scores a bare link', () => {
    assert.deepEqual(linkDensity(ruleInput({ body: 'https://shop.example/deal', linkCount: 1 })), [
      { rule: 'link-density', verdict: 'note', detail: '1 link in 0 words of text (+2).', score: 2 },
    ]);
  });

  it('scores links that outweigh the text', () => {
    const body = 'Look: https://a.example https://b.example';
    assert.match(linkDensity(ruleInput({ body, linkCount: 2 }))[0]!.detail, /^2 links in 1 words/);
  });

  it('lets a link in a real sentence through', () => {
    const body = 'The full minutes of the meeting are on the council site at https://council.example/minutes if anyone wants them.';
    assert.deepEqual(linkDensity(ruleInput({ body, linkCount: 1 })), []);
    assert.deepEqual(linkDensity(ruleInput({ body: 'no links here', linkCount: 0 })), []);
  });

  it('counts words that are not addresses or punctuation', () => {
    assert.equal(wordsOfText('Read www.x.example and https://y.example — now!'), 3);
  });
});
