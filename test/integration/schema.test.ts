import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config/config.js';
import { createTestDatabase, databaseMatrix } from '../harness/databases.js';

/**
 * The schema fingerprint: every table's columns with their nullability, the same on both
 * databases. A change to the schema changes it, so the change has to come with a migration
 * and a deliberate update of the expected value below.
 */
const expectedFingerprint = '3b844bdfef5ef304';

async function describeSchema(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db);
    const out: string[] = [];
    for (const { name } of tables.rows) {
      const cols = await sql<{ name: string; notnull: number; pk: number }>`select name, "notnull", pk from pragma_table_info(${name})`.execute(store.db);
      for (const c of cols.rows) out.push(`${name}.${c.name}${c.notnull || c.pk ? '' : '?'}`);
    }
    return out.sort();
  }
  const cols = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
    select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'`.execute(store.db);
  return cols.rows.map((c) => `${c.table_name}.${c.column_name}${c.is_nullable === 'YES' ? '?' : ''}`).sort();
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`schema on ${kind}`, { skip }, () => {
    it('migrates an empty database to the expected schema, and a second run changes nothing', async () => {
      const database = await createTestDatabase(kind);
      const store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      try {
        assert.deepEqual(await migrateToLatest(store), ['0001-initial', '0002-accounts', '0003-newsroom', '0004-media-and-tokens', '0005-outbox-relay', '0006-admin-indexes', '0007-comment-moderation']);
        assert.deepEqual(await migrateToLatest(store), []);
        const schema = (await describeSchema(store)).filter((c) => !c.startsWith('readout_migration'));
        const fingerprint = createHash('sha256').update(schema.join('\n')).digest('hex').slice(0, 16);
        assert.equal(fingerprint, expectedFingerprint, `schema changed:\n${schema.join('\n')}`);
      } finally {
        await store.destroy();
        await database.drop();
      }
    });
  });
}
