import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/config.js';
import { openStore } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase } from '../harness/databases.js';
import { eventually } from '../harness/wait.js';

describe('SQLite checkpoints', () => {
  it('are done by the worker thread, not by commits on the server connection', async () => {
    const database = await createTestDatabase('sqlite');
    const config = loadConfig({ DATABASE_URL: database.url });
    const file = config.database.kind === 'sqlite' ? config.database.file : '';
    const store = openStore(config.database);
    try {
      const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
      assert.equal(autocheckpoint.rows[0]?.wal_autocheckpoint, 0);
      await migrateToLatest(store);
      // The schema lives in the WAL until a checkpoint copies it into the database file.
      await eventually(async () => fs.statSync(file).size > 4096 * 10, 10_000);
    } finally {
      await store.destroy();
      await database.drop();
    }
  });
});
