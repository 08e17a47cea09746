import { html, raw } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import type { FeedSettings } from '../feeds/index.js';
import type { ActiveSession } from '../people/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

export interface FeedSettingsView {
  session: ActiveSession;
  /** The stored choice, or the one sent (kept when the form comes back with an error). */
  content: string;
  error?: string;
  notice?: string;
}

const choices: { value: FeedSettings['content']; label: string; hint: string }[] = [
  { value: 'summary', label: 'Summary', hint: 'Each item carries the dek, or the first paragraph; readers follow the link for the story.' },
  { value: 'full', label: 'Full text', hint: 'Each item carries the whole story, so feed readers can show it without visiting the site.' },
];

/** /admin/settings/feeds: what the site's story feeds carry. */
export function renderFeedSettingsPage(site: SiteContext, v: FeedSettingsView): string {
  return adminPage(site, {
    title: 'Feed settings',
    session: v.session,
    main: html`<h1 class="page-title">Feed settings</h1>
<p>The site's RSS, Atom and JSON feeds (the whole site, each section, tag and author) show the 20 latest stories. Comment feeds always carry the comments' text.</p>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${v.error ? html`<div class="form-errors" role="alert" id="form-errors"><p>The settings were not saved: <a href="#content-summary">${v.error}</a></p></div>` : ''}
<form method="post" action="/admin/settings/feeds" class="admin-form" novalidate>
${csrfField(v.session)}
<fieldset class="settings-group${v.error ? ' has-error' : ''}"><legend>Story content in feeds</legend>
${v.error ? html`<p id="content-error" class="field-error">${v.error}</p>` : ''}
${choices.map(
  (c) => html`<p class="field checkbox-field"><input id="content-${c.value}" name="content" type="radio" value="${c.value}"${c.value === v.content ? raw(' checked') : ''} aria-describedby="${v.error ? 'content-error ' : ''}content-${c.value}-hint"> <label for="content-${c.value}">${c.label}</label>
<span id="content-${c.value}-hint" class="hint">${c.hint}</span></p>
`,
)}</fieldset>
<p><button type="submit">Save settings</button></p>
</form>`,
  });
}
