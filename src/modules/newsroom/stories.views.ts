import type { SourceRow, StoryRow, StoryStatus } from '../../db/schema.js';
import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import type { ActiveSession } from '../people/index.js';
import { can } from '../people/index.js';
import type { RevisionDiff, StoryFormInput } from '../stories/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

const statuses: StoryStatus[] = ['draft', 'scheduled', 'published', 'unpublished'];

export interface StoryListView {
  session: ActiveSession;
  stories: { id: number; headline: string; status: StoryStatus; byline: string; published_at: string | null; modified_at: string }[];
  status?: StoryStatus;
  search?: string;
  sectionId?: number;
  authorId?: number;
  choices: { sections: { id: number; name: string }[]; authors: { id: number; name: string }[] };
  page: number;
  hasNext: boolean;
}

export function renderStoryList(site: SiteContext, v: StoryListView): string {
  const query = (page: number) =>
    `/admin/stories?${new URLSearchParams({
      ...(v.status ? { status: v.status } : {}),
      ...(v.search ? { q: v.search } : {}),
      ...(v.sectionId ? { section: String(v.sectionId) } : {}),
      ...(v.authorId ? { author: String(v.authorId) } : {}),
      page: String(page),
    })}`;
  const select = (name: string, label: string, options: { id: number; name: string }[], selected: number | undefined) =>
    html`<label for="${name}">${label}</label> <select id="${name}" name="${name}"><option value="">all</option>${options.map(
      (o) => html`<option value="${o.id}"${o.id === selected ? raw(' selected') : ''}>${o.name}</option>`,
    )}</select>`;
  return adminPage(site, {
    title: 'Stories',
    session: v.session,
    main: html`<h1 class="page-title">Stories</h1>
${can(v.session.actor, 'story.create') ? html`<p><a href="/admin/stories/new" class="button">Write a new story</a></p>` : ''}
<form method="get" action="/admin/stories" class="filters" role="search">
<label for="status">Status</label> <select id="status" name="status"><option value="">all</option>${statuses.map(
      (s) => html`<option value="${s}"${v.status === s ? raw(' selected') : ''}>${s}</option>`,
    )}</select>
${select('section', 'Section', v.choices.sections, v.sectionId)}
${select('author', 'Author', v.choices.authors, v.authorId)}
<label for="q">Headline</label> <input id="q" name="q" type="search" value="${v.search ?? ''}">
<button type="submit">Filter</button>
</form>
${
  v.stories.length === 0
    ? html`<p>No stories match.</p>`
    : html`<table class="admin-table">
<thead><tr><th scope="col">Headline</th><th scope="col">Status</th><th scope="col">Byline</th><th scope="col">Published</th><th scope="col">Last change</th></tr></thead>
<tbody>
${v.stories.map(
  (s) => html`<tr><td><a href="/admin/stories/${s.id}/edit">${s.headline}</a></td><td>${s.status}</td><td>${s.byline}</td><td>${
    s.published_at ? timeTag(site, s.published_at) : '—'
  }</td><td>${timeTag(site, s.modified_at)}</td></tr>
`,
)}</tbody>
</table>`
}
<nav class="pagination" aria-label="More stories">${v.page > 1 ? html`<a rel="prev" href="${query(v.page - 1)}">Newer</a>` : ''} ${
      v.hasNext ? html`<a rel="next" href="${query(v.page + 1)}">Older</a>` : ''
    }</nav>`,
  });
}

export interface EditorView {
  session: ActiveSession;
  story?: StoryRow;
  values: StoryFormInput;
  errors?: FieldErrors;
  publishAt?: string;
  preview?: SafeHtml;
  saved?: string;
  mayEdit: boolean;
  /** Recent uploads to choose the featured image from (id and alt text). */
  images?: readonly { id: number; alt: string }[];
}

