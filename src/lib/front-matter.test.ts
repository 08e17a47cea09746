import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrontMatterError, parseFrontMatter } from './front-matter.js';

describe('front matter', () => {
  it('splits YAML front matter from the body, with CRLF line ends and a BOM', () => {
    const doc = parseFrontMatter('\uFEFF---\r\nheadline: Hello\r\nsources:\r\n  - title: A\r\n---\r\nBody text\r\n');
    assert.deepEqual(doc.data, { headline: 'Hello', sources: [{ title: 'A' }] });
    assert.equal(doc.body, 'Body text\n');
  });

  it('explains a missing block, bad YAML, duplicate keys and a non-mapping', () => {
    assert.throws(() => parseFrontMatter('no front matter'), FrontMatterError);
    assert.throws(() => parseFrontMatter('---\nheadline: [unclosed\n---\n'), /not valid YAML/);
    assert.throws(() => parseFrontMatter('---\na: 1\na: 2\n---\n'), /not valid YAML/);
    assert.throws(() => parseFrontMatter('---\n- a\n- b\n---\n'), /"field: value"/);
  });
});
