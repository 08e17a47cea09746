import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { premoderatedStory } from './premoderated-story.js';

describe('premoderated-story rule', () => {
  it('holds every comment on a pre-moderated story', () => {
    const [reason, ...rest] = premoderatedStory(ruleInput({ storyPremoderated: true }));
    assert.equal(rest.length, 0);
    assert.deepEqual({ rule: reason?.rule, verdict: reason?.verdict }, { rule: 'premoderated-story', verdict: 'hold' });
    assert.match(reason!.detail, /Every comment on this story is held/);
  });

  it('says nothing about other stories', () => {
    assert.deepEqual(premoderatedStory(ruleInput({ storyPremoderated: false })), []);
  });
});
