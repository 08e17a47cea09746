import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../../test/harness/databases.js';
import { withNamedStatements } from './named-statements.js';
import { prepareQuery } from './prepared.js';
import type { Database } from './schema.js';

const postgres = (await databaseMatrix()).find((m) => m.kind === 'postgres');

/** A prepared query on a table the test changes (the settings table stands in for any: only its name matters). */
const everySetting = prepareQuery((db) => db.selectFrom('settings').selectAll().orderBy('key'));

describe('named prepared statements on postgres', { skip: postgres?.skip ?? 'no PostgreSQL' }, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<Database>;
  /** What the one connection has prepared, as the server lists it. */
  const prepared = async () => (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db)).rows.map((r) => r.name);
  before(async () => {
    database = await createTestDatabase('postgres');
    // One connection, so every query below runs on the session that prepared the statement.
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
    await sql`create table settings (key text primary key, value text not null)`.execute(db);
    await sql`insert into settings values ('a', 'A')`.execute(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('prepares a registered query once per connection and runs it by name', async () => {
    assert.deepEqual(await everySetting.execute(db, {}), [{ key: 'a', value: 'A' }]);
    const names = await prepared();
    assert.equal(names.length, 1);
    assert.match(names[0] ?? '', /^readout_\d+$/);
    await sql`insert into settings values ('b', 'B')`.execute(db);
    assert.deepEqual(await everySetting.execute(db, {}), [{ key: 'a', value: 'A' }, { key: 'b', value: 'B' }]);
    // Queries that were not registered are not named.
    assert.deepEqual(await prepared(), names);
  });

  it('prepares again after a migration changed the table under the connection', async () => {
    // `select *` may not change its result type under a prepared statement: PostgreSQL refuses to run it.
    await sql`alter table settings add column note text`.execute(db);
    assert.deepEqual(await everySetting.execute(db, {}), [
      { key: 'a', value: 'A', note: null },
      { key: 'b', value: 'B', note: null },
    ]);
  });

  it('prepares again when the session lost its statements (a pooler reset it)', async () => {
    await sql`deallocate all`.execute(db);
    assert.equal((await everySetting.execute(db, {})).length, 2);
    assert.equal((await prepared()).length, 1);
  });
});