/** Story values for the editor form from a stored story. */
export function formValuesOf(
  story: StoryRow,
  sources: SourceRow[],
  extra: { relatedSlug: string; section: string; tags: string; authors: string },
): StoryFormInput {
  const relatedSlug = extra.relatedSlug;
  return {
    authors: extra.authors,
    section: extra.section,
    tags: extra.tags,
    headline: story.headline,
    slug: story.slug,
    dek: story.dek ?? '',
    byline: story.byline,
    dateline: story.dateline ?? '',
    body: story.body_source,
    related: relatedSlug,
    featuredMediaId: story.featured_media_id === null ? '' : String(story.featured_media_id),
    comments: {
      open: story.comments_open === 1,
      premoderated: story.comments_premoderated === 1,
      closeAfterDays: story.comments_close_after_days === null ? '' : String(story.comments_close_after_days),
    },
    sources: sources.map((s) => ({ title: s.title, outlet: s.outlet ?? '', url: s.url, date: s.published_on ?? '' })),
  };
}

export function renderEditor(site: SiteContext, v: EditorView): string {
  const e = v.errors ?? {};
  const story = v.story;
  const mayPublish = can(v.session.actor, 'story.publish');
  const rows = [...v.values.sources, ...Array.from({ length: 2 }, () => ({ title: '', outlet: '', url: '', date: '' }))];
  const input = (name: Exclude<keyof StoryFormInput, 'sources' | 'body' | 'comments'>, label: string, hint?: string) => html`<p class="field${e[name] ? ' has-error' : ''}">
<label for="${name}">${label}</label>${hint ? html` <span class="hint" id="${name}-hint">${hint}</span>` : ''}
${e[name] ? html`<span class="field-error" id="${name}-error">${e[name]}</span>` : ''}
<input id="${name}" name="${name}" type="text" value="${v.values[name] ?? ''}"${e[name] ? raw(' aria-invalid="true"') : ''}${
    e[name] || hint ? html` aria-describedby="${[e[name] ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ')}"` : ''
  }></p>`;
  return adminPage(site, {
    title: story ? `Edit: ${story.headline}` : 'New story',
    session: v.session,
    scripts: [site.assets.admin],
    main: html`<h1 class="page-title">${story ? 'Edit story' : 'New story'}</h1>
${story ? html`<p class="story-status">Status: <strong>${story.status}</strong>${story.published_at ? html` · ${story.status === 'scheduled' ? 'scheduled for' : 'published'} ${timeTag(site, story.published_at)}` : ''}${
      story.status === 'published' ? html` · <a href="/stories/${story.slug}">view</a>` : ''
    } · <a href="/admin/stories/${story.id}/revisions">revisions</a>${
      story.status === 'published' ? html` · <a href="/admin/stories/${story.id}/corrections">corrections</a>` : ''
    }</p>` : ''}
${v.saved ? html`<p class="notice" role="status">${v.saved}</p>` : ''}
${!v.mayEdit ? html`<p class="notice" role="status">You can read this story but not change it: authors may edit only their own drafts.</p>` : ''}
<form method="post" action="${story ? `/admin/stories/${story.id}` : '/admin/stories'}" class="admin-form story-editor" novalidate>
${Object.keys(e).length > 0 ? html`<div class="form-errors" role="alert"><p>The story was not saved. Please correct the fields marked below.</p>${
      e.publish_at ? html`<p class="field-error">${e.publish_at}</p>` : ''
    }</div>` : ''}
${csrfField(v.session)}
${input('headline', 'Headline')}
${input('slug', 'Slug', 'The address: /stories/slug. Leave empty to make it from the headline.')}
${input('dek', 'Standfirst (dek)')}
${input('byline', 'Byline', 'As readers see it, e.g. "By Amina Castell".')}
${input('authors', 'Authors', 'Names separated by commas, for their author pages; empty: the names in the byline.')}
${input('dateline', 'Dateline')}
<p class="field${e.body ? ' has-error' : ''}"><label for="body">Story (Markdown)</label>
${e.body ? html`<span class="field-error" id="body-error">${e.body}</span>` : ''}
<textarea id="body" name="body" rows="20" cols="80" data-preview="story-preview"${e.body ? raw(' aria-invalid="true" aria-describedby="body-error"') : ''}>${v.values.body}</textarea></p>
<section class="preview" aria-labelledby="preview-title"><h2 id="preview-title">Preview</h2>
<div id="story-preview" class="story-body" aria-live="polite">${v.preview ?? html`<p class="hint">Press “Preview” to see the story as readers will.</p>`}</div></section>
<fieldset class="sources"><legend>Sources</legend>
<p class="hint">To reorder, change the numbers in “Position” and save.</p>
${rows.map(
  (s, i) => html`<div class="source-row">
<p class="field"><label for="source-${i}-order">Position ${i + 1}</label> <input id="source-${i}-order" name="sources[${i}][order]" type="number" min="1" max="100" value="${i + 1}"></p>
${(['title', 'outlet', 'url', 'date'] as const).map((f) => {
  const key = `sources.${i}.${f}`;
  const id = `source-${i}-${f}`;
  return html`<p class="field${e[key] ? ' has-error' : ''}"><label for="${id}">${{ title: 'Title', outlet: 'Outlet', url: 'Address', date: 'Date (YYYY-MM-DD)' }[f]} ${i + 1}</label>
${e[key] ? html`<span class="field-error" id="${id}-error">${e[key]}</span>` : ''}<input id="${id}" name="sources[${i}][${f}]" value="${s[f]}"${
    e[key] ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''
  }></p>`;
})}</div>
`,
)}</fieldset>
${input('related', 'Related story (slug)')}
${renderFeaturedImageField(v, e)}
${input('section', 'Section', 'e.g. Politics; a new name creates the section.')}
${input('tags', 'Tags', 'Separated by commas, e.g. harbour, strikes.')}
${renderCommentSettingsFields(v, e)}
${e.sources ? html`<p class="field-error" role="alert">${e.sources}</p>` : ''}
${story?.status === 'published' ? html`<p><input type="checkbox" id="substantive" name="substantive" value="yes"> <label for="substantive">Substantive update: show readers an “Updated” time</label></p>` : ''}
<p class="field"><label for="note">Note for the revision history (optional)</label> <input id="note" name="note" type="text" value=""></p>
${mayPublish ? html`<p class="field${e.publish_at ? ' has-error' : ''}"><label for="publish_at">Publish at (${site.timeZone})</label> <input id="publish_at" name="publish_at" type="datetime-local" value="${v.publishAt ?? ''}"></p>` : ''}
${v.mayEdit ? html`<p class="actions">
<button type="submit" name="action" value="preview">Preview</button>
<button type="submit" name="action" value="save">${story?.status === 'published' ? 'Save changes' : 'Save draft'}</button>
${mayPublish ? html`<button type="submit" name="action" value="publish">${story?.status === 'published' ? 'Save and keep published' : 'Publish now'}</button>
<button type="submit" name="action" value="schedule">Schedule</button>
${story && story.status !== 'draft' && story.status !== 'unpublished' ? html`<button type="submit" name="action" value="unpublish">Unpublish</button>` : ''}` : ''}
</p>` : ''}
</form>`,
  });
}

