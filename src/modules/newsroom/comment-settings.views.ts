import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import { settingFields, type SettingField, type SettingsFormValues } from '../comments/index.js';
import type { ActiveSession } from '../people/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

export interface CommentSettingsView {
  session: ActiveSession;
  /** Each field's text, as stored or as typed (kept when the form comes back with errors). */
  values: SettingsFormValues;
  errors?: FieldErrors;
  notice?: string;
}

const groups: { id: SettingField['group']; title: string; intro: string }[] = [
  { id: 'display', title: 'Comment section', intro: 'How comments are shown and for how long they stay open. A story can override the closing time in its editor.' },
  { id: 'rules', title: 'Moderation rules', intro: 'A comment that trips one of these rules is held for a moderator in the moderation queue; the reasons are kept with it.' },
  { id: 'lists', title: 'Blocked phrases and spam lists', intro: 'One entry per line. Blank lines are ignored.' },
  { id: 'score', title: 'Content score', intro: 'Every comment gets a spam score from its content, with the reasons shown to moderators.' },
];

const fieldId = (name: string) => `setting-${name.replace(/\./g, '-')}`;

/** /admin/comments/settings: every comment setting with its label and help, grouped. */
export function renderCommentSettingsPage(site: SiteContext, v: CommentSettingsView): string {
  const errors = v.errors ?? {};
  const errorNames = Object.keys(errors);
  return adminPage(site, {
    title: 'Comment settings',
    session: v.session,
    main: html`<h1 class="page-title">Comment settings</h1>
<p><a href="/admin/comments">Moderation queue</a> · Rules and lists apply to comments posted from now on. See “Moderation rules” in the documentation for what each rule does.</p>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<form method="post" action="/admin/comments/settings" class="admin-form comment-settings" novalidate>
${
  errorNames.length > 0
    ? html`<div class="form-errors" role="alert" id="form-errors"><p>The settings were not saved. Please correct the ${errorNames.length === 1 ? 'field' : 'fields'} marked below:</p>
<ul>${errorNames.map((name) => html`<li><a href="#${fieldId(name)}">${settingFields.find((f) => f.name === name)?.label ?? name}</a>: ${errors[name]}</li>`)}</ul></div>`
    : ''
}
${csrfField(v.session)}
${groups.map(
  (g) => html`<fieldset class="settings-group" id="group-${g.id}"><legend>${g.title}</legend>
<p class="hint">${g.intro}</p>
${settingFields.filter((f) => f.group === g.id).map((f) => renderField(f, v.values[f.name] ?? '', errors[f.name]))}</fieldset>
`,
)}<p><button type="submit">Save settings</button></p>
</form>`,
  });
}

function renderField(f: SettingField, value: string, error: string | undefined): SafeHtml {
  const id = fieldId(f.name);
  const describedBy = [error ? `${id}-error` : '', f.help ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? raw(' aria-invalid="true"') : ''}`;
  const hint = f.help ? html`<span id="${id}-hint" class="hint">${f.help}</span>` : '';
  const problem = error ? html`<span id="${id}-error" class="field-error">${error}</span>` : '';
  const cls = `field${error ? ' has-error' : ''}`;
  switch (f.kind) {
    case 'checkbox':
      return html`<p class="${cls} checkbox-field"><input id="${id}" name="${f.name}" type="checkbox" value="on"${value ? raw(' checked') : ''}${aria}> <label for="${id}">${f.label}</label>
${hint}${problem}</p>
`;
    case 'choice':
      return html`<p class="${cls}"><label for="${id}">${f.label}</label>
${hint}${problem}<select id="${id}" name="${f.name}"${aria}>${(f.choices ?? []).map(
        (c) => html`<option value="${c.value}"${c.value === value ? raw(' selected') : ''}>${c.label}</option>`,
      )}</select></p>
`;
    case 'lines':
      return html`<p class="${cls}"><label for="${id}">${f.label}</label>
${hint}${problem}<textarea id="${id}" name="${f.name}" rows="6" cols="60" spellcheck="false" autocomplete="off"${aria}>${value}</textarea></p>
`;
    case 'number':
      return html`<p class="${cls}"><label for="${id}">${f.label}</label>
${hint}${problem}<input id="${id}" name="${f.name}" type="number" inputmode="numeric" step="1"${f.min !== undefined ? html` min="${f.min}"` : ''}${
        f.max !== undefined ? html` max="${f.max}"` : ''
      } value="${value}" required${aria}>${f.unit ? html` <span class="unit">${f.unit}</span>` : ''}</p>
`;
  }
}
