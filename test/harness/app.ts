import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { boot, type Runtime } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import type { Clock, Deps } from '../../src/deps.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  runtime: Runtime;
  database: TestDatabase;
  close(): Promise<void>;
}

export const testPublicUrl = 'http://localhost:3000';

/** A real app on a fresh database of the given kind, ready for `app.inject()`. */
export async function createTestApp(options: {
  db: DatabaseKind;
  seed?: boolean;
  clock?: Clock;
  env?: Record<string, string>;
  /** Share another test app's database (a second app node); it is then dropped by its owner only. */
  database?: TestDatabase;
  /**
   * How often the cache follower reads the outbox (500 ms by default). A suite that asserts what
   * its own process has cached sets it beyond the suite's length: the follower's second purge of
   * this process's events (already purged at commit) would otherwise race those assertions.
   */
  followIntervalMs?: number;
}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.db));
  const ownsDatabase = options.database === undefined;
  // A data folder of its own (mail written as .eml files, media), removed on close.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-data-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    PUBLIC_URL: testPublicUrl,
    READOUT_LOG_LEVEL: 'silent',
    READOUT_DATA_DIR: dataDir,
    // Tests post many comments from one address in a moment; suites about rate limits set these.
    READOUT_COMMENT_RATE_IP: 'off',
    READOUT_COMMENT_RATE_EMAIL: 'off',
    ...options.env,
  });
  const log = createLogger(config.logLevel);
  const runtime = await boot(config, {
    log,
    seed: options.seed ?? false,
    // Tests drive the scheduler with runtime.scheduler.tick() rather than a timer.
    jobs: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.followIntervalMs ? { followIntervalMs: options.followIntervalMs } : {}),
  });
  const app = await buildApp(runtime.deps, { siteName: runtime.siteName });
  await app.ready();
  return {
    app,
    deps: runtime.deps,
    runtime,
    database,
    close: async () => {
      await app.close();
      await runtime.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (ownsDatabase) await database.drop();
    },
  };
}

/** A clock that stands still until moved. */
export class FakeClock implements Clock {
  constructor(private time = new Date('2026-11-27T09:00:00Z').getTime()) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
