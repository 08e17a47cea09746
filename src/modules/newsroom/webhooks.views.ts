import type { FieldErrors } from '../../errors.js';
import { html, type SafeHtml } from '../../lib/html.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import type { ActiveSession } from '../people/index.js';
import { webhookEventNames, webhookRules, type WebhookDetail, type WebhookFormInput, type WebhookSummary } from '../webhooks/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

const eventLabels: Record<string, string> = {
  'comment.created': 'A comment was posted (not spam)',
  'comment.held': 'A comment is held for moderation',
  'comment.approved': 'A comment was approved (by the rules or a moderator)',
  'comment.reported': 'A reader reported a comment',
};

export interface WebhooksView {
  session: ActiveSession;
  webhooks: readonly WebhookSummary[];
  /** The create form as typed, kept when it is shown again with errors. */
  form?: WebhookFormInput;
  errors?: FieldErrors;
  /** A webhook created by this very request: the only time its secret is shown. */
  created?: { webhook: WebhookSummary; secret: string };
  notice?: string;
}

export interface WebhookView {
  session: ActiveSession;
  detail: WebhookDetail;
  form?: WebhookFormInput;
  errors?: FieldErrors;
  /** A secret made by this very request (rotation): shown this once. */
  secret?: string;
  notice?: string;
}

/** Webhooks: the list, and the form to add one. */
export function renderWebhooksPage(site: SiteContext, v: WebhooksView): string {
  return adminPage(site, {
    title: 'Webhooks',
    session: v.session,
    main: html`<h1 class="page-title">Webhooks</h1>
<p>A webhook sends comment events as signed JSON to an address of yours (a chat bridge, a newsroom tool), with retries and a delivery log.
How a receiver checks the signature is described in the operator guide <code>docs/webhooks.md</code>.</p>
${v.created ? secretNotice(v.created.secret, `The webhook for ${v.created.webhook.url} was created.`, v.created.webhook.id) : ''}
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${webhookTable(site, v.webhooks)}
<h2>Add a webhook</h2>
${settingsForm({ session: v.session, action: '/admin/webhooks', submit: 'Add webhook', form: v.form, errors: v.errors })}`,
  });
}

/** One webhook: its settings, actions and delivery log. */
export function renderWebhookPage(site: SiteContext, v: WebhookView): string {
  const hook = v.detail.webhook;
  const form = v.form ?? { url: hook.url, description: hook.description, events: hook.events };
  return adminPage(site, {
    title: `Webhook ${hook.description || hook.url}`,
    session: v.session,
    main: html`<p><a href="/admin/webhooks">All webhooks</a></p>
<h1 class="page-title">Webhook: ${hook.description || hook.url}</h1>
${v.secret ? secretNotice(v.secret, 'The signing secret was replaced. Give the new one to the receiver: deliveries are signed with it from now on.', hook.id) : ''}
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<p>Status: <strong id="webhook-status">${hook.active ? 'enabled' : 'disabled'}</strong> · created ${timeTag(site, hook.createdAt)}</p>
<div class="admin-actions">
<form method="post" action="/admin/webhooks/${hook.id}/test" class="inline-form">${csrfField(v.session)}<button type="submit"${hook.active ? '' : html` disabled`}>Send test delivery</button></form>
<form method="post" action="/admin/webhooks/${hook.id}/active" class="inline-form">${csrfField(v.session)}<input type="hidden" name="active" value="${hook.active ? '0' : '1'}"><button type="submit">${hook.active ? 'Disable' : 'Enable'}</button></form>
<form method="post" action="/admin/webhooks/${hook.id}/rotate" class="inline-form">${csrfField(v.session)}<button type="submit">Rotate secret</button></form>
<form method="post" action="/admin/webhooks/${hook.id}/delete" class="inline-form">${csrfField(v.session)}<button type="submit">Delete webhook</button></form>
</div>
<h2>Settings</h2>
${settingsForm({ session: v.session, action: `/admin/webhooks/${hook.id}`, submit: 'Save changes', form, errors: v.errors })}
<h2>Delivery log</h2>
${deliveryLog(site, v.detail)}`,
  });
}

function secretNotice(secret: string, message: string, id: number): SafeHtml {
  return html`<div class="notice" role="status" id="new-secret">
<p><strong>${message}</strong> Copy its signing secret now: it is shown only this once. If you lose it, rotate the secret on <a href="/admin/webhooks/${id}">the webhook's page</a>.</p>
<p><label for="new-secret-value">Signing secret</label>
<input id="new-secret-value" type="text" readonly value="${secret}" size="52" autocomplete="off" spellcheck="false"></p>
</div>`;
}

