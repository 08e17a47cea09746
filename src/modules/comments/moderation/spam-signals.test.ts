import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCommentSettings } from '../comment-settings.js';
import { formAge } from './form-age.js';
import { honeypot } from './honeypot.js';
import { moderateComment, type RuleInput } from './index.js';

const input = (o: Partial<RuleInput> = {}): RuleInput => ({
  body: 'A thoughtful comment.',
  authorName: 'Ann',
  email: 'ann@example.org',
  emailKey: 'k',
  url: '',
  ip: '192.0.2.1',
  linkCount: 0,
  approvedBefore: 3,
  storyPremoderated: false,
  honeypot: '',
  formAgeSeconds: 60,
  rules: defaultCommentSettings.rules,
  now: new Date('2026-11-27T09:00:00Z'),
  ...o,
});

describe('honeypot rule', () => {
  it('has nothing to say about an empty field, and sends a filled one to spam', () => {
    assert.deepEqual(honeypot(input()), []);
    assert.deepEqual(honeypot(input({ honeypot: '   ' })), []);
    const [reason] = honeypot(input({ honeypot: 'buy now' }));
    assert.equal(reason?.verdict, 'spam');
    assert.equal(moderateComment(input({ honeypot: 'buy now' })).status, 'spam');
  });
});

describe('form age rule', () => {
  it('holds a form sent sooner than minSecondsToSubmit, not one sent later', () => {
    assert.deepEqual(formAge(input({ formAgeSeconds: 3 })), []);
    assert.deepEqual(formAge(input({ formAgeSeconds: 2 })), [
      { rule: 'form-age', verdict: 'hold', detail: 'Sent 2 s after the form was loaded; a person needs at least 3 s.' },
    ]);
    assert.equal(moderateComment(input({ formAgeSeconds: 0 })).status, 'pending');
  });

  it('holds a form without a timestamp unless holdWithoutFormTimestamp is off', () => {
    assert.equal(formAge(input({ formAgeSeconds: null }))[0]?.verdict, 'hold');
    assert.deepEqual(formAge(input({ formAgeSeconds: null, rules: { ...defaultCommentSettings.rules, holdWithoutFormTimestamp: false } })), []);
  });
});
