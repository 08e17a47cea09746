import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersonRow, SourceRow, StoryRow } from '../../db/schema.js';
import { breadcrumbJsonLd, jsonLdScript, newsArticleJsonLd, textOfHtml, webSiteJsonLd } from './structured-data.js';

const site = { siteName: 'The Readout Ledger', publicUrl: 'https://news.example', lang: 'en-US', assets: { icon: '/assets/favicon.abc123.svg' } };

const story: StoryRow = {
  id: 7,
  slug: 'talks-resume',
  headline: 'Talks resume, according to a readout',
  dek: 'Both sides call the call "constructive".',
  byline: 'By Amina Castell and Tomas Varga',
  dateline: 'PORT ELLIS',
  body_source: 'Body',
  body_html: '<p>Body</p>\n',
  status: 'published',
  published_at: '2026-11-27T07:30:00.000Z',
  updated_at: null,
  related_story_id: null,
  created_at: '2026-11-27T07:00:00.000Z',
  modified_at: '2026-11-27T07:30:00.000Z',
  section_id: null,
  created_by: null,
  featured_media_id: null,
  comments_open: 1,
  comments_premoderated: 0,
  comments_close_after_days: null,
  comment_threads: 0,
};

const person = (id: number, name: string): PersonRow => ({
  id,
  name,
  slug: name.toLowerCase().replace(/ /g, '-'),
  bio: null,
  created_at: story.created_at,
  email: `${id}@example.org`,
  role: 'author',
  password_hash: 'secret-hash',
  must_change_password: 0,
  disabled_at: null,
});

const sources: SourceRow[] = [
  { id: 1, story_id: 7, position: 0, title: 'Readout of the call', outlet: 'Harbour Authority', url: 'https://example.org/readout', published_on: '2026-11-26' },
  { id: 2, story_id: 7, position: 1, title: 'Union statement', outlet: null, url: 'https://example.org/union', published_on: null },
];

const correction = {
  id: 3,
  story_id: 7,
  kind: 'correction' as const,
  body_html: '<p>An earlier version misstated the <em>date</em> of the talks &amp; the venue. They resume on <a href="https://example.org">Monday</a>.</p>\n',
  created_at: '2026-11-28T10:00:00.000Z',
};

describe('NewsArticle JSON-LD', () => {
  it('describes the story: headline, dek, dates, authors, publisher, canonical URL', () => {
    const data = newsArticleJsonLd({ site, page: { story, authors: [person(1, 'Amina Castell'), person(2, 'Tomas Varga')], sources: [] }, corrections: [] });
    assert.deepEqual(data, {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: story.headline,
      description: story.dek,
      url: 'https://news.example/stories/talks-resume',
      mainEntityOfPage: { '@type': 'WebPage', '@id': 'https://news.example/stories/talks-resume' },
      inLanguage: 'en-US',
      datePublished: '2026-11-27T07:30:00.000Z',
      dateModified: '2026-11-27T07:30:00.000Z',
      dateline: 'PORT ELLIS',
      author: [
        { '@type': 'Person', name: 'Amina Castell', url: 'https://news.example/authors/amina-castell' },
        { '@type': 'Person', name: 'Tomas Varga', url: 'https://news.example/authors/tomas-varga' },
      ],
      publisher: {
        '@type': 'NewsMediaOrganization',
        name: 'The Readout Ledger',
        url: 'https://news.example/',
        logo: { '@type': 'ImageObject', url: 'https://news.example/assets/favicon.abc123.svg' },
      },
    });
  });

  it('never carries staff details of the authors (email, role, password hash)', () => {
    const text = JSON.stringify(newsArticleJsonLd({ site, page: { story, authors: [person(1, 'Amina Castell')], sources }, corrections: [] }));
    assert.doesNotMatch(text, /1@example\.org|secret-hash|"role"|"slug"|"email"/);
  });

  it('gives the featured image as an absolute ImageObject, and no image without one', () => {
    const featuredImage = { id: 4, alt: 'Cranes', src: '/media/2026/11/abc-1600.webp', width: 1600, height: 900, srcset: [], createdAt: story.created_at };
    const data = newsArticleJsonLd({ site, page: { story, authors: [], sources: [], featuredImage }, corrections: [] });
    assert.deepEqual(data.image, { '@type': 'ImageObject', url: 'https://news.example/media/2026/11/abc-1600.webp', width: 1600, height: 900, caption: 'Cranes' });
    assert.equal('image' in newsArticleJsonLd({ site, page: { story, authors: [], sources: [] }, corrections: [] }), false);
  });

  it('uses the updated time as dateModified when the story was updated', () => {
    const data = newsArticleJsonLd({ site, page: { story: { ...story, updated_at: '2026-11-27T11:05:00.000Z' }, authors: [], sources: [] }, corrections: [] });
    assert.equal(data.dateModified, '2026-11-27T11:05:00.000Z');
    assert.equal(data.datePublished, '2026-11-27T07:30:00.000Z');
    assert.equal('author' in data, false);
  });

  it('lists the sources as citations and the corrections as CorrectionComments', () => {
    const data = newsArticleJsonLd({ site, page: { story, authors: [], sources }, corrections: [correction, { ...correction, id: 4, kind: 'clarification', body_html: '<p>Plain.</p>' }] });
    assert.deepEqual(data.citation, [
      {
        '@type': 'CreativeWork',
        name: 'Readout of the call',
        url: 'https://example.org/readout',
        publisher: { '@type': 'Organization', name: 'Harbour Authority' },
        datePublished: '2026-11-26',
      },
      { '@type': 'CreativeWork', name: 'Union statement', url: 'https://example.org/union' },
    ]);
    assert.deepEqual(data.correction, [
      {
        '@type': 'CorrectionComment',
        name: 'Correction',
        text: 'An earlier version misstated the date of the talks & the venue. They resume on Monday.',
        datePublished: '2026-11-28T10:00:00.000Z',
        url: 'https://news.example/stories/talks-resume#correction-3',
      },
      {
        '@type': 'CorrectionComment',
        name: 'Clarification',
        text: 'Plain.',
        datePublished: '2026-11-28T10:00:00.000Z',
        url: 'https://news.example/stories/talks-resume#correction-4',
      },
    ]);
  });

  it('embeds as a data block that no headline can end, and parses back to the same data', () => {
    const headline = 'Bad </script><script>alert(1)</script> <!-- & \u2028 headline';
    const data = newsArticleJsonLd({ site, page: { story: { ...story, headline }, authors: [], sources: [] }, corrections: [] });
    const markup = jsonLdScript(data).value;
    assert.match(markup, /^<script type="application\/ld\+json">[^<]*<\/script>$/);
    assert.equal(markup.match(/<\/script/gi)?.length, 1);
    assert.doesNotMatch(markup, /<!--/);
    const content = /^<script type="application\/ld\+json">(.*)<\/script>$/s.exec(markup)?.[1] ?? '';
    assert.deepEqual(JSON.parse(content), data);
    assert.equal((JSON.parse(content) as { headline: string }).headline, headline);
  });
});

