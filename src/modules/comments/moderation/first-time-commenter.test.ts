import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { firstTimeCommenter } from './first-time-commenter.js';

describe('first-time-commenter rule', () => {
  it('holds an address with no approved comment (on by default)', () => {
    const reasons = firstTimeCommenter(ruleInput({ approvedBefore: 0 }));
    assert.deepEqual(reasons, [{ rule: 'first-time-commenter', verdict: 'hold', detail: 'This email address has no approved comment yet.' }]);
  });

  it('lets an address with an approved comment through', () => {
    assert.deepEqual(firstTimeCommenter(ruleInput({ approvedBefore: 1 })), []);
  });

  it('is off when holdFirstTimeCommenters is off', () => {
    assert.deepEqual(firstTimeCommenter(ruleInput({ approvedBefore: 0, rules: { holdFirstTimeCommenters: false } })), []);
  });
});
