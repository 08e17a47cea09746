import { html, type SafeHtml } from '../../lib/html.js';
import { renderPage, timeTag, type SiteContext } from '../../views/layout.js';
import { markedToHtml, maxQueryLength, searchPageSize, type SearchHit, type SearchResults } from '../search/index.js';
import { storyPath } from '../stories/index.js';
import { sectionPath } from '../taxonomy/index.js';

export interface SearchForm {
  q: string;
  section: string;
  from: string;
  to: string;
}

export interface SearchPageOptions {
  form: SearchForm;
  sections: readonly { name: string; slug: string }[];
  /** Absent when the search was refused (then `error` says why). */
  results?: SearchResults;
  error?: string;
}

/**
 * The search page: a GET form that works without JavaScript (labelled fields, the reader's input
 * kept, the error next to the box), the result count, up to 20 results with highlighted headline
 * and snippet, and rel prev/next links. Never indexed by search engines.
 */
export function renderSearchPage(site: SiteContext, o: SearchPageOptions): string {
  const { form, results } = o;
  const asked = results?.asked === true;
  const title = asked ? `Search: ${form.q}${results.page > 1 ? `, page ${results.page}` : ''}` : 'Search';
  const main = html`<h1 class="page-title">Search</h1>
${renderForm(form, o.sections, o.error)}
${asked ? renderResults(site, form, results) : ''}`;
  return renderPage(site, { title, noindex: true, description: `Search the stories of ${site.siteName}.`, main });
}

/**
 * The value of a date input: a real YYYY-MM-DD date, or empty (HTML allows nothing else there, and
 * browsers would blank it anyway; the error message above says what was wrong).
 */
function dateValue(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  return date && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : '';
}

function renderForm(form: SearchForm, sections: SearchPageOptions['sections'], error: string | undefined): SafeHtml {
  const invalid = error ? html` aria-invalid="true" aria-describedby="search-error"` : '';
  return html`<form class="search-form" action="/search" method="get" role="search">
<p><label for="search-q">Search stories</label>
<input type="search" id="search-q" name="q" value="${form.q}" maxlength="${maxQueryLength}"${invalid}>
${error ? html`<span id="search-error" class="field-error">${error}</span>` : ''}</p>
<p><label for="search-section">Section</label>
<select id="search-section" name="section">
<option value="">All sections</option>
${sections.map((s) => html`<option value="${s.slug}"${s.slug === form.section ? html` selected` : ''}>${s.name}</option>`)}
</select></p>
<p><label for="search-from">Published from</label>
<input type="date" id="search-from" name="from" value="${dateValue(form.from)}">
<label for="search-to">to</label>
<input type="date" id="search-to" name="to" value="${dateValue(form.to)}"></p>
<p><button type="submit">Search</button></p>
</form>`;
}

function renderResults(site: SiteContext, form: SearchForm, results: SearchResults): SafeHtml {
  if (results.total === 0) {
    return html`<p class="search-count" role="status">No stories match “${form.q}”.</p>
<p>Check the spelling, use fewer words, or widen the section and dates.</p>`;
  }
  const first = (results.page - 1) * searchPageSize + 1;
  const count = results.more
    ? `More than ${results.total.toLocaleString('en-US')} stories match`
    : results.total === 1
      ? '1 story matches'
      : `${results.total.toLocaleString('en-US')} stories match`;
  return html`<p class="search-count" role="status">${count} “${form.q}”${
    results.hits.length > 0 && results.total > searchPageSize ? `; showing ${first}–${first + results.hits.length - 1}` : ''
  }.${results.more ? ` The most relevant of the newest ${results.total.toLocaleString('en-US')} are shown: add words to narrow the search.` : ''}</p>
${results.hits.length > 0 ? html`<ol class="story-list search-results" start="${first}">
${results.hits.map((hit) => renderHit(site, hit))}</ol>` : html`<p>There are no more results.</p>`}
${renderPager(form, results)}`;
}

function renderHit(site: SiteContext, hit: SearchHit): SafeHtml {
  return html`<li class="story-teaser search-result">
<article>
${hit.section ? html`<p class="kicker"><a href="${sectionPath(hit.section.slug)}">${hit.section.name}</a></p>` : ''}
<h2 class="teaser-headline"><a href="${storyPath(hit.slug)}">${markedToHtml(hit.headline)}</a></h2>
${hit.snippet ? html`<p class="search-snippet">${markedToHtml(hit.snippet)}</p>` : ''}
<p class="meta"><span class="byline">${hit.byline}</span> · ${timeTag(site, hit.publishedAt)}</p>
</article>
</li>
`;
}

function renderPager(form: SearchForm, results: SearchResults): SafeHtml | '' {
  if (results.page === 1 && !results.hasNext) return '';
  return html`<nav class="pagination" aria-label="More results">${
    results.page > 1 ? html`<a rel="prev" href="${searchPath(form, results.page - 1)}">Previous results</a> ` : ''
  }${results.hasNext ? html`<a rel="next" href="${searchPath(form, results.page + 1)}">More results</a>` : ''}</nav>`;
}

/** The address of a page of a search, with only the filters that are set. */
export function searchPath(form: SearchForm, page: number): string {
  const params = new URLSearchParams({ q: form.q });
  if (form.section) params.set('section', form.section);
  if (form.from) params.set('from', form.from);
  if (form.to) params.set('to', form.to);
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}
