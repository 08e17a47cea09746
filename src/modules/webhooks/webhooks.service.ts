import type { Deps } from '../../deps.js';
import type { WebhookDeliveryRow, WebhookRow } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, type Actor } from '../people/index.js';
import type { WebhookEventName } from './webhooks.events.js';
import * as repo from './webhooks.repo.js';
import { parseWebhookForm, subscribedEvents, webhookRules, type WebhookFormInput } from './webhooks.schemas.js';
import { newWebhookSecret } from './webhooks.signing.js';

/** A webhook as the admin shows it: never its secret. */
export interface WebhookSummary {
  id: number;
  url: string;
  description: string;
  events: WebhookEventName[];
  active: boolean;
  createdAt: string;
}

export interface WebhookDetail {
  webhook: WebhookSummary;
  /** Latest first. */
  deliveries: WebhookDeliveryRow[];
}

const summary = (row: WebhookRow): WebhookSummary => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: subscribedEvents(row),
  active: row.active === 1,
  createdAt: row.created_at,
});

const notFound = () => new DomainError('WEBHOOK_NOT_FOUND', 'There is no webhook with this id.');

export async function listWebhooks(deps: Deps, actor: Actor): Promise<WebhookSummary[]> {
  assertCan(actor, 'webhook.manage');
  return (await repo.listWebhooks(deps.store.db)).map(summary);
}

export async function getWebhook(deps: Deps, actor: Actor, webhookId: number): Promise<WebhookDetail> {
  assertCan(actor, 'webhook.manage');
  const row = await repo.findWebhook(deps.store.db, webhookId);
  if (!row) throw notFound();
  return { webhook: summary(row), deliveries: await repo.listDeliveries(deps.store.db, webhookId, webhookRules.logLength) };
}

/** Creates an active webhook with a new random secret, returned this once. */
export async function createWebhook(deps: Deps, actor: Actor, input: WebhookFormInput): Promise<{ webhook: WebhookSummary; secret: string }> {
  assertCan(actor, 'webhook.manage');
  const settings = parseWebhookForm(input);
  const secret = newWebhookSecret();
  const now = deps.clock.now().toISOString();
  const row = await deps.store.db.transaction().execute(async (trx) => {
    const row = await repo.insertWebhook(trx, { ...settings, secret, createdBy: actor.personId === 0 ? null : actor.personId, now });
    await recordAudit(trx, { actor, action: 'webhook.created', subject: { type: 'webhook', id: row.id }, details: { ...settings, url: redactUrl(settings.url) }, now });
    return row;
  });
  return { webhook: summary(row), secret };
}

/** Changes the address, description and events. */
export async function changeWebhook(deps: Deps, actor: Actor, webhookId: number, input: WebhookFormInput): Promise<WebhookSummary> {
  assertCan(actor, 'webhook.manage');
  const settings = parseWebhookForm(input);
  return write(deps, actor, webhookId, 'webhook.changed', settings, (before) => ({
    ...(before.url !== settings.url ? { url: redactUrl(settings.url) } : {}),
    ...(before.description !== settings.description ? { description: settings.description } : {}),
    events: settings.events,
  }));
}

/** Turns deliveries on or off; deliveries already queued for a disabled webhook are dropped. */
export async function setWebhookActive(deps: Deps, actor: Actor, webhookId: number, active: boolean): Promise<WebhookSummary> {
  assertCan(actor, 'webhook.manage');
  return write(deps, actor, webhookId, active ? 'webhook.enabled' : 'webhook.disabled', { active }, () => ({}));
}

/** Replaces the signing secret; the new one is returned this once. Receivers must be given it. */
export async function rotateWebhookSecret(deps: Deps, actor: Actor, webhookId: number): Promise<{ webhook: WebhookSummary; secret: string }> {
  assertCan(actor, 'webhook.manage');
  const secret = newWebhookSecret();
  const webhook = await write(deps, actor, webhookId, 'webhook.secret-rotated', { secret }, () => ({}));
  return { webhook, secret };
}

/** Deletes the webhook and its delivery log; queued deliveries are dropped. */
export async function deleteWebhook(deps: Deps, actor: Actor, webhookId: number): Promise<void> {
  assertCan(actor, 'webhook.manage');
  const now = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    const row = await repo.findWebhook(trx, webhookId);
    if (!row) throw notFound();
    await repo.deleteWebhook(trx, webhookId);
    await recordAudit(trx, { actor, action: 'webhook.deleted', subject: { type: 'webhook', id: webhookId }, details: { url: redactUrl(row.url) }, now });
  });
}

/** Queues a `webhook.test` delivery (signed and logged like any other); returns the event for deps.onCommitted. */
export async function requestTestDelivery(deps: Deps, actor: Actor, webhookId: number): Promise<OutboxEvent> {
  assertCan(actor, 'webhook.manage');
  const now = deps.clock.now().toISOString();
  const event = await deps.store.db.transaction().execute(async (trx) => {
    if (!(await repo.findWebhook(trx, webhookId))) throw notFound();
    return appendEvent(trx, { topic: 'webhook.requested', payload: { webhookId, event: 'webhook.test', occurredAt: now }, now });
  });
  deps.onCommitted([event]);
  return event;
}

async function write(
  deps: Deps,
  actor: Actor,
  webhookId: number,
  action: string,
  changes: Parameters<typeof repo.updateWebhook>[2],
  details: (before: WebhookRow) => Record<string, unknown>,
): Promise<WebhookSummary> {
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const before = await repo.findWebhook(trx, webhookId);
    if (!before) throw notFound();
    await repo.updateWebhook(trx, webhookId, changes);
    await recordAudit(trx, { actor, action, subject: { type: 'webhook', id: webhookId }, details: details(before), now });
    const after = await repo.findWebhook(trx, webhookId);
    return summary(after ?? before);
  });
}

/** The address as the audit log keeps it: chat services put their own secret in the path, so only the origin. */
export function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}
