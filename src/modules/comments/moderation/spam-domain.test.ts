import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { normaliseDomain, spamDomain } from './spam-domain.js';

const check = (email: string, spamDomains: string[]) => spamDomain(ruleInput({ email, rules: { spamDomains } }));

describe('spam-domain rule', () => {
  it('sends an address at a listed domain to spam, naming the domain', () => {
    assert.deepEqual(check('x@Spam.Example', ['spam.example']), [
      { rule: 'spam-domain', verdict: 'spam', detail: 'The email address is at spam.example, a domain on the spam list.' },
    ]);
  });

  it('catches subdomains but not look-alikes', () => {
    assert.equal(check('x@mail.spam.example', ['spam.example']).length, 1);
    assert.deepEqual(check('x@notspam.example', ['spam.example']), []);
    assert.deepEqual(check('x@spam.example.org', ['spam.example']), []);
  });

  it('accepts the domain written as @domain, *.domain or with a trailing dot', () => {
    assert.equal(normaliseDomain('@Spam.Example'), 'spam.example');
    assert.equal(normaliseDomain('*.spam.example'), 'spam.example');
    assert.equal(normaliseDomain('spam.example.'), 'spam.example');
    assert.equal(check('x@a.spam.example', ['*.spam.example']).length, 1);
  });

  it('never matches on a blank entry', () => {
    assert.deepEqual(check('x@example.org', ['', '@']), []);
  });
});