/** The story's comment settings: open or closed, pre-moderation, and when they close (blank: the site default). */
function renderCommentSettingsFields(v: EditorView, e: FieldErrors): SafeHtml {
  const c = v.values.comments ?? { open: true, premoderated: false, closeAfterDays: '' };
  const error = e.comments_close_after_days;
  return html`<fieldset class="story-comment-settings"><legend>Comments</legend>
<input type="hidden" name="comments_settings" value="1">
<p class="field"><input type="checkbox" id="comments_open" name="comments_open" value="yes"${c.open ? raw(' checked') : ''}> <label for="comments_open">Comments open</label> <span class="hint">Unticked: readers see “Comments are closed.”; existing comments stay visible.</span></p>
<p class="field"><input type="checkbox" id="comments_premoderated" name="comments_premoderated" value="yes"${c.premoderated ? raw(' checked') : ''}> <label for="comments_premoderated">Pre-moderate all comments</label> <span class="hint">Every comment waits for a moderator.</span></p>
<p class="field${error ? ' has-error' : ''}"><label for="comments_close_after_days">Close comments after (days)</label> <span class="hint" id="comments_close_after_days-hint">Counted from publication. Empty: the site default (<a href="/admin/comments/settings">comment settings</a>); 0: never.</span>
${error ? html`<span class="field-error" id="comments_close_after_days-error">${error}</span>` : ''}<input id="comments_close_after_days" name="comments_close_after_days" type="number" min="0" max="3650" step="1" inputmode="numeric" value="${c.closeAfterDays}" aria-describedby="${
    error ? 'comments_close_after_days-error comments_close_after_days-hint' : 'comments_close_after_days-hint'
  }"${error ? raw(' aria-invalid="true"') : ''}></p>
</fieldset>`;
}