describe('comments, breadcrumbs and the website in JSON-LD', () => {
  const comment = (id: number, status: 'approved' | 'deleted' | 'pending', extra: { edited_at?: string } = {}) => ({
    id,
    story_id: 7,
    parent_id: null,
    depth: 1,
    author_name: `Reader ${id}`,
    author_url: 'https://reader.example',
    author_email: `reader${id}@example.org`,
    email_key: `key-${id}`,
    body_html: `<p>Comment &amp; text ${id}</p>\n<p>Second paragraph.</p>`,
    created_at: '2026-11-27T08:00:00.000Z',
    edited_at: extra.edited_at ?? null,
    status,
  });

  it('counts the approved comments and describes those shown as Comments with permalinks, never an address', () => {
    const shown = [comment(11, 'approved'), comment(12, 'deleted'), comment(13, 'pending'), comment(14, 'approved', { edited_at: '2026-11-27T08:05:00.000Z' })];
    const data = newsArticleJsonLd({ site, page: { story, authors: [], sources: [] }, corrections: [], comments: { shown, total: 40 } });
    assert.equal(data.commentCount, 40);
    assert.deepEqual(data.comment, [
      {
        '@type': 'Comment',
        url: 'https://news.example/comment/11',
        author: { '@type': 'Person', name: 'Reader 11' },
        datePublished: '2026-11-27T08:00:00.000Z',
        text: 'Comment & text 11 Second paragraph.',
      },
      {
        '@type': 'Comment',
        url: 'https://news.example/comment/14',
        author: { '@type': 'Person', name: 'Reader 14' },
        datePublished: '2026-11-27T08:00:00.000Z',
        dateModified: '2026-11-27T08:05:00.000Z',
        text: 'Comment & text 14 Second paragraph.',
      },
    ]);
    assert.doesNotMatch(JSON.stringify(data), /@example\.org|key-1|reader\.example/);
  });

  it('gives a story without comments a count of 0 and no comment list', () => {
    const data = newsArticleJsonLd({ site, page: { story, authors: [], sources: [] }, corrections: [], comments: { shown: [], total: 0 } });
    assert.equal(data.commentCount, 0);
    assert.equal('comment' in data, false);
  });

  it('builds the breadcrumb Home → section → story, and Home → story without a section', () => {
    assert.deepEqual(breadcrumbJsonLd(site, { story, section: { name: 'Harbour & Port', slug: 'harbour-port' } }), {
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, name: 'The Readout Ledger', item: 'https://news.example/' },
        { '@type': 'ListItem', position: 2, name: 'Harbour & Port', item: 'https://news.example/sections/harbour-port' },
        { '@type': 'ListItem', position: 3, name: story.headline, item: 'https://news.example/stories/talks-resume' },
      ],
    });
    const short = breadcrumbJsonLd(site, { story, section: undefined }).itemListElement as { position: number; item: string }[];
    assert.deepEqual(short.map((s) => [s.position, s.item]), [[1, 'https://news.example/'], [2, 'https://news.example/stories/talks-resume']]);
  });

  it('describes the website with a SearchAction, and the organization with its logo', () => {
    const [website, organization] = webSiteJsonLd(site);
    assert.deepEqual(website?.potentialAction, {
      '@type': 'SearchAction',
      target: 'https://news.example/search?q={search_term_string}',
      'query-input': 'required name=search_term_string',
    });
    assert.equal(website?.['@type'], 'WebSite');
    assert.equal(website?.url, 'https://news.example/');
    assert.deepEqual(organization, {
      '@context': 'https://schema.org',
      '@type': 'NewsMediaOrganization',
      name: 'The Readout Ledger',
      url: 'https://news.example/',
      logo: { '@type': 'ImageObject', url: 'https://news.example/assets/favicon.abc123.svg' },
    });
  });
});

describe('text of rendered Markdown', () => {
  it('drops tags, keeps words apart across blocks, and decodes entities', () => {
    assert.equal(textOfHtml('<p>One &quot;two&quot;</p>\n<ul>\n<li>three</li>\n<li>four&#39;s &#x2014; &lt;b&gt;</li>\n</ul>\n'), 'One "two" three four\'s — <b>');
    assert.equal(textOfHtml('<p>a <strong>b</strong>c &unknown; &#0;</p>'), 'a bc &unknown; &#0;');
  });
});
