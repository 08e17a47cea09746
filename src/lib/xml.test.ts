import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, rfc3339, rfc822, stripForbiddenXmlChars } from './xml.js';

describe('xml helpers', () => {
  it('escapes markup characters, so `]]>` and quotes cannot end anything', () => {
    assert.equal(escapeXml(`Tom & "Jerry" <b>'s ]]> end`), 'Tom &amp; &quot;Jerry&quot; &lt;b&gt;&apos;s ]]&gt; end');
    assert.equal(escapeXml('&amp;'), '&amp;amp;', 'an entity typed as text stays text');
  });

  it('drops characters XML 1.0 forbids and keeps tabs, newlines, emoji and other scripts', () => {
    assert.equal(escapeXml('a\u0000b\u0008c\u000Bd\uFFFEe\uD800f'), 'abcdef');
    assert.equal(escapeXml('tab\there\nline\r😀 Ünïcödé 東京'), 'tab\there\nline\r😀 Ünïcödé 東京');
    assert.equal(stripForbiddenXmlChars('x\u0001<y>'), 'x<y>');
  });

  it('formats RFC 822 dates in UTC with a four-digit year and RFC 3339 to the second', () => {
    const date = new Date('2026-11-27T09:05:03.456Z');
    assert.equal(rfc822(date), 'Fri, 27 Nov 2026 09:05:03 +0000');
    assert.equal(rfc822(new Date('2027-01-03T23:59:59Z')), 'Sun, 03 Jan 2027 23:59:59 +0000');
    assert.equal(rfc3339(date), '2026-11-27T09:05:03Z');
  });
});
