import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../../db/schema.js';
import type { Clock } from '../../deps.js';
import type { EventMap } from '../../platform/outbox.js';
import { storyPath } from '../stories/index.js';
import { commentEventBody, testEventBody } from './webhooks.payload.js';
import * as repo from './webhooks.repo.js';
import { subscribedEvents } from './webhooks.schemas.js';
import { signWebhook } from './webhooks.signing.js';

/** A receiver has this long to answer (connect, send, headers) before the attempt counts as failed. */
export const webhookTimeoutMs = 5_000;

export interface WebhookDeliveryDeps {
  db: Kysely<Database>;
  log: FastifyBaseLogger;
  clock: Clock;
  publicUrl: string;
  timeoutMs?: number;
}

export type WebhookDeliveryOutcome = 'delivered' | 'dropped';

/**
 * Sends one `webhook.requested` row: the body is built now from the database (so it reflects the
 * comment as it is, and an erased commenter stays erased), signed, and POSTed without following
 * redirects. Every attempt is logged in webhook_deliveries. A 2xx answer is success; any other
 * answer, a timeout or a network error throws, so the relay retries with its back-off. A webhook
 * deleted, disabled or unsubscribed meanwhile, or a comment gone, drops the row.
 */
export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  request: EventMap['webhook.requested'],
  row: Pick<OutboxRow, 'id' | 'attempts'>,
): Promise<WebhookDeliveryOutcome> {
  const hook = await repo.findWebhook(deps.db, request.webhookId);
  const drop = (reason: string) => {
    deps.log.info({ outboxId: row.id, webhookId: request.webhookId, event: request.event, reason }, 'webhook delivery dropped');
    return 'dropped' as const;
  };
  if (!hook) return drop('webhook deleted');
  if (hook.active !== 1) return drop('webhook disabled');
  let body: string;
  if (request.event === 'webhook.test') {
    body = JSON.stringify(testEventBody({ webhookId: hook.id, description: hook.description, deliveryId: row.id, occurredAt: request.occurredAt }));
  } else {
    if (!subscribedEvents(hook).includes(request.event)) return drop('event unsubscribed');
    const facts = await repo.findCommentFacts(deps.db, request.commentId);
    if (!facts) return drop('comment gone');
    const path = storyPath(facts.slug);
    body = JSON.stringify(commentEventBody(facts, { event: request.event, deliveryId: row.id, occurredAt: request.occurredAt, publicUrl: deps.publicUrl, storyPath: path }));
  }

  const timestamp = String(Math.floor(deps.clock.now().getTime() / 1000));
  const attempt = row.attempts + 1;
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Readout-Webhooks',
        'x-readout-event': request.event,
        'x-readout-delivery': String(row.id),
        'x-readout-timestamp': timestamp,
        'x-readout-signature': signWebhook(hook.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? webhookTimeoutMs),
    });
    statusCode = response.status;
    // The answer's body is not used: release the connection.
    await response.body?.cancel().catch(() => undefined);
    if (statusCode < 200 || statusCode > 299) error = statusCode >= 300 && statusCode < 400 ? 'redirect not followed' : `HTTP ${statusCode}`;
  } catch (caught) {
    error = describeFailure(caught, deps.timeoutMs ?? webhookTimeoutMs);
  }
  const durationMs = Math.round(performance.now() - started);
  await repo.insertDelivery(deps.db, {
    webhook_id: hook.id,
    outbox_id: row.id,
    event: request.event,
    attempt,
    status_code: statusCode,
    error,
    duration_ms: durationMs,
    created_at: deps.clock.now().toISOString(),
  });
  if (error !== null) throw new Error(`webhook ${hook.id}: ${error}`);
  deps.log.info({ outboxId: row.id, webhookId: hook.id, event: request.event, statusCode, durationMs }, 'webhook delivered');
  return 'delivered';
}

function describeFailure(caught: unknown, timeoutMs: number): string {
  const error = caught as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error?.cause;
  return String(cause?.code ?? cause?.message ?? error?.message ?? caught).slice(0, 200);
}
