import type { FieldErrors } from '../../errors.js';
import { html, type SafeHtml } from '../../lib/html.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import { apiTokenRules, type ActiveSession, type ApiTokenSummary } from '../people/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

export interface TokensView {
  session: ActiveSession;
  tokens: readonly ApiTokenSummary[];
  /** What was typed into the create form, kept when it is re-rendered with errors. */
  name?: string;
  errors?: FieldErrors;
  /** A token created by this very request: the only time its secret is shown. */
  created?: { name: string; secret: string };
  notice?: string;
}

/** The signed-in person's API tokens: the list with revoke buttons, and the form to create one. */
export function renderTokensPage(site: SiteContext, v: TokensView): string {
  return adminPage(site, {
    title: 'API tokens',
    session: v.session,
    main: html`<h1 class="page-title">API tokens</h1>
<p>A token lets a program use the <a href="/api/openapi.json">newsroom API</a> as you, with your role (${v.session.actor.role}).
Send it as <code>Authorization: Bearer TOKEN</code>. Revoke a token as soon as the program no longer needs it.</p>
${v.created ? createdNotice(v.created) : ''}
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${tokenTable(site, v)}
${createForm(v)}`,
  });
}

function createdNotice(created: { name: string; secret: string }): SafeHtml {
  return html`<div class="notice" role="status" id="new-token">
<p><strong>Copy the token “${created.name}” now. It is shown only this once:</strong> Readout keeps only a fingerprint of it, so nobody can show it to you again.
If you lose it, revoke it and create another.</p>
<p><label for="new-token-value">Your new token</label>
<input id="new-token-value" type="text" readonly value="${created.secret}" size="52" autocomplete="off" spellcheck="false"></p>
</div>`;
}

function tokenTable(site: SiteContext, v: TokensView): SafeHtml {
  if (v.tokens.length === 0) return html`<p>You have no API tokens.</p>`;
  return html`<table class="admin-table">
<thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
<tbody>
${v.tokens.map(
  (t) => html`<tr id="token-${t.id}"><td>${t.name}</td><td><code>${t.prefix}…</code></td><td>${timeTag(site, t.created_at)}</td><td>${
    t.last_used_at ? timeTag(site, t.last_used_at) : 'never'
  }</td><td>${
    t.revoked_at
      ? html`revoked ${timeTag(site, t.revoked_at)}`
      : html`<form method="post" action="/admin/tokens/${t.id}/revoke" class="inline-form">${csrfField(v.session)}<button type="submit" aria-label="Revoke ${t.name}">Revoke</button></form>`
  }</td></tr>
`,
)}</tbody>
</table>`;
}

function createForm(v: TokensView): SafeHtml {
  const error = v.errors?.name;
  return html`<h2>Create a token</h2>
<form method="post" action="/admin/tokens" class="admin-form" novalidate>
${error ? html`<div class="form-errors" role="alert" id="form-errors"><p>The token was not created. Please correct the field marked below.</p></div>` : ''}
${csrfField(v.session)}
<p class="field${error ? ' has-error' : ''}"><label for="name">Name</label>
<span id="name-hint" class="hint">What will use it, e.g. “Wire importer”. Up to ${apiTokenRules.nameLength} characters.</span>
${error ? html`<span id="name-error" class="field-error">${error}</span>` : ''}
<input id="name" name="name" type="text" value="${v.name ?? ''}" maxlength="${apiTokenRules.nameLength}" autocomplete="off" required aria-describedby="${
    error ? 'name-error name-hint' : 'name-hint'
  }"${error ? html` aria-invalid="true"` : ''}></p>
<p><button type="submit">Create token</button></p>
</form>`;
}