/** The featured-image choice: none, or one of the recent uploads (the current one always listed). */
function renderFeaturedImageField(v: EditorView, e: FieldErrors): SafeHtml {
  const current = v.values.featuredMediaId ?? '';
  const images = [...(v.images ?? [])];
  if (current !== '' && !images.some((i) => String(i.id) === current)) images.unshift({ id: Number(current), alt: `image ${current}` });
  const error = e.featured_media_id;
  return html`<p class="field${error ? ' has-error' : ''}"><label for="featured_media_id">Featured image</label> <span class="hint" id="featured_media_id-hint">Shown above the story. <a href="/admin/media">Upload images</a> first.</span>
${error ? html`<span class="field-error" id="featured_media_id-error">${error}</span>` : ''}
<select id="featured_media_id" name="featured_media_id" aria-describedby="${error ? 'featured_media_id-error featured_media_id-hint' : 'featured_media_id-hint'}"${error ? raw(' aria-invalid="true"') : ''}>
<option value="">None</option>
${images.map((i) => html`<option value="${i.id}"${String(i.id) === current ? raw(' selected') : ''}>#${i.id}: ${i.alt}</option>`)}
</select></p>`;
}

export function renderRevisions(
  site: SiteContext,
  v: {
    session: ActiveSession;
    story: StoryRow;
    revisions: { number: number; created_at: string; author_name: string | null; note: string | null }[];
    diff?: RevisionDiff;
    mayRestore: boolean;
  },
): string {
  const newest = v.revisions[0]?.number ?? 0;
  const from = v.diff?.from ?? Math.max(1, newest - 1);
  const to = v.diff?.to ?? newest;
  return adminPage(site, {
    title: `Revisions: ${v.story.headline}`,
    session: v.session,
    main: html`<h1 class="page-title">Revisions of “${v.story.headline}”</h1>
<p><a href="/admin/stories/${v.story.id}/edit">Back to the editor</a></p>
${v.diff ? renderDiff(v.diff) : ''}
<form method="get" action="/admin/stories/${v.story.id}/revisions">
<table class="admin-table">
<thead><tr><th scope="col">Revision</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Note</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
<tbody>
${v.revisions.map(
  (r) => html`<tr><td>${r.number}</td><td>${timeTag(site, r.created_at)}</td><td>${r.author_name ?? 'command line or scheduler'}</td><td>${r.note ?? ''}</td>
<td><input type="radio" name="from" value="${r.number}" aria-label="Compare from revision ${r.number}"${r.number === from ? raw(' checked') : ''}></td>
<td><input type="radio" name="to" value="${r.number}" aria-label="Compare to revision ${r.number}"${r.number === to ? raw(' checked') : ''}></td></tr>
`,
)}</tbody>
</table>
<p><button type="submit">Compare</button></p>
</form>
${
  v.mayRestore
    ? html`<form method="post" action="/admin/stories/${v.story.id}/restore" class="inline-form">${csrfField(v.session)}
<label for="restore-number">Restore revision</label> <select id="restore-number" name="number">${v.revisions.map(
        (r) => html`<option value="${r.number}">${r.number}</option>`,
      )}</select> <button type="submit">Restore</button></form>`
    : ''
}`,
  });
}

function renderDiff(diff: RevisionDiff): SafeHtml {
  return html`<section class="revision-diff" aria-labelledby="diff-title">
<h2 id="diff-title">Changes from revision ${diff.from} to ${diff.to}</h2>
${
  diff.fields.length === 0
    ? html`<p>No differences.</p>`
    : diff.fields.map(
        (f) => html`<h3>${f.field}</h3>
<pre class="diff">${f.lines.map((l) =>
          l.op === 'same' ? html`<span>  ${l.text}</span>
` : l.op === 'added' ? html`<ins>+ ${l.text}</ins>
` : html`<del>- ${l.text}</del>
`,
        )}</pre>`,
      )
}
</section>`;
}