function webhookTable(site: SiteContext, hooks: readonly WebhookSummary[]): SafeHtml {
  if (hooks.length === 0) return html`<p>No webhooks yet.</p>`;
  return html`<table class="admin-table">
<thead><tr><th scope="col">Address</th><th scope="col">Description</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead>
<tbody>
${hooks.map(
  (h) => html`<tr id="webhook-${h.id}"><td><a href="/admin/webhooks/${h.id}">${h.url}</a></td><td>${h.description}</td><td>${h.events.join(', ')}</td><td>${
    h.active ? 'enabled' : 'disabled'
  }</td><td>${timeTag(site, h.createdAt)}</td></tr>
`,
)}</tbody>
</table>`;
}

function settingsForm(o: { session: ActiveSession; action: string; submit: string; form: WebhookFormInput | undefined; errors: FieldErrors | undefined }): SafeHtml {
  const form = o.form ?? { url: '', description: '', events: [] };
  const errors = o.errors ?? {};
  return html`<form method="post" action="${o.action}" class="admin-form" novalidate>
${Object.keys(errors).length > 0 ? html`<div class="form-errors" role="alert" id="form-errors"><p>The webhook was not saved. Please correct the fields marked below.</p></div>` : ''}
${csrfField(o.session)}
${textField({ name: 'url', label: 'Address (URL)', type: 'url', value: form.url, hint: 'An http:// or https:// address that accepts POST requests.', max: webhookRules.urlLength, error: errors.url })}
${textField({ name: 'description', label: 'Description', type: 'text', value: form.description, hint: `What receives it, e.g. “#comments channel”. Up to ${webhookRules.descriptionLength} characters.`, max: webhookRules.descriptionLength, error: errors.description })}
<fieldset class="field${errors.events ? ' has-error' : ''}"${errors.events ? html` aria-describedby="events-error"` : ''}><legend>Events to send</legend>
${errors.events ? html`<span id="events-error" class="field-error">${errors.events}</span>` : ''}
${webhookEventNames.map(
  (name) =>
    html`<p><input type="checkbox" id="event-${name}" name="events" value="${name}"${form.events.includes(name) ? html` checked` : ''}> <label for="event-${name}"><code>${name}</code>: ${eventLabels[name] ?? ''}</label></p>
`,
)}</fieldset>
<p><button type="submit">${o.submit}</button></p>
</form>`;
}

function textField(o: { name: string; label: string; type: string; value: string; hint: string; max: number; error: string | undefined }): SafeHtml {
  return html`<p class="field${o.error ? ' has-error' : ''}"><label for="${o.name}">${o.label}</label>
<span id="${o.name}-hint" class="hint">${o.hint}</span>
${o.error ? html`<span id="${o.name}-error" class="field-error">${o.error}</span>` : ''}
<input id="${o.name}" name="${o.name}" type="${o.type}" value="${o.value}" maxlength="${o.max}" autocomplete="off" aria-describedby="${
    o.error ? `${o.name}-error ${o.name}-hint` : `${o.name}-hint`
  }"${o.error ? html` aria-invalid="true"` : ''}></p>`;
}

function deliveryLog(site: SiteContext, detail: WebhookDetail): SafeHtml {
  if (detail.deliveries.length === 0) return html`<p id="delivery-log">No deliveries yet.</p>`;
  return html`<table class="admin-table" id="delivery-log">
<caption>The latest ${webhookRules.logLength} attempts, latest first. A failed attempt is retried with growing pauses (10 s, 20 s, 40 s … up to an hour), ten attempts in all.</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Delivery (outbox id)</th><th scope="col">Attempt</th><th scope="col">Result</th><th scope="col">Duration</th></tr></thead>
<tbody>
${detail.deliveries.map(
  (d) => html`<tr class="delivery ${d.error === null ? 'ok' : 'failed'}"><td>${timeTag(site, d.created_at)}</td><td><code>${d.event}</code></td><td>${d.outbox_id}</td><td>${d.attempt}</td><td>${
    d.status_code !== null ? html`HTTP ${d.status_code}` : ''
  }${d.error !== null && d.status_code === null ? d.error : ''}${d.error !== null && d.status_code !== null && d.status_code >= 300 && d.status_code < 400 ? html` (${d.error})` : ''}</td><td>${d.duration_ms} ms</td></tr>
`,
)}</tbody>
</table>`;
}
