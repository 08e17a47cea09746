import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { repeatedCharacters } from './repeated-characters.js';

const check = (body: string) => repeatedCharacters(ruleInput({ body }));

describe('repeated-characters rule', () => {
  it('scores a character repeated six or more times, naming the longest run', () => {
    assert.deepEqual(check('Nooooo way!!!!!!!!'), [
      { rule: 'repeated-characters', verdict: 'note', detail: 'A character repeated 8 times in a row (“!!!!!!!!”) (+1).', score: 1 },
    ]);
    assert.equal(check('aaaaaaa')[0]?.score, 1);
  });

  it('lets shorter runs, numbers, dots and Markdown rules through', () => {
    assert.deepEqual(check('Wow!!! Sooo good.'), []);
    assert.deepEqual(check('It cost 1000000 dollars...... really\n\n----------\n\n**bold**'), []);
  });

  it('counts emoji and accented letters as one character each', () => {
    assert.match(check('😀😀😀😀😀😀')[0]!.detail, /6 times/);
    assert.match(check('éééééé')[0]!.detail, /6 times/);
  });

  it('shortens a very long run in the detail', () => {
    assert.match(check('z'.repeat(500))[0]!.detail, /500 times in a row \(“z{12}…”\)/);
  });
});
