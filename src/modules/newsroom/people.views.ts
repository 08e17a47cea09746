import type { PersonRow } from '../../db/schema.js';
import type { FieldErrors } from '../../errors.js';
import { html, raw } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import { roles, type ActiveSession } from '../people/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

export interface PeopleView {
  session: ActiveSession;
  people: PersonRow[];
  values?: { name: string; email: string; role: string };
  errors?: FieldErrors;
  message?: string;
  notice?: string;
}

/** Staff accounts for admins: invite, change a role, disable or enable. */
export function renderPeoplePage(site: SiteContext, v: PeopleView): string {
  const e = v.errors ?? {};
  const values = v.values ?? { name: '', email: '', role: 'author' };
  const roleSelect = (id: string, selected: string) =>
    html`<select id="${id}" name="role">${roles.map((r) => html`<option value="${r}"${r === selected ? raw(' selected') : ''}>${r}</option>`)}</select>`;
  const fieldError = (name: string) => (e[name] ? html`<span class="field-error" id="invite-${name}-error">${e[name]}</span>` : '');
  return adminPage(site, {
    title: 'People',
    session: v.session,
    main: html`<h1 class="page-title">People</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${v.message ? html`<div class="form-errors" role="alert"><p>${v.message}</p></div>` : ''}
<table class="admin-table">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Account</th></tr></thead>
<tbody>
${v.people.map(
  (p) => html`<tr><td>${p.name}</td><td>${p.email}</td>
<td><form method="post" action="/admin/people/role" class="inline-form">${csrfField(v.session)}<input type="hidden" name="email" value="${p.email}"><label class="visually-hidden" for="role-${p.id}">Role of ${p.name}</label>${roleSelect(`role-${p.id}`, p.role ?? '')} <button type="submit">Change</button></form></td>
<td><form method="post" action="/admin/people/${p.disabled_at ? 'enable' : 'disable'}" class="inline-form">${csrfField(v.session)}<input type="hidden" name="email" value="${p.email}">${
    p.disabled_at ? 'disabled ' : 'active '
  }<button type="submit">${p.disabled_at ? 'Enable' : 'Disable'}</button></form></td></tr>
`,
)}</tbody>
</table>
<h2>Invite someone</h2>
<p>They get an email with a link to choose their password (valid for a week).</p>
<form method="post" action="/admin/people" class="admin-form" novalidate>
${csrfField(v.session)}
<p class="field${e.name ? ' has-error' : ''}"><label for="invite-name">Name</label> ${fieldError('name')}<input id="invite-name" name="name" value="${values.name}" required></p>
<p class="field${e.email ? ' has-error' : ''}"><label for="invite-email">Email</label> ${fieldError('email')}<input id="invite-email" name="email" type="email" value="${values.email}" required></p>
<p class="field${e.role ? ' has-error' : ''}"><label for="invite-role">Role</label> ${fieldError('role')}${roleSelect('invite-role', values.role)}</p>
<p><button type="submit">Send the invitation</button></p>
</form>`,
  });
}
