import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, jsonForScript, raw } from './html.js';

describe('html templates', () => {
  it('escapes every interpolated string', () => {
    const name = `<script>alert("x")</script> & 'q'`;
    assert.equal(html`<b title="${name}">${name}</b>`.value, '<b title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</b>');
  });

  it('keeps nested templates and raw HTML as they are, and renders arrays item by item', () => {
    const items = ['a<', 'b>'].map((t) => html`<li>${t}</li>`);
    assert.equal(html`<ul>${items}</ul>${raw('<hr>')}`.value, '<ul><li>a&lt;</li><li>b&gt;</li></ul><hr>');
  });

  it('renders null, undefined and booleans as nothing, numbers as text', () => {
    assert.equal(html`${null}${undefined}${false}${true}${0}${12.5}`.value, '012.5');
  });

  it('leaves text without special characters untouched', () => {
    assert.equal(escapeHtml('plain text'), 'plain text');
  });

  it('makes JSON safe inside a script element', () => {
    const out = jsonForScript({ headline: '</script><script>alert(1)</script> & \u2028' }).value;
    assert.doesNotMatch(out, /<\/script>/);
    assert.deepEqual(JSON.parse(out), { headline: '</script><script>alert(1)</script> & \u2028' });
  });
});
