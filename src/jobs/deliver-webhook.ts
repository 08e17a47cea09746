import type { Deps } from '../deps.js';
import { appendWebhookRequests, deliverWebhook } from '../modules/webhooks/index.js';
import type { CommentDeriver } from './comment-fanout.js';
import type { RelayHandler } from './outbox-relay.js';

/** The comment fan-out's webhook part: one `webhook.requested` row per active, subscribed webhook and event. */
export const webhookDeriver: CommentDeriver = (trx, event, deps) => appendWebhookRequests(trx, event, deps.clock.now().toISOString());

/**
 * The relay's handler for `webhook.requested`: one signed POST per attempt, logged; a failure
 * throws so the relay retries with its back-off (see outbox-relay.ts). Idempotent in the sense
 * receivers need: a retry carries the same X-Readout-Delivery id.
 */
export function deliverWebhookHandler(deps: Pick<Deps, 'store' | 'log' | 'clock' | 'config'>): RelayHandler<'webhook.requested'> {
  return async (event, row) => {
    await deliverWebhook({ db: deps.store.db, log: deps.log, clock: deps.clock, publicUrl: deps.config.publicUrl }, event.payload, row);
  };
}
