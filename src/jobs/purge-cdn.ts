import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { OutboxEvent, Topic } from '../platform/outbox.js';
import type { RelayHandler } from './outbox-relay.js';
import { cacheKeysForEvent } from './purge-cache.js';

/**
 * Topics whose events can make public pages stale (cacheKeysForEvent gives them keys). Listed
 * exhaustively, so a new topic needs a decision here; the relay runs the CDN purge for these.
 */
const purgesPages: Record<Topic, boolean> = {
  'story.saved': true,
  'comment.created': true,
  'comment.status-changed': true,
  'comment.edited': true,
  'comment.reported': false,
  'comment.settings-changed': true,
  'comment.commenter-erased': true,
  'correction.appended': true,
  'correction.removed': true,
  'feed.settings-changed': true,
  'mail.requested': false,
  'webhook.requested': false,
};

export const cdnPurgeTopics = (Object.keys(purgesPages) as Topic[]).filter((topic) => purgesPages[topic]);

/** A purge older than this is dropped rather than sent (e.g. the backlog of events from before a purge URL was set). */
const maxAgeMs = 60 * 60_000;
const timeoutMs = 5_000;

/**
 * The relay's handler that tells a CDN which surrogate keys an event made stale (READOUT_PURGE_URL):
 * `{keys}` in the URL template becomes the keys (space-separated, URL-encoded) in one request,
 * `{key}` one request per key; otherwise one request naming them in a `Surrogate-Key` header. POST
 * and PUT also carry `{"keys": [...]}`. A non-2xx answer or a timeout throws, so the relay retries
 * with back-off; purging twice is harmless.
 */
export function purgeCdnHandler(options: {
  purge: NonNullable<Config['pageCache']['purge']>;
  log: FastifyBaseLogger;
  now: () => Date;
}): RelayHandler {
  const { purge } = options;
  return async (event: OutboxEvent) => {
    const keys = cacheKeysForEvent(event);
    if (keys.length === 0) return;
    if (options.now().getTime() - Date.parse(event.createdAt) > maxAgeMs) return;
    const urls = purge.url.includes('{key}')
      ? keys.map((key) => purge.url.replaceAll('{key}', encodeURIComponent(key)))
      : [purge.url.replaceAll('{keys}', encodeURIComponent(keys.join(' ')))];
    for (const url of urls) {
      const withBody = purge.method === 'POST' || purge.method === 'PUT';
      const response = await fetch(url, {
        method: purge.method,
        headers: {
          'surrogate-key': keys.join(' '),
          ...(withBody ? { 'content-type': 'application/json' } : {}),
          ...(purge.header ? { [purge.header[0]]: purge.header[1] } : {}),
        },
        ...(withBody ? { body: JSON.stringify({ keys }) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status > 299) throw new Error(`CDN purge answered HTTP ${response.status}`);
    }
    options.log.debug({ outboxId: event.id, keys }, 'CDN purged');
  };
}
