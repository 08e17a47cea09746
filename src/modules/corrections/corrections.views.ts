import type { CorrectionKind } from '../../db/schema.js';
import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { renderPage, timeTag, type SiteContext } from '../../views/layout.js';
import { adminPage, csrfField } from '../newsroom/index.js';
import { can, type ActiveSession } from '../people/index.js';
import { storyPath } from '../stories/index.js';
import type { PublicCorrection, StaffCorrection } from './corrections.repo.js';
import { correctionLimits } from './corrections.schemas.js';
import type { CorrectionsDesk, CorrectionsPage } from './corrections.service.js';

const kindLabels: Record<CorrectionKind, string> = { correction: 'Correction', clarification: 'Clarification' };

/** "Correction", "Clarifications", "Corrections and clarifications": what a list of notes holds. */
export function correctionsHeading(kinds: readonly CorrectionKind[]): string {
  const distinct = new Set(kinds);
  if (distinct.size !== 1) return 'Corrections and clarifications';
  const label = kindLabels[kinds[0] as CorrectionKind];
  return kinds.length === 1 ? label : `${label}s`;
}

/**
 * The dated notes on a story page, newest first: what was corrected or clarified, and when. Each
 * note is labelled with its kind when the box holds both kinds (otherwise the heading says it).
 */
export function renderCorrectionsBox(site: SiteContext, corrections: readonly PublicCorrection[]): SafeHtml | '' {
  if (corrections.length === 0) return '';
  const mixed = new Set(corrections.map((c) => c.kind)).size > 1;
  return html`<section id="corrections" class="story-corrections" aria-labelledby="corrections-title">
<h2 id="corrections-title">${correctionsHeading(corrections.map((c) => c.kind))}</h2>
<ol class="correction-list">
${corrections.map(
  (c) => html`<li id="correction-${c.id}" class="correction correction-${c.kind}">
<p class="correction-meta">${mixed ? html`<strong class="correction-kind">${kindLabels[c.kind]}</strong>, ` : ''}${timeTag(site, c.created_at)}</p>
<div class="correction-text">
${raw(c.body_html)}</div>
</li>
`,
)}</ol>
</section>`;
}

/** The public /corrections page: every correction on a published story, newest first, each linking to its note on the story. */
export function renderCorrectionsPage(site: SiteContext, list: CorrectionsPage): string {
  const pagePath = (page: number) => (page === 1 ? '/corrections' : `/corrections?page=${page}`);
  const title = list.page > 1 ? `Corrections, page ${list.page}` : 'Corrections';
  const items = list.corrections.map(
    (c) => html`<li class="listed-correction">
<article>
<h2 class="teaser-headline"><a href="${storyPath(c.story_slug)}#correction-${c.id}">${c.story_headline}</a></h2>
<p class="meta"><strong class="correction-kind">${kindLabels[c.kind]}</strong> · ${timeTag(site, c.created_at)}</p>
<div class="correction-text">
${raw(c.body_html)}</div>
</article>
</li>
`,
  );
  const pager = html`<nav class="pagination" aria-label="More corrections">${
    list.page > 1 ? html`<a rel="prev" href="${pagePath(list.page - 1)}">Newer corrections</a> ` : ''
  }${list.hasNext ? html`<a rel="next" href="${pagePath(list.page + 1)}">Older corrections</a>` : ''}</nav>`;
  const main = html`<h1 class="page-title">${title}</h1>
<p class="page-intro">When a story gets something wrong we correct it and say so on the story, with the date. This page lists every correction and clarification, newest first.</p>
${
  items.length > 0
    ? html`<ol class="corrections-list">
${items}</ol>`
    : html`<p>${list.page > 1 ? html`There are no corrections on this page. <a href="/corrections">See the latest corrections</a>.` : 'No corrections have been published.'}</p>`
}
${list.hasNext || list.page > 1 ? pager : ''}`;
  return renderPage(site, {
    title,
    canonical: `${site.publicUrl}${pagePath(list.page)}`,
    description: `Corrections and clarifications published by ${site.siteName}.`,
    noindex: items.length === 0 && list.page > 1,
    main,
  });
}

export interface CorrectionsDeskOptions {
  session: ActiveSession;
  desk: CorrectionsDesk;
  /** The append form as sent back after a refusal: the text kept, errors beside their fields. */
  append?: { kind: string; text: string; errors?: FieldErrors; message?: string };
  /** A refused removal: which correction, the reason as typed, and its error. */
  removal?: { correctionId: number; reason: string; errors: FieldErrors };
}

