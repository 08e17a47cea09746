import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { spamEmail } from './spam-email.js';

describe('spam-email rule', () => {
  it('sends a listed address to spam, whatever its case', () => {
    const reasons = spamEmail(ruleInput({ email: 'Bot@Spam.Example', rules: { spamEmails: [' bot@spam.example '] } }));
    assert.deepEqual(reasons, [{ rule: 'spam-email', verdict: 'spam', detail: 'The email address is on the spam list.' }]);
  });

  it('matches the exact address only', () => {
    const rules = { spamEmails: ['bot@spam.example'] };
    assert.deepEqual(spamEmail(ruleInput({ email: 'robot@spam.example', rules })), []);
    assert.deepEqual(spamEmail(ruleInput({ email: 'bot@spam.example.org', rules })), []);
  });
});
