import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateFormatter } from '../../lib/dates.js';
import type { SiteContext } from '../../views/layout.js';
import type { PublicCorrection } from './corrections.repo.js';
import { correctionsHeading, renderCorrectionsBox, renderCorrectionsPage } from './corrections.views.js';

const site = {
  siteName: 'The Readout Ledger',
  publicUrl: 'https://news.example',
  lang: 'en-US',
  assets: { css: '/site.css', js: '/comments.js', icon: '/favicon.svg' },
  dates: dateFormatter('en-US', 'UTC'),
} as SiteContext;

const note = (id: number, kind: PublicCorrection['kind'], created_at: string): PublicCorrection => ({
  id,
  story_id: 1,
  kind,
  body_html: `<p>Note ${id}</p>\n`,
  created_at,
});

describe('corrections box on a story', () => {
  it('is headed by what it holds', () => {
    assert.equal(correctionsHeading(['correction']), 'Correction');
    assert.equal(correctionsHeading(['clarification', 'clarification']), 'Clarifications');
    assert.equal(correctionsHeading(['correction', 'clarification']), 'Corrections and clarifications');
  });

  it('shows nothing without corrections', () => {
    assert.equal(renderCorrectionsBox(site, []), '');
  });

  it('dates each note, in the given order, with an anchor; labels the kind only when both kinds are there', () => {
    const one = String(renderCorrectionsBox(site, [note(2, 'correction', '2026-11-28T10:00:00.000Z')]));
    assert.match(one, /^<section id="corrections" class="story-corrections" aria-labelledby="corrections-title">\n<h2 id="corrections-title">Correction<\/h2>/);
    assert.match(one, /<li id="correction-2" class="correction correction-correction">\n<p class="correction-meta"><time datetime="2026-11-28T10:00:00.000Z">November 28, 2026 at 10:00 AM<\/time><\/p>/);
    assert.doesNotMatch(one, /correction-kind/);
    const mixed = String(renderCorrectionsBox(site, [note(5, 'clarification', '2026-11-29T10:00:00.000Z'), note(2, 'correction', '2026-11-28T10:00:00.000Z')]));
    assert.match(mixed, /<h2 id="corrections-title">Corrections and clarifications<\/h2>/);
    assert.match(mixed, /id="correction-5"[\s\S]*<strong class="correction-kind">Clarification<\/strong>, <time[\s\S]*id="correction-2"[\s\S]*>Correction<\/strong>/);
  });
});

describe('corrections page', () => {
  const listed = (id: number) => ({ ...note(id, 'correction', '2026-11-28T10:00:00.000Z'), story_slug: 'talks', story_headline: 'Talks <resume>' });

  it('links each correction to its note on the story, with a canonical URL and pages', () => {
    const page = renderCorrectionsPage(site, { corrections: [listed(9)], page: 2, hasNext: true });
    assert.match(page, /<link rel="canonical" href="https:\/\/news.example\/corrections\?page=2">/);
    assert.match(page, /<a href="\/stories\/talks#correction-9">Talks &lt;resume&gt;<\/a>/);
    assert.match(page, /<a rel="prev" href="\/corrections">Newer corrections<\/a> <a rel="next" href="\/corrections\?page=3">Older corrections<\/a>/);
    assert.doesNotMatch(page, /noindex/);
  });

  it('says so when there are none', () => {
    assert.match(renderCorrectionsPage(site, { corrections: [], page: 1, hasNext: false }), /No corrections have been published./);
    assert.match(renderCorrectionsPage(site, { corrections: [], page: 4, hasNext: false }), /<meta name="robots" content="noindex">/);
  });
});
