import fs from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.js';
import { openStore, type Store } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock, type Clock, type Deps } from './deps.js';
import { CacheFollower } from './jobs/cache-follower.js';
import { cacheKeysForEvent } from './jobs/purge-cache.js';
import { RedisCacheBus, type BusListeners } from './platform/cache-bus.js';
import { ClusterCacheBus } from './platform/cluster-bus.js';
import { securityHeaders } from './http/security-headers.js';
import { IpRetentionJob } from './jobs/ip-retention.js';
import { addRelayHandler, OutboxRelay, type RelayHandlers } from './jobs/outbox-relay.js';
import { cdnPurgeTopics, purgeCdnHandler } from './jobs/purge-cdn.js';
import { commentEventDeriver, type CommentDeriver } from './jobs/comment-fanout.js';
import { ModerationDigest } from './jobs/moderation-digest.js';
import { StoryScheduler } from './jobs/scheduler.js';
import { sendMailHandler } from './jobs/send-mail.js';
import { reindexSearchHandler } from './jobs/reindex-search.js';
import { deliverWebhookHandler, webhookDeriver } from './jobs/deliver-webhook.js';
import { createMailer, type Mailer } from './platform/mail.js';
import { deriveReplyNotifications } from './modules/notifications/index.js';
import { ensureFirstAdmin } from './modules/people/index.js';
import { countStories, importStory } from './modules/stories/index.js';
import { PageCache } from './platform/page-cache.js';
import { MemoryRateLimiter, type RateLimiter } from './platform/rate-limit.js';
import { RedisRateLimiter } from './platform/redis-rate-limiter.js';
import { sampleContentDir } from './platform/paths.js';
import { ensureSetting, randomSecret } from './platform/settings.js';

export interface Runtime {
  readonly deps: Deps;
  readonly siteName: string;
  readonly scheduler: StoryScheduler;
  readonly relay: OutboxRelay;
  /** Erases IP hashes older than READOUT_IP_RETENTION_DAYS (tests call `ipRetention.run()`). */
  readonly ipRetention: IpRetentionJob;
  /** The moderators' digest of held comments (tests call `digest.tick()`). */
  readonly digest: ModerationDigest;
  /** Set on the first start of a site without an administrator: print once, never log. */
  readonly firstAdmin: { email: string; password: string } | undefined;
  close(): Promise<void>;
}

export interface BootOptions {
  log: FastifyBaseLogger;
  clock?: Clock;
  /** Seed the sample story into an empty database (default true). */
  seed?: boolean;
  /** How often to read other processes' changes from the outbox for cache purging (ms). */
  followIntervalMs?: number;
  /** Run the background jobs (the story scheduler); false for the CLI. Default true. */
  jobs?: boolean;
  /** How often to publish due scheduled stories (ms). */
  scheduleIntervalMs?: number;
  /** How often the outbox relay looks for side effects to run, e.g. mail (ms). */
  relayIntervalMs?: number;
  /** How often to check whether the moderators' digest is due (ms). */
  digestIntervalMs?: number;
}

/** What each comment event leads to after commit: reply notifications, webhook deliveries. */
const commentDerivers: CommentDeriver[] = [deriveReplyNotifications, webhookDeriver];

/** Opens the database, migrates it, loads site settings, seeds the sample story, and builds the deps. */
export async function boot(config: Config, options: BootOptions): Promise<Runtime> {
  const store = openStore(config.database);
  try {
    return await bootWith(store, config, options);
  } catch (error) {
    await store.destroy();
    throw error;
  }
}

