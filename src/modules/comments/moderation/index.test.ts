import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { decide, moderateComment } from './index.js';

const thresholds = { holdScore: 5, spamScore: 10 };

describe('decide', () => {
  it('approves a comment with no findings, score 0', () => {
    assert.deepEqual(decide([], thresholds), { status: 'approved', spamScore: 0, reasons: [] });
  });

  it('approves with notes below the hold score, summing the points', () => {
    const d = decide([{ rule: 'a', verdict: 'note', detail: 'a', score: 2 }, { rule: 'b', verdict: 'note', detail: 'b', score: 2 }], thresholds);
    assert.equal(d.status, 'approved');
    assert.equal(d.spamScore, 4);
    assert.equal(d.reasons.length, 2);
  });

  it('holds on a hold verdict or at the hold score (saying so)', () => {
    assert.equal(decide([{ rule: 'x', verdict: 'hold', detail: 'x' }], thresholds).status, 'pending');
    const d = decide([{ rule: 'a', verdict: 'note', detail: 'a', score: 5 }], thresholds);
    assert.equal(d.status, 'pending');
    assert.deepEqual(d.reasons.at(-1), { rule: 'spam-score', verdict: 'hold', detail: 'Spam score 5 reaches the hold threshold (5).' });
  });

  it('sends to spam on a spam verdict, over any hold', () => {
    const d = decide([{ rule: 'x', verdict: 'hold', detail: 'x' }, { rule: 'y', verdict: 'spam', detail: 'y' }], thresholds);
    assert.equal(d.status, 'spam');
    assert.equal(d.reasons.length, 2);
  });

  it('sends to spam at the spam score (saying so)', () => {
    const d = decide([{ rule: 'x', verdict: 'hold', detail: 'x' }, { rule: 'a', verdict: 'note', detail: 'a', score: 12 }], thresholds);
    assert.equal(d.status, 'spam');
    assert.equal(d.spamScore, 12);
    assert.deepEqual(d.reasons.at(-1), { rule: 'spam-score', verdict: 'spam', detail: 'Spam score 12 reaches the spam threshold (10).' });
  });
});

describe('moderateComment (all rules)', () => {
  it('approves an ordinary comment by a returning commenter with the defaults', () => {
    assert.deepEqual(moderateComment(ruleInput()), { status: 'approved', spamScore: 0, reasons: [] });
  });

  it('holds a first-time commenter by default', () => {
    const d = moderateComment(ruleInput({ approvedBefore: 0 }));
    assert.equal(d.status, 'pending');
    assert.deepEqual(d.reasons.map((r) => r.rule), ['first-time-commenter']);
  });

  it('lists spam-list reasons first and sends to spam', () => {
    const d = moderateComment(ruleInput({ approvedBefore: 0, email: 'bot@spam.example', rules: { spamDomains: ['spam.example'] } }));
    assert.equal(d.status, 'spam');
    assert.deepEqual(d.reasons.map((r) => r.rule), ['spam-domain', 'first-time-commenter']);
  });

  it('combines content scores into a hold, then spam', () => {
    const held = moderateComment(ruleInput({ body: 'BUY CHEAP WATCHES TODAY AT OUR SHOP!!!!!!!' }));
    assert.equal(held.status, 'pending');
    assert.equal(held.spamScore, 3 + 2 + 1);
    const spam = moderateComment(ruleInput({ body: 'Buy cheap viagra at our online casino [url=https://x.example]now[/url]', linkCount: 1 }));
    assert.equal(spam.status, 'spam');
  });
});
