import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { renderAtom } from './feed-atom.js';
import { renderJsonFeed } from './feed-json.js';
import { renderRss } from './feed-rss.js';
import type { FeedDocument } from './feeds.model.js';

const tricky = `Tom & Jerry <script>alert("x")</script> ]]> it's 100% "done"`;

function sample(overrides: Partial<FeedDocument> = {}): FeedDocument {
  return {
    id: 'tag:news.example,2026:feed/site',
    title: `News & <Views>`,
    description: 'Latest stories',
    homeUrl: 'https://news.example/',
    urls: { rss: 'https://news.example/feed/rss.xml', atom: 'https://news.example/feed/atom.xml', json: 'https://news.example/feed/feed.json' },
    language: 'en-US',
    updated: new Date('2026-11-27T09:00:00Z'),
    publisher: 'News & Views',
    items: [
      {
        id: 'tag:news.example,2026-11-20:story/7',
        url: 'https://news.example/stories/seven',
        title: tricky,
        summary: `Summary with ${tricky}`,
        contentHtml: `<p>Body &amp; <a href="https://news.example/x">link</a> ]]&gt;</p>`,
        published: new Date('2026-11-20T10:00:00Z'),
        updated: new Date('2026-11-21T10:00:00Z'),
        authors: [{ name: 'Ann <A> Reporter', url: 'https://news.example/authors/ann' }],
        categories: [{ label: 'Harbour & Sea', url: 'https://news.example/sections/harbour' }, { label: 'Tides' }],
      },
      {
        id: 'tag:news.example,2026-11-19:story/6',
        url: 'https://news.example/stories/six',
        title: 'Plain',
        summary: null,
        contentHtml: null,
        published: new Date('2026-11-19T10:00:00Z'),
        updated: new Date('2026-11-19T10:00:00Z'),
        authors: [],
        categories: [],
      },
    ],
    ...overrides,
  };
}

describe('feed renderers', () => {
  it('RSS 2.0: escaped text round-trips, guid is not a permalink, dates are RFC 822, self link', () => {
    const xml = renderRss(sample());
    assert.doesNotMatch(xml, /<!\[CDATA\[/);
    const feed = parseRssFeed(xml);
    assert.equal(feed.title, 'News & <Views>');
    assert.equal(feed.lastBuildDate, 'Fri, 27 Nov 2026 09:00:00 +0000');
    assert.ok(feed.atom?.links?.some((l) => l.rel === 'self' && l.href === 'https://news.example/feed/rss.xml'));
    const [first, second] = feed.items ?? [];
    assert.equal(first?.title, tricky);
    assert.equal(first?.description, `Summary with ${tricky}`);
    assert.equal(first?.content?.encoded, `<p>Body &amp; <a href="https://news.example/x">link</a> ]]&gt;</p>`);
    assert.deepEqual(first?.guid, { value: 'tag:news.example,2026-11-20:story/7', isPermaLink: false });
    assert.equal(first?.pubDate, 'Fri, 20 Nov 2026 10:00:00 +0000');
    assert.deepEqual(first?.dc?.creators, ['Ann <A> Reporter']);
    assert.deepEqual(
      first?.categories?.map((c) => [c.name, c.domain]),
      [
        ['Harbour & Sea', 'https://news.example/sections/harbour'],
        ['Tides', undefined],
      ],
    );
    assert.equal(second?.content, undefined);
  });

  it('Atom 1.0: ids, updated, self and alternate links, summary and html content', () => {
    const feed = parseAtomFeed(renderAtom(sample()));
    assert.equal(feed.id, 'tag:news.example,2026:feed/site');
    assert.equal(feed.updated, '2026-11-27T09:00:00Z');
    assert.equal(feed.title?.value, 'News & <Views>');
    assert.deepEqual(
      feed.links?.map((l) => [l.rel, l.href]),
      [
        ['self', 'https://news.example/feed/atom.xml'],
        ['alternate', 'https://news.example/'],
      ],
    );
    const [first, second] = feed.entries ?? [];
    assert.equal(first?.id, 'tag:news.example,2026-11-20:story/7');
    assert.equal(first?.title?.value, tricky);
    assert.equal(first?.updated, '2026-11-21T10:00:00Z');
    assert.equal(first?.published, '2026-11-20T10:00:00Z');
    assert.deepEqual(first?.summary, { value: `Summary with ${tricky}`, type: 'text' });
    assert.deepEqual(first?.content, { value: `<p>Body &amp; <a href="https://news.example/x">link</a> ]]&gt;</p>`, type: 'html' });
    assert.deepEqual(
      first?.categories?.map((c) => [c.term, c.scheme]),
      [
        ['Harbour & Sea', 'https://news.example/sections/harbour'],
        ['Tides', undefined],
      ],
    );
    assert.deepEqual(first?.authors, [{ name: 'Ann <A> Reporter', uri: 'https://news.example/authors/ann' }]);
    assert.equal(second?.summary, undefined);
  });

  it('JSON Feed 1.1: version, feed_url, string ids, content_html or content_text', () => {
    const text = renderJsonFeed(sample());
    const feed = parseJsonFeed(JSON.parse(text));
    assert.equal(JSON.parse(text).version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.feed_url, 'https://news.example/feed/feed.json');
    const [first, second] = feed.items ?? [];
    assert.equal(first?.id, 'tag:news.example,2026-11-20:story/7');
    assert.equal(first?.title, tricky);
    assert.equal(first?.date_published, '2026-11-20T10:00:00Z');
    assert.equal(first?.date_modified, '2026-11-21T10:00:00Z');
    assert.deepEqual(first?.tags, ['Harbour & Sea', 'Tides']);
    assert.equal(second?.content_text, 'Plain');
  });

  it('drops characters XML forbids instead of writing a feed that does not parse', () => {
    const doc = sample();
    doc.items[0]!.title = 'Bell\u0007 and NUL\u0000';
    assert.equal(parseRssFeed(renderRss(doc)).items?.[0]?.title, 'Bell and NUL');
    assert.equal(parseAtomFeed(renderAtom(doc)).entries?.[0]?.title?.value, 'Bell and NUL');
  });
});
