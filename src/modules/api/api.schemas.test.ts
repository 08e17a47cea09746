import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.js';
import { buildOpenApiDocument } from './api.openapi.js';
import { parseBody, parseOrThrow, storyCreateInput, storyFormOf, storyListQuery, storyUpdateInput } from './api.schemas.js';

const fieldErrorsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  assert.fail('expected a ValidationError');
};

describe('API request schemas', () => {
  it('turns a JSON story into the editor’s form values, with the schedule time in UTC', () => {
    const body = parseOrThrow(storyCreateInput, {
      headline: 'H',
      byline: 'B',
      body: 'Text',
      dek: null,
      sources: [{ title: 'T', url: 'https://example.org', outlet: null }],
      action: { kind: 'schedule', at: '2026-12-01T08:00:00+02:00' },
      ignored: true,
    });
    assert.deepEqual(storyFormOf(body), {
      values: { headline: 'H', slug: '', dek: '', byline: 'B', dateline: '', body: 'Text', related: '', sources: [{ title: 'T', outlet: '', url: 'https://example.org', date: '' }] },
      action: { kind: 'schedule', at: '2026-12-01T06:00:00.000Z' },
    });
    assert.deepEqual(storyFormOf(parseOrThrow(storyCreateInput, { headline: 'H', byline: 'B', body: 'T' })).action, { kind: 'save' });
  });

  it('names each wrong field by its path, in words', () => {
    assert.deepEqual(
      fieldErrorsOf(() => parseOrThrow(storyUpdateInput, { headline: 1, body: 'x', sources: [{ url: 'u' }], action: { kind: 'schedule' }, substantive: 'yes' })),
      { headline: 'must be text', byline: 'is required', 'sources.0.title': 'is required', 'action.at': 'is required', substantive: 'must be true or false' },
    );
    assert.deepEqual(fieldErrorsOf(() => parseOrThrow(storyListQuery, { status: 'gone', page: '0' })), {
      status: 'must be one of: draft, scheduled, published, unpublished',
      page: 'must be a whole number from 1 to 9999',
    });
  });

  it('refuses a body that is not a JSON object as a bad request', () => {
    for (const body of [undefined, null, [], 'text', 3]) {
      assert.throws(() => parseBody(storyCreateInput, body), (e: Error & { statusCode?: number }) => e.statusCode === 400 && !(e instanceof ValidationError));
    }
  });
});

describe('OpenAPI document', () => {
  it('has unique operation ids and the bearer scheme', () => {
    const doc = buildOpenApiDocument({ publicUrl: 'https://news.example.org' });
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(doc.security, [{ bearerToken: [] }]);
    assert.equal(doc.components.securitySchemes.bearerToken?.scheme, 'bearer');
    assert.ok(!JSON.stringify(doc).includes('"$schema"'), 'component schemas carry no $schema of their own');
  });
});
