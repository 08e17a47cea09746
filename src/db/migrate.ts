import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DialectName, Store } from './database.js';
import * as m0001 from './migrations/0001-initial.js';

type MigrationModule = { up(db: Kysely<unknown>, dialect: DialectName): Promise<void> };

/** All migrations, in order. Names never change once released. */
const migrations: Record<string, MigrationModule> = {
  '0001-initial': m0001,
};

/** Brings the schema up to date. Safe to run from several nodes at once (Kysely takes a lock). */
export async function migrateToLatest(store: Store): Promise<string[]> {
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
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