/** The staff page of one story's corrections: every note (removed ones marked, with their reason), the append form, and for admins a remove form per note. */
export function renderCorrectionsDesk(site: SiteContext, o: CorrectionsDeskOptions): string {
  const { story, corrections, correctable } = o.desk;
  const mayRemove = can(o.session.actor, 'correction.remove');
  const failed = o.append?.errors || o.append?.message || o.removal;
  return adminPage(site, {
    title: `Corrections: ${story.headline}`,
    session: o.session,
    main: html`<h1 class="page-title">Corrections</h1>
<p class="desk-story">Story: <strong>${story.headline}</strong> (${story.status})${
      correctable ? html` · <a href="${storyPath(story.slug)}">View the story</a>` : ''
    }</p>
${failed ? html`<div class="form-errors" role="alert" id="form-errors"><p>${o.append?.message ?? 'Nothing was changed. Please correct the fields marked below.'}</p></div>` : ''}
<section aria-labelledby="desk-list-title">
<h2 id="desk-list-title">On this story</h2>
${
  corrections.length > 0
    ? html`<ol class="desk-corrections">
${corrections.map((c) => renderDeskCorrection(site, o, c, mayRemove))}</ol>`
    : html`<p>This story has no corrections.</p>`
}
</section>
<section aria-labelledby="desk-append-title">
<h2 id="desk-append-title">Add a correction or clarification</h2>
${correctable ? renderAppendForm(o) : html`<p class="notice">Only a published story can be corrected. This story is ${story.status}.</p>`}
</section>`,
  });
}

function renderDeskCorrection(site: SiteContext, o: CorrectionsDeskOptions, c: StaffCorrection, mayRemove: boolean): SafeHtml {
  const removal = o.removal?.correctionId === c.id ? o.removal : undefined;
  return html`<li id="correction-${c.id}" class="desk-correction${c.removed_at ? ' is-removed' : ''}">
<p class="meta"><strong>${kindLabels[c.kind]}</strong> · ${timeTag(site, c.created_at)}${c.author_name ? html` · by ${c.author_name}` : ''}</p>
<div class="correction-text">
${raw(c.body_html)}</div>
${
  c.removed_at
    ? html`<p class="removal"><strong>Removed</strong> ${timeTag(site, c.removed_at)}${c.removed_by_name ? html` by ${c.removed_by_name}` : ''}. Reason: ${c.removal_reason}</p>`
    : mayRemove
      ? html`<form method="post" action="/admin/corrections/${c.id}/remove" class="admin-form removal-form" novalidate>
${csrfField(o.session)}
${textArea({ id: `reason-${c.id}`, name: 'reason', label: 'Reason for removing it', rows: 2, max: correctionLimits.reason, value: removal?.reason ?? '', error: removal?.errors.reason, hint: 'Readers no longer see the note; it stays here, with your reason.' })}
<p><button type="submit">Remove from the story</button></p>
</form>`
      : ''
}
</li>
`;
}

function renderAppendForm(o: CorrectionsDeskOptions): SafeHtml {
  const kind = o.append?.kind ?? 'correction';
  const kindError = o.append?.errors?.kind;
  return html`<form method="post" action="/admin/stories/${o.desk.story.id}/corrections" class="admin-form" novalidate>
${csrfField(o.session)}
<p class="field${kindError ? ' has-error' : ''}"><label for="kind">Kind</label>
${kindError ? html`<span id="kind-error" class="field-error">${kindError}</span>` : ''}
<select id="kind" name="kind" required${kindError ? html` aria-invalid="true" aria-describedby="kind-error"` : ''}>
<option value="correction"${kind === 'correction' ? ' selected' : ''}>Correction: the story got a fact wrong</option>
<option value="clarification"${kind === 'clarification' ? ' selected' : ''}>Clarification: the story was right but unclear</option>
</select></p>
${textArea({ id: 'text', name: 'text', label: 'Text', rows: 6, max: correctionLimits.text, value: o.append?.text ?? '', error: o.append?.errors?.text, hint: `Markdown. Shown on the story with today's date and kept. Up to ${correctionLimits.text.toLocaleString('en')} characters.` })}
<p><button type="submit">Add to the story</button></p>
</form>`;
}

function textArea(o: { id: string; name: string; label: string; rows: number; max: number; value: string; error: string | undefined; hint: string }): SafeHtml {
  const describedBy = [o.error ? `${o.id}-error` : '', `${o.id}-hint`].filter(Boolean).join(' ');
  return html`<p class="field${o.error ? ' has-error' : ''}"><label for="${o.id}">${o.label}</label>
<span id="${o.id}-hint" class="hint">${o.hint}</span>
${o.error ? html`<span id="${o.id}-error" class="field-error">${o.error}</span>` : ''}
<textarea id="${o.id}" name="${o.name}" rows="${o.rows}" maxlength="${o.max}" required${o.error ? html` aria-invalid="true"` : ''} aria-describedby="${describedBy}">
${o.value}</textarea></p>`;
}
