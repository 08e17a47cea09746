import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.js';
import { defaultCommentSettings } from './comment-settings.js';
import { parseSettingsForm, readSettingsForm, settingFields, settingsFormValues, settingTexts } from './comment-settings.form.js';

const errorsOf = (changes: Record<string, string>) => {
  try {
    parseSettingsForm({ ...settingsFormValues(defaultCommentSettings), ...changes }, defaultCommentSettings);
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  return {};
};

describe('comment settings form', () => {
  it('has a field with a label and help text for every setting in the schema', () => {
    const names = settingFields.map((f) => f.name);
    assert.ok(names.length >= 16);
    for (const name of names) {
      assert.ok(settingTexts[name], `label and help for the setting "${name}" (add it to settingTexts)`);
      assert.ok(settingTexts[name]!.help.length > 10);
    }
  });

  it('reads limits and choices from the schema', () => {
    const perPage = settingFields.find((f) => f.name === 'perPage');
    assert.deepEqual([perPage?.kind, perPage?.min, perPage?.max], ['number', 5, 500]);
    assert.deepEqual(settingFields.find((f) => f.name === 'digest')?.choices?.map((c) => c.value), ['off', 'hourly', 'daily']);
    assert.equal(settingFields.find((f) => f.name === 'rules.spamEmails')?.kind, 'lines');
  });

  it('round-trips the defaults', () => {
    assert.deepEqual(parseSettingsForm(settingsFormValues(defaultCommentSettings), defaultCommentSettings), defaultCommentSettings);
  });

  it('reads lists one entry a line, trimmed, without blanks or repeats', () => {
    const values = { ...settingsFormValues(defaultCommentSettings), 'rules.spamEmails': ' a@x.example \r\n\r\nb@y.example\na@x.example' };
    assert.deepEqual(parseSettingsForm(values, defaultCommentSettings).rules.spamEmails, ['a@x.example', 'b@y.example']);
  });

  it('names each problem', () => {
    assert.match(errorsOf({ 'rules.spamEmails': 'nobody' })['rules.spamEmails']!, /Entry 1, “nobody”, is not an email address/);
    assert.match(errorsOf({ 'rules.spamDomains': '203.0.113.1' })['rules.spamDomains']!, /is not a domain/);
    assert.match(errorsOf({ 'rules.spamIpRanges': '10.0.0.0/33' })['rules.spamIpRanges']!, /not an IP address or CIDR range/);
    assert.match(errorsOf({ perPage: '' }).perPage!, /Give a whole number between 5 and 500/);
    assert.match(errorsOf({ perPage: '1.5' }).perPage!, /not a whole number/);
    assert.match(errorsOf({ order: 'random' }).order!, /Choose one of: Oldest first, Newest first/);
    assert.match(errorsOf({ 'rules.blockedPhrases': 'x'.repeat(300) })['rules.blockedPhrases']!, /longer than 254 characters/);
  });

  it('reads a posted body: a missing checkbox is off, a repeated field is refused', () => {
    const values = readSettingsForm({ perPage: '20' });
    assert.equal(values['rules.holdFirstTimeCommenters'], '');
    assert.equal(values.perPage, '20');
    assert.throws(() => readSettingsForm({ perPage: ['1', '2'] }), ValidationError);
  });
});
