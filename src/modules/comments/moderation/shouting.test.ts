import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { shouting } from './shouting.js';

const check = (body: string) => shouting(ruleInput({ body }));

describe('all-caps (shouting) rule', () => {
  it('scores a comment written in capitals', () => {
    assert.deepEqual(check('THIS IS A DISGRACE AND EVERYONE KNOWS IT'), [
      { rule: 'all-caps', verdict: 'note', detail: 'Written in capitals (100% of 33 letters) (+2).', score: 2 },
    ]);
  });

  it('ignores short comments and ordinary text with acronyms', () => {
    assert.deepEqual(check('NASA AND ESA!'), []);
    assert.deepEqual(check('The NATO and UN statements were read by the BBC and the AP this morning.'), []);
  });

  it('works in other cased scripts', () => {
    assert.equal(check('ЭТО ПОЗОР И ВСЕ ЭТО ЗНАЮТ ДАВНО').length, 1);
  });
});
