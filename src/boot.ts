import fs from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.js';
import { openStore, type Store } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock, type Clock, type Deps } from './deps.js';
import { CacheFollower } from './jobs/cache-follower.js';
import { OutboxRelay } from './jobs/outbox-relay.js';
import { commentFanoutHandler, type CommentDeriver } from './jobs/comment-fanout.js';
import { StoryScheduler } from './jobs/scheduler.js';
import { sendMailHandler } from './jobs/send-mail.js';
import { createMailer } from './platform/mail.js';
import { ensureFirstAdmin } from './modules/people/index.js';
import { countStories, importStory } from './modules/stories/index.js';
import { PageCache } from './platform/page-cache.js';
import { MemoryRateLimiter } from './platform/rate-limit.js';
import { sampleContentDir } from './platform/paths.js';
import { ensureSetting, randomSecret } from './platform/settings.js';

export interface Runtime {
  readonly deps: Deps;
  readonly siteName: string;
  readonly scheduler: StoryScheduler;
  readonly relay: OutboxRelay;
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
}

/** What each comment event leads to after commit: reply notifications, webhook deliveries. */
const commentDerivers: CommentDeriver[] = [];

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
  const pageCache = new PageCache(config.pageCache.enabled, config.pageCache.maxEntries);
  const clock = options.clock ?? systemClock;
  const follower = new CacheFollower({ db: store.db, pageCache, log, now: () => clock.now().getTime() }, options.followIntervalMs ?? 500);
  const mailer = createMailer(config.mail);
  const rateLimiter = new MemoryRateLimiter();
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
      // Run side effects (mail, notifications, webhooks) soon after commit rather than at the next tick (only where jobs run).
      if (options.jobs !== false && events.some((e) => relay.handles(e.topic))) void relay.drain();
    },
  };
  const fanout = commentFanoutHandler(deps, commentDerivers);
  const relay = new OutboxRelay(
    {
      db: store.db,
      dialect: store.dialect,
      log,
      now: () => clock.now(),
      handlers: {
        'mail.requested': sendMailHandler({ mailer, log, host: new URL(config.publicUrl).hostname }),
        'comment.created': (event, row) => fanout(event, row),
        'comment.status-changed': (event, row) => fanout(event, row),
        'comment.reported': (event, row) => fanout(event, row),
      },
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
  if (options.jobs !== false) {
    scheduler.start();
    relay.start();
  }
  return {
    deps,
    siteName,
    firstAdmin,
    scheduler,
    relay,
    close: async () => {
      await relay.stop();
      await rateLimiter.close();
      mailer.close();
      await scheduler.stop();
      await follower.stop();
      await store.destroy();
    },
  };
}

/** On an empty database, imports the sample stories shipped in content/sample (in file-name order). */
export async function seedSampleContent(deps: Deps, dir = sampleContentDir): Promise<number> {
  if ((await countStories(deps)) > 0) return 0;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) await importStory(deps, fs.readFileSync(path.join(dir, file), 'utf8'));
  deps.log.info({ stories: files.length }, 'seeded the sample story');
  return files.length;
}
