import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.js';
import { commentLimits, parseCommentForm } from './comments.schemas.js';

const valid = { comment: 'Well said.', author: 'Ann Reader', email: 'ann@example.org', url: '', remember: false };

function errorsOf(input: Partial<typeof valid>): Record<string, string> {
  try {
    parseCommentForm({ ...valid, ...input });
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  return {};
}

describe('comment form rules', () => {
  it('accepts a valid form and tidies it', () => {
    const form = parseCommentForm({ ...valid, comment: '  Hello\r\nthere  ', author: '  Ann   Reader ', url: 'ann.example.org/me' });
    assert.equal(form.comment, 'Hello\nthere');
    assert.equal(form.author, 'Ann Reader');
    assert.equal(form.url, 'https://ann.example.org/me');
  });

  it('requires comment, name and email, each with its own message', () => {
    assert.deepEqual(errorsOf({ comment: '  ', author: '', email: '' }), {
      comment: 'Please type your comment.',
      author: 'Please enter your name.',
      email: 'Please enter your email address.',
    });
  });

  it('checks email syntax', () => {
    for (const bad of ['ann', 'ann@', '@example.org', 'ann@example', 'ann @example.org', 'a@b..org', 'ann@-x.org']) {
      assert.match(errorsOf({ email: bad }).email ?? '', /valid email/, bad);
    }
    for (const good of ['ann@example.org', 'a.b+tag@mail.example.co.uk', 'x_y@sub-domain.example.museum']) {
      assert.deepEqual(errorsOf({ email: good }), {}, good);
    }
  });

  it('accepts only http(s) websites', () => {
    for (const bad of ['javascript:alert(1)', 'ftp://example.org', 'not a url', 'data:text/html,x']) {
      assert.match(errorsOf({ url: bad }).url ?? '', /http:\/\/ or https:\/\//, bad);
    }
  });

  it('refuses over-long fields with the length and the limit, never truncating', () => {
    const long = 'é'.repeat(commentLimits.comment + 1);
    assert.equal(errorsOf({ comment: long }).comment, 'Your comment is too long: 10,001 characters; the limit is 10,000.');
    assert.match(errorsOf({ author: 'x'.repeat(commentLimits.author + 1) }).author ?? '', /too long/);
    assert.match(errorsOf({ email: `${'x'.repeat(250)}@example.org` }).email ?? '', /too long/);
    assert.match(errorsOf({ url: `https://example.org/${'x'.repeat(2_000)}` }).url ?? '', /too long/);
  });

  it('counts characters, not UTF-16 units, so a comment of emoji at the limit passes', () => {
    assert.deepEqual(errorsOf({ comment: '😀'.repeat(commentLimits.comment) }), {});
  });

  it('refuses names with markup or control characters', () => {
    assert.match(errorsOf({ author: '<b>Ann</b>' }).author ?? '', /may not contain/);
    assert.match(errorsOf({ author: 'Ann\u0000' }).author ?? '', /may not contain/);
  });
});
