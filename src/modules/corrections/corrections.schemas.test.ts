import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.js';
import { correctionLimits, parseCorrectionForm, parseRemovalReason } from './corrections.schemas.js';

const fieldErrorsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  assert.fail('expected a ValidationError');
};

describe('correction form', () => {
  it('accepts both kinds, trims the text and normalises line ends', () => {
    assert.deepEqual(parseCorrectionForm({ kind: 'correction', text: '  An earlier version…\r\n\r\nSecond.  ' }), {
      kind: 'correction',
      text: 'An earlier version…\n\nSecond.',
    });
    assert.equal(parseCorrectionForm({ kind: 'clarification', text: 'x' }).kind, 'clarification');
  });

  it('names each bad field: unknown kind, empty text, text over the limit', () => {
    assert.deepEqual(Object.keys(fieldErrorsOf(() => parseCorrectionForm({ kind: 'retraction', text: ' \n ' }))), ['kind', 'text']);
    assert.match(fieldErrorsOf(() => parseCorrectionForm({ kind: 'correction', text: '' })).text ?? '', /Write the text/);
    const long = 'x'.repeat(correctionLimits.text + 1);
    assert.match(fieldErrorsOf(() => parseCorrectionForm({ kind: 'correction', text: long })).text ?? '', /4,000 characters or fewer \(this text has 4,001\)/);
    assert.equal(parseCorrectionForm({ kind: 'correction', text: 'x'.repeat(correctionLimits.text) }).text.length, correctionLimits.text);
  });
});

describe('removal reason', () => {
  it('is required and limited', () => {
    assert.equal(parseRemovalReason('  Added in error.  '), 'Added in error.');
    assert.match(fieldErrorsOf(() => parseRemovalReason('   ')).reason ?? '', /Give the reason/);
    assert.match(fieldErrorsOf(() => parseRemovalReason('r'.repeat(correctionLimits.reason + 1))).reason ?? '', /500 characters or fewer/);
  });
});
