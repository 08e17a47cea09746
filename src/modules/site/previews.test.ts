import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersonRow, StoryRow } from '../../db/schema.js';
import { frontPageHead, ogLocale, pagePreviewTags, storyPreviewTags } from './previews.js';

const site = { siteName: 'The "Readout" Ledger', publicUrl: 'https://news.example', lang: 'en-US', assets: { icon: '/assets/favicon.abc.svg' } };

const story = {
  id: 7,
  slug: 'talks-resume',
  headline: 'Talks "resume" <script>alert(1)</script>',
  dek: null,
  body_html: '<p>First &amp; <em>second</em> words.</p>\n',
  published_at: '2026-11-27T07:30:00.000Z',
  updated_at: '2026-11-27T11:00:00.000Z',
} as StoryRow;
const author = { id: 1, name: 'Amina Castell', slug: 'amina-castell' } as PersonRow;
const image = { id: 4, alt: 'Cranes & "ships"', src: '/media/2026/11/abc-1600.webp', width: 1600, height: 900, srcset: [], createdAt: story.published_at ?? '' };

/** The content of each meta tag with this property or name, in order. */
const meta = (markup: string, key: string) =>
  [...markup.matchAll(new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)">`, 'g'))].map((m) => m[1]);

describe('link preview tags', () => {
  it('describes a story with an image as an OpenGraph article with a large Twitter card', () => {
    const markup = storyPreviewTags(site, { story, section: { id: 2, name: 'Harbour', slug: 'harbour', description: null }, tags: [{ id: 3, name: 'Ports', slug: 'ports' }, { id: 4, name: 'Tides', slug: 'tides' }], authors: [author], featuredImage: image }).value;
    assert.deepEqual(meta(markup, 'og:type'), ['article']);
    assert.deepEqual(meta(markup, 'og:title'), ['Talks &quot;resume&quot; &lt;script&gt;alert(1)&lt;/script&gt;']);
    assert.deepEqual(meta(markup, 'og:description'), ['First &amp; second words.'], 'from the text when there is no dek');
    assert.deepEqual(meta(markup, 'og:url'), ['https://news.example/stories/talks-resume']);
    assert.deepEqual(meta(markup, 'og:site_name'), ['The &quot;Readout&quot; Ledger']);
    assert.deepEqual(meta(markup, 'og:locale'), ['en_US']);
    assert.deepEqual(meta(markup, 'og:image'), ['https://news.example/media/2026/11/abc-1600.webp']);
    assert.deepEqual(meta(markup, 'og:image:width'), ['1600']);
    assert.deepEqual(meta(markup, 'og:image:height'), ['900']);
    assert.deepEqual(meta(markup, 'og:image:alt'), ['Cranes &amp; &quot;ships&quot;']);
    assert.deepEqual(meta(markup, 'article:published_time'), ['2026-11-27T07:30:00.000Z']);
    assert.deepEqual(meta(markup, 'article:modified_time'), ['2026-11-27T11:00:00.000Z']);
    assert.deepEqual(meta(markup, 'article:section'), ['Harbour']);
    assert.deepEqual(meta(markup, 'article:tag'), ['Ports', 'Tides']);
    assert.deepEqual(meta(markup, 'article:author'), ['https://news.example/authors/amina-castell']);
    assert.deepEqual(meta(markup, 'twitter:card'), ['summary_large_image']);
    assert.deepEqual(meta(markup, 'twitter:image'), ['https://news.example/media/2026/11/abc-1600.webp']);
    assert.doesNotMatch(markup, /<script/);
  });

  it('gives a story without an image a summary card and no image tags; its dek as description', () => {
    const markup = storyPreviewTags(site, { story: { ...story, dek: 'A dek.', updated_at: null }, section: undefined, tags: [], authors: [] }).value;
    assert.deepEqual(meta(markup, 'twitter:card'), ['summary']);
    assert.deepEqual(meta(markup, 'og:description'), ['A dek.']);
    assert.deepEqual(meta(markup, 'article:modified_time'), ['2026-11-27T07:30:00.000Z']);
    assert.doesNotMatch(markup, /og:image|twitter:image|article:section|article:tag/);
  });

  it('gives other pages basic OpenGraph tags, and the front page the WebSite JSON-LD', () => {
    const markup = pagePreviewTags(site, { title: 'Harbour', url: 'https://news.example/sections/harbour', description: 'Ships & <tides>' }).value;
    assert.deepEqual(meta(markup, 'og:type'), ['website']);
    assert.deepEqual(meta(markup, 'og:title'), ['Harbour']);
    assert.deepEqual(meta(markup, 'og:description'), ['Ships &amp; &lt;tides&gt;']);
    assert.deepEqual(meta(markup, 'twitter:card'), ['summary']);
    const front = frontPageHead(site, { title: site.siteName, url: 'https://news.example/' }).value;
    assert.match(front, /<script type="application\/ld\+json">\{"@context":"https:\/\/schema.org","@type":"WebSite"/);
    assert.match(front, /"@type":"NewsMediaOrganization"/);
    assert.equal(ogLocale('pt-BR'), 'pt_BR');
  });
});
