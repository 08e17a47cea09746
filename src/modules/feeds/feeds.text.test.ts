import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absolutizeUrls, htmlToText, storySummary } from './feeds.text.js';

describe('feed text helpers', () => {
  it('summarises a story by its dek, else its first paragraph as plain text', () => {
    assert.equal(storySummary({ dek: ' The dek ', body_html: '<p>Body</p>' }), 'The dek');
    assert.equal(storySummary({ dek: null, body_html: '<h2>Head</h2>\n<p></p><p>Tom &amp; <em>Jerry</em> &lt;3 &#8220;x&#8221; &#x2014;</p><p>Two</p>' }), 'Tom & Jerry <3 “x” —');
    assert.equal(storySummary({ dek: '', body_html: '<blockquote>no paragraph</blockquote>' }), null);
  });

  it('cuts a long first paragraph at a word, with an ellipsis', () => {
    const summary = storySummary({ dek: null, body_html: `<p>${'word '.repeat(200)}</p>` }, 50);
    assert.ok(summary && summary.length <= 50 && summary.endsWith('word…'), summary ?? '');
  });

  it('makes root-relative links and images absolute, leaving other URLs alone', () => {
    const html = '<p><a href="/stories/x">x</a> <a href="https://other.example/">o</a> <a href="//cdn.example/y">y</a> <a href="#n">n</a></p><img src="/media/1.jpg" srcset="/media/1-400.jpg 400w, /media/1-800.jpg 800w" alt="">';
    assert.equal(
      absolutizeUrls(html, 'https://news.example/'),
      '<p><a href="https://news.example/stories/x">x</a> <a href="https://other.example/">o</a> <a href="//cdn.example/y">y</a> <a href="#n">n</a></p><img src="https://news.example/media/1.jpg" srcset="https://news.example/media/1-400.jpg 400w, https://news.example/media/1-800.jpg 800w" alt="">',
    );
  });

  it('keeps unknown entities as written', () => {
    assert.equal(htmlToText('a &bogus; b'), 'a &bogus; b');
  });
});