async function bootWith(store: Store, config: Config, options: BootOptions): Promise<Runtime> {
  const { log } = options;
  const applied = await migrateToLatest(store);
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  const ipSalt = await ensureSetting(store.db, 'ip_salt', randomSecret);
  const siteName = await ensureSetting(store.db, 'site_name', () => 'The Readout Ledger');
  const pageCache = new PageCache(config.pageCache.enabled, config.pageCache.maxEntries, {
    cacheControl: config.pageCache.cacheControl,
    serverHeaders: securityHeaders({ https: config.publicUrl.startsWith('https:') }),
  });
  const clock = options.clock ?? systemClock;
  const follower = new CacheFollower({ db: store.db, pageCache, log, now: () => clock.now().getTime() }, options.followIntervalMs ?? 500);
  const runsJobs = options.jobs !== false;
  const bus = createCacheBus(config, log, {
    onPurge: (purges) => follower.purgeAnnounced(purges),
    // A worker without jobs committed mail, webhooks or indexing: the relay here takes them now, not at its next tick.
    onWake: () => {
      if (runsJobs) void relay.drain();
    },
  });
  await bus?.connect();
  const mailer = createMailer(config.mail);
  const rateLimiter = await createRateLimiter(config, log);
  const deps: Deps = {
    config,
    store,
    clock,
    log,
    pageCache,
    ipSalt,
    rateLimiter,
    onCommitted: (events) => {
      follower.purgeLocal(events);
      // Run side effects (mail, notifications, webhooks) soon after commit rather than at the next tick: here when jobs run here, else where they do.
      const sideEffects = events.some((e) => relay.handles(e.topic));
      bus?.announce(
        events.map((e) => ({ id: e.id, keys: cacheKeysForEvent(e) })).filter((p) => p.keys.length > 0),
        sideEffects && !runsJobs,
      );
      if (runsJobs && sideEffects) void relay.drain();
    },
    deriveEvents: commentEventDeriver(commentDerivers, () => deps),
  };
  const relay = new OutboxRelay(
    {
      db: store.db,
      dialect: store.dialect,
      log,
      now: () => clock.now(),
      handlers: relayHandlers(deps, { mailer }),
    },
    options.relayIntervalMs ?? 2_000,
  );
  let firstAdmin: Runtime['firstAdmin'];
  if (options.seed !== false) {
    await seedSampleContent(deps);
    firstAdmin = await ensureFirstAdmin(deps, `admin@${new URL(config.publicUrl).hostname}`);
  }
  await follower.start();
  const scheduler = new StoryScheduler(deps, options.scheduleIntervalMs ?? 5_000);
  const ipRetention = new IpRetentionJob(deps);
  const digest = new ModerationDigest(deps, options.digestIntervalMs ?? 60_000);
  if (options.jobs !== false) {
    scheduler.start();
    ipRetention.start();
    digest.start();
    relay.start();
  }
  return {
    deps,
    siteName,
    firstAdmin,
    scheduler,
    relay,
    ipRetention,
    digest,
    close: async () => {
      await digest.stop();
      await relay.stop();
      await rateLimiter.close();
      mailer.close();
      await scheduler.stop();
      await ipRetention.stop();
      await follower.stop();
      await bus?.close();
      await store.destroy();
    },
  };
}

/** What the relay does for each topic: send mail, deliver webhooks, purge the CDN (when READOUT_PURGE_URL is set). */
function relayHandlers(deps: Deps, services: { mailer: Mailer }): RelayHandlers {
  const { config, log } = deps;
  const { mailer } = services;
  const handlers: RelayHandlers = {
    'mail.requested': sendMailHandler({ mailer, log, host: new URL(config.publicUrl).hostname }),
    'webhook.requested': deliverWebhookHandler(deps),
    'story.saved': reindexSearchHandler(deps),
  };
  const purge = config.pageCache.purge;
  if (purge === undefined) return handlers;
  return addRelayHandler(handlers, cdnPurgeTopics, purgeCdnHandler({ purge, log, now: () => deps.clock.now() }));
}

/**
 * How this node tells the others what a commit made stale (and wakes the relay of another node when
 * it runs none): Redis pub/sub when REDIS_URL is set (every node, every machine), else the cluster
 * primary between the workers of this machine.
 */
function createCacheBus(config: Config, log: FastifyBaseLogger, listeners: BusListeners) {
  if (config.redis.url !== undefined) return new RedisCacheBus({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log, ...listeners });
  return ClusterCacheBus.available() ? new ClusterCacheBus(listeners) : undefined;
}

/** Rate limits shared through Redis when REDIS_URL is set (failing open to this process), else in memory. */
async function createRateLimiter(config: Config, log: FastifyBaseLogger): Promise<RateLimiter> {
  if (config.redis.url === undefined) return new MemoryRateLimiter();
  const limiter = new RedisRateLimiter({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log });
  await limiter.connect();
  return limiter;
}

/** On an empty database, imports the sample stories shipped in content/sample (in file-name order). */
export async function seedSampleContent(deps: Deps, dir = sampleContentDir): Promise<number> {
  if ((await countStories(deps)) > 0) return 0;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) await importStory(deps, fs.readFileSync(path.join(dir, file), 'utf8'));
  deps.log.info({ stories: files.length }, 'seeded the sample story');
  return files.length;
}
