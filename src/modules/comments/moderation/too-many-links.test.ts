import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { tooManyLinks } from './too-many-links.js';

describe('too-many-links rule', () => {
  it('allows up to maxLinks links (default 2)', () => {
    assert.deepEqual(tooManyLinks(ruleInput({ linkCount: 2 })), []);
  });

  it('holds a comment with more links, with the count in the detail', () => {
    const reasons = tooManyLinks(ruleInput({ linkCount: 3 }));
    assert.deepEqual(reasons, [{ rule: 'too-many-links', verdict: 'hold', detail: 'The comment has 3 links; more than 2 are held.' }]);
  });

  it('follows the configured maximum, including 0', () => {
    assert.equal(tooManyLinks(ruleInput({ linkCount: 1, rules: { maxLinks: 0 } })).length, 1);
    assert.deepEqual(tooManyLinks(ruleInput({ linkCount: 5, rules: { maxLinks: 5 } })), []);
  });
});
