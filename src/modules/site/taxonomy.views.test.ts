import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateFormatter } from '../../lib/dates.js';
import type { SiteContext } from '../../views/layout.js';
import type { StoryListItem } from '../stories/index.js';
import { renderAuthorPage, renderPager, renderSectionPage, renderTagPage } from './taxonomy.views.js';

const site = {
  siteName: 'The Readout Ledger',
  publicUrl: 'https://news.example',
  lang: 'en-US',
  assets: { css: '/site.css', js: '/comments.js', icon: '/favicon.svg' },
  dates: dateFormatter('en-US', 'UTC'),
} as SiteContext;

const story = (id: number, section?: { name: string; slug: string }): StoryListItem => ({
  id,
  slug: `story-${id}`,
  headline: `Story ${id}`,
  dek: null,
  byline: 'By A Reporter',
  published_at: '2026-11-26T12:00:00.000Z',
  updated_at: null,
  comment_count: id,
  section_name: section?.name ?? null,
  section_slug: section?.slug ?? null,
});

describe('listing views', () => {
  it('links newer and older pages with rel prev and next, and shows no pager for a single page', () => {
    assert.equal(renderPager('/tags/x', { page: 1, hasNext: false }), '');
    assert.equal(String(renderPager('/tags/x', { page: 1, hasNext: true })), '<nav class="pagination" aria-label="More stories"><a rel="next" href="/tags/x?page=2">Older stories</a></nav>');
    assert.equal(
      String(renderPager('/tags/x', { page: 2, hasNext: true })),
      '<nav class="pagination" aria-label="More stories"><a rel="prev" href="/tags/x">Newer stories</a> <a rel="next" href="/tags/x?page=3">Older stories</a></nav>',
    );
    assert.match(String(renderPager('/tags/x', { page: 4, hasNext: false })), /<a rel="prev" href="\/tags\/x\?page=3">/);
  });

  it('renders a section page with its description on page 1 only, its canonical URL, and no repeated section kicker', () => {
    const section = { id: 1, name: 'City Hall', slug: 'city-hall', description: 'Council & mayor.' };
    const home = { name: 'City Hall', slug: 'city-hall' };
    const first = renderSectionPage(site, { subject: section, stories: [story(1, home)], page: 1, hasNext: false });
    assert.match(first, /<link rel="canonical" href="https:\/\/news.example\/sections\/city-hall">/);
    assert.match(first, /<title>City Hall – The Readout Ledger<\/title>/);
    assert.match(first, /<meta name="description" content="Council &amp; mayor.">/);
    assert.match(first, /<p class="listing-description">Council &amp; mayor.<\/p>/);
    assert.doesNotMatch(first, /class="kicker"/);
    assert.match(first, /#comments">1 comment<\/a>/);
    const third = renderSectionPage(site, { subject: section, stories: [story(2, home)], page: 3, hasNext: false });
    assert.match(third, /<link rel="canonical" href="https:\/\/news.example\/sections\/city-hall\?page=3">/);
    assert.match(third, /<h1 class="page-title">City Hall, page 3<\/h1>/);
    assert.doesNotMatch(third, /listing-description/);
  });

  it('renders a tag page with each story’s section kicker, escaping names', () => {
    const page = renderTagPage(site, { subject: { id: 2, name: '<script>x</script>', slug: 'script-x-script' }, stories: [story(3, { name: 'A&B', slug: 'a-b' })], page: 1, hasNext: true });
    assert.match(page, /<h1 class="page-title">&lt;script&gt;x&lt;\/script&gt;<\/h1>/);
    assert.match(page, /<p class="kicker"><a href="\/sections\/a-b">A&amp;B<\/a><\/p>/);
    assert.match(page, /<a rel="next" href="\/tags\/script-x-script\?page=2">/);
    assert.doesNotMatch(page, /<script>x/);
  });

  it('renders an author page with the bio in paragraphs, or a plain description without one', () => {
    const author = { id: 3, name: 'Amina Castell', slug: 'amina-castell', bio: 'Covers the port.\n\n  Based in <Port> Ellis.  ' };
    const page = renderAuthorPage(site, { subject: author, stories: [story(4)], page: 1, hasNext: false });
    assert.match(page, /<div class="author-bio"><p>Covers the port.<\/p><p>Based in &lt;Port&gt; Ellis.<\/p><\/div>/);
    assert.match(page, /<meta name="description" content="Covers the port. Based in &lt;Port&gt; Ellis.">/);
    const long = renderAuthorPage(site, { subject: { ...author, bio: 'word '.repeat(100) }, stories: [story(4)], page: 1, hasNext: false });
    assert.match(long, /<meta name="description" content="(word ){39}word…">/);
    const none = renderAuthorPage(site, { subject: { ...author, bio: null }, stories: [story(4)], page: 1, hasNext: false });
    assert.doesNotMatch(none, /author-bio/);
    assert.match(none, /<meta name="description" content="The latest stories by Amina Castell.">/);
  });
});
