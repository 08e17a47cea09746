import type { FieldErrors } from '../../errors.js';
import { html, type HtmlValue, type SafeHtml } from '../../lib/html.js';
import { renderPage, type SiteContext } from '../../views/layout.js';
import { can, type ActiveSession } from '../people/index.js';

/** An admin page: never indexed, with the signed-in person and the sign-out buttons. */
export function adminPage(
  site: SiteContext,
  o: { title: string; session?: ActiveSession; main: HtmlValue; scripts?: string[]; /** Comments waiting for a moderator, when the page knows it. */ commentQueueCount?: number },
): string {
  const comments =
    o.session && can(o.session.actor, 'comment.moderate')
      ? html` · <a href="/admin/comments">Comments${o.commentQueueCount !== undefined ? ` (${o.commentQueueCount})` : ''}</a>`
      : '';
  const bar = o.session
    ? html`<nav class="admin-bar" aria-label="Account">
<p>Signed in as <strong>${o.session.actor.name}</strong> (${o.session.actor.role}) · <a href="/admin">Newsroom</a> · <a href="/admin/stories">Stories</a>${comments}</p>
<form method="post" action="/admin/sign-out" class="inline-form">${csrfField(o.session)}<button type="submit">Sign out</button></form>
<form method="post" action="/admin/sign-out-everywhere" class="inline-form">${csrfField(o.session)}<button type="submit">Sign out everywhere</button></form>
</nav>`
    : '';
  return renderPage(site, { title: o.title, noindex: true, main: html`${bar}${o.main}`, ...(o.scripts ? { scripts: o.scripts } : {}) });
}

export function csrfField(session: ActiveSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
}

function errorSummary(message: string | undefined): SafeHtml | string {
  return message ? html`<div class="form-errors" role="alert" id="form-errors"><p>${message}</p></div>` : '';
}

function field(o: { name: string; label: string; type: string; value?: string; autocomplete: string; errors?: FieldErrors; hint?: string }): SafeHtml {
  const error = o.errors?.[o.name];
  const describedBy = [error ? `${o.name}-error` : '', o.hint ? `${o.name}-hint` : ''].filter(Boolean).join(' ');
  return html`<p class="field${error ? ' has-error' : ''}"><label for="${o.name}">${o.label}</label>
${o.hint ? html`<span id="${o.name}-hint" class="hint">${o.hint}</span>` : ''}
${error ? html`<span id="${o.name}-error" class="field-error">${error}</span>` : ''}
<input id="${o.name}" name="${o.name}" type="${o.type}" value="${o.value ?? ''}" autocomplete="${o.autocomplete}" required${
    error ? html` aria-invalid="true"` : ''
  }${describedBy ? html` aria-describedby="${describedBy}"` : ''}></p>`;
}

export function renderSignInPage(site: SiteContext, o: { email?: string; next?: string; message?: string; notice?: string }): string {
  return adminPage(site, {
    title: 'Sign in',
    main: html`<h1 class="page-title">Sign in to the newsroom</h1>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<form method="post" action="/admin/sign-in" class="admin-form" novalidate>
${errorSummary(o.message)}
${field({ name: 'email', label: 'Email', type: 'email', value: o.email ?? '', autocomplete: 'username' })}
${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' })}
${o.next ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
<p><button type="submit">Sign in</button></p>
</form>
<p><a href="/admin/forgot-password">Forgot your password?</a></p>`,
  });
}

export function renderForgotPasswordPage(site: SiteContext, o: { sent?: boolean; email?: string }): string {
  return adminPage(site, {
    title: 'Forgot your password?',
    main: html`<h1 class="page-title">Forgot your password?</h1>
${
  o.sent
    ? html`<p class="notice" role="status">If ${o.email ?? 'that address'} belongs to a staff account, a link to choose a new password is on its way. It works for an hour.</p>`
    : html`<p>Give the email address you sign in with; we will send a link to choose a new password.</p>`
}
<form method="post" action="/admin/forgot-password" class="admin-form" novalidate>
${field({ name: 'email', label: 'Email', type: 'email', value: o.email ?? '', autocomplete: 'username' })}
<p><button type="submit">Send the link</button></p>
</form>`,
  });
}

export function renderResetPasswordPage(site: SiteContext, o: { token: string; errors?: FieldErrors }): string {
  const errors = o.errors ?? {};
  return adminPage(site, {
    title: 'Choose a new password',
    main: html`<h1 class="page-title">Choose a new password</h1>
<form method="post" action="/admin/reset-password" class="admin-form" novalidate>
${errorSummary(errors.token ?? (Object.keys(errors).length > 0 ? 'Your password was not changed. Please correct the fields marked below.' : undefined))}
<input type="hidden" name="token" value="${o.token}">
${field({ name: 'next', label: 'New password', type: 'password', autocomplete: 'new-password', hint: 'At least 12 characters.', errors })}
${field({ name: 'confirm', label: 'New password again', type: 'password', autocomplete: 'new-password', errors })}
<p><button type="submit">Set the password</button></p>
</form>`,
  });
}

export function renderDashboard(site: SiteContext, o: { session: ActiveSession }): string {
  return adminPage(site, {
    title: 'Newsroom',
    session: o.session,
    main: html`<h1 class="page-title">Newsroom</h1>
<ul class="admin-links">
<li><a href="/admin/stories">Stories</a>${can(o.session.actor, 'story.create') ? html` · <a href="/admin/stories/new">write a new one</a>` : ''}</li>
${can(o.session.actor, 'story.create') ? html`<li><a href="/admin/media">Media</a> (images for stories)</li>` : ''}
${can(o.session.actor, 'comment.moderate') ? html`<li><a href="/admin/comments">Comments</a> (the moderation queue)</li>` : ''}
${can(o.session.actor, 'person.manage') ? html`<li><a href="/admin/people">People</a> (invite staff, roles)</li>` : ''}
${can(o.session.actor, 'audit.read') ? html`<li><a href="/admin/audit">Audit log</a></li>` : ''}
${can(o.session.actor, 'webhook.manage') ? html`<li><a href="/admin/webhooks">Webhooks</a> (comment events to your chat or tools)</li>` : ''}
${can(o.session.actor, 'feed.configure') ? html`<li><a href="/admin/settings/feeds">Feeds</a> (full text or summaries)</li>` : ''}
<li><a href="/admin/password">Change your password</a></li>
<li><a href="/admin/tokens">API tokens</a></li>
<li><a href="/">View the site</a></li>
</ul>`,
  });
}

export function renderPasswordPage(site: SiteContext, o: { session: ActiveSession; errors?: FieldErrors; required: boolean }): string {
  return adminPage(site, {
    title: 'Change your password',
    session: o.session,
    main: html`<h1 class="page-title">Change your password</h1>
${o.required ? html`<p class="notice" role="status">Your password was set for you. Choose your own before you continue.</p>` : ''}
<form method="post" action="/admin/password" class="admin-form" novalidate>
${errorSummary(o.errors ? 'Your password was not changed. Please correct the fields marked below.' : undefined)}
${csrfField(o.session)}
${field({ name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', ...(o.errors ? { errors: o.errors } : {}) })}
${field({ name: 'next', label: 'New password', type: 'password', autocomplete: 'new-password', hint: 'At least 12 characters.', ...(o.errors ? { errors: o.errors } : {}) })}
${field({ name: 'confirm', label: 'New password again', type: 'password', autocomplete: 'new-password', ...(o.errors ? { errors: o.errors } : {}) })}
<p><button type="submit">Change password</button></p>
</form>`,
  });
}
