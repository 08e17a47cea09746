import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCommentMarkdown, renderStoryMarkdown } from './markdown.js';

describe('comment markdown', () => {
  it('shows raw HTML as text', () => {
    const out = renderCommentMarkdown('<img src=x onerror=alert(1)> <b>bold</b>');
    assert.doesNotMatch(out, /<img|<b>/);
    assert.match(out, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('keeps http(s) and mailto links, marked nofollow ugc', () => {
    const out = renderCommentMarkdown('[site](https://example.org) [mail](mailto:a@example.org) https://example.net');
    assert.match(out, /<a href="https:\/\/example.org" rel="nofollow ugc noopener">site<\/a>/);
    assert.match(out, /<a href="mailto:a@example.org" rel="nofollow ugc noopener">mail<\/a>/);
    assert.match(out, /<a href="https:\/\/example.net" rel="nofollow ugc noopener">/);
  });

  it('drops links with other schemes or relative targets', () => {
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', '/admin', '//evil.example']) {
      const out = renderCommentMarkdown(`[click](${href})`);
      assert.doesNotMatch(out, /<a /, href);
    }
  });

  it('has no headings, images or tables, and turns newlines into line breaks', () => {
    const out = renderCommentMarkdown('# Title\n![img](https://example.org/a.png)\nline two');
    assert.doesNotMatch(out, /<h1|<img/);
    assert.match(out, /<br>/);
  });

  it('keeps quotes, lists, emphasis and code', () => {
    const out = renderCommentMarkdown('> quoted\n\n- one\n- two\n\n*em* **strong** `code`');
    assert.match(out, /<blockquote>/);
    assert.match(out, /<ul>/);
    assert.match(out, /<em>em<\/em> <strong>strong<\/strong> <code>code<\/code>/);
  });

  it('survives deeply nested input without blowing up', () => {
    const out = renderCommentMarkdown(`${'> '.repeat(5_000)}deep`);
    assert.ok(out.length < 200_000);
  });
});

describe('story markdown', () => {
  it('renders headings, block quotes, lists and links, with typographic quotes', () => {
    const out = renderStoryMarkdown('## What next\n\n> "A quote," she said.\n\n1. first\n\n[source](https://example.org) [internal](/stories/x)');
    assert.match(out, /<h2>What next<\/h2>/);
    assert.match(out, /<blockquote>\n<p>“A quote,” she said.<\/p>/);
    assert.match(out, /<ol>/);
    assert.match(out, /<a href="https:\/\/example.org" rel="noopener">source<\/a>/);
    assert.match(out, /<a href="\/stories\/x">internal<\/a>/);
  });

  it('never passes raw HTML or script links', () => {
    const out = renderStoryMarkdown('<iframe src="https://evil.example"></iframe> [x](javascript:alert(1))');
    assert.doesNotMatch(out, /<iframe|href="javascript/);
  });
});
