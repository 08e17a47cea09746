import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DialectName, Store } from './database.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-accounts.js';
import * as m0003 from './migrations/0003-newsroom.js';
import * as m0004 from './migrations/0004-media-and-tokens.js';
import * as m0005 from './migrations/0005-outbox-relay.js';
import * as m0006 from './migrations/0006-admin-indexes.js';
import * as m0007 from './migrations/0007-comment-moderation.js';
import * as m0008 from './migrations/0008-moderation-queue.js';
import * as m0009 from './migrations/0009-comment-lookups.js';
import * as m0010 from './migrations/0010-thread-order.js';
import * as m0011 from './migrations/0011-search.js';
import * as m0012 from './migrations/0012-sitemap-index.js';

type MigrationModule = { up(db: Kysely<unknown>, dialect: DialectName): Promise<void> };

/** All migrations, in order. Names never change once released. */
const migrations: Record<string, MigrationModule> = {
  '0001-initial': m0001,
  '0002-accounts': m0002,
  '0003-newsroom': m0003,
  '0004-media-and-tokens': m0004,
  '0005-outbox-relay': m0005,
  '0006-admin-indexes': m0006,
  '0007-comment-moderation': m0007,
  '0008-moderation-queue': m0008,
  '0009-comment-lookups': m0009,
  '0010-thread-order': m0010,
  '0011-search': m0011,
  '0012-sitemap-index': m0012,
};

/**
 * Brings the schema up to date, all or nothing. On PostgreSQL, Kysely runs each migration in a
 * transaction under a lock, so several nodes may start at once. Kysely does neither on SQLite,
 * so there the whole run is one IMMEDIATE transaction: it holds the file's write lock (a second
 * process waits for it) and a failed migration leaves the schema as it was. Foreign keys are off
 * during the run (SQLite's documented way to rebuild a table) and checked before the commit.
 */
export async function migrateToLatest(store: Store, options: { upTo?: string } = {}): Promise<string[]> {
  if (store.dialect !== 'sqlite') return runMigrations(store, options.upTo);
  await sql`pragma foreign_keys = off`.execute(store.db);
  try {
    await sql`begin immediate`.execute(store.db);
    try {
      const applied = await runMigrations(store, options.upTo);
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(store.db);
      if (broken.rows.length > 0) throw new Error(`Migration left ${broken.rows.length} rows with broken references (first in ${broken.rows[0]?.table}).`);
      await sql`commit`.execute(store.db);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(store.db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(store.db);
  }
}

/** Runs the pending migrations, all of them or (for upgrade tests) up to and including `upTo`. */
async function runMigrations(store: Store, upTo?: string): Promise<string[]> {
  const provided: Record<string, Migration> = {};
  for (const [name, mod] of Object.entries(migrations)) {
    provided[name] = { up: (db) => mod.up(db, store.dialect) };
  }
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => provided },
    migrationTableName: 'readout_migration',
    migrationLockTableName: 'readout_migration_lock',
  });
  const result: MigrationResultSet = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
