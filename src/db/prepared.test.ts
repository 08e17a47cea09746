import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../../test/harness/databases.js';
import { loadConfig } from '../config/config.js';
import { openStore, type Store } from './database.js';
import { migrateToLatest } from './migrate.js';
import { prepareQuery } from './prepared.js';

const findSetting = prepareQuery((db, p: { key: string }) => db.selectFrom('settings').select(['key', 'value']).where('key', '=', p.key));
/** The same parameter twice, and constants (the limit) kept between the parameters. */
const settingsBetween = prepareQuery((db, p: { low: string; high: string }) =>
  db
    .selectFrom('settings')
    .select('key')
    .where('key', '>=', p.low)
    .where('key', '<=', p.high)
    .where((eb) => eb.or([eb('key', '=', p.low), eb('key', '!=', '')]))
    .orderBy('key')
    .limit(10),
);
const insertSetting = prepareQuery((db, p: { key: string; value: string }) =>
  db.insertInto('settings').values({ key: p.key, value: p.value }).returning(['key', 'value']),
);

for (const { kind, skip } of await databaseMatrix()) {
  describe(`prepared queries on ${kind}`, { skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(kind);
      store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      await migrateToLatest(store);
    });
    after(async () => {
      await store.destroy();
      await database.drop();
    });

    it('runs with new values each time, on the database and inside a transaction', async () => {
      assert.deepEqual(await insertSetting.executeTakeFirstOrThrow(store.db, { key: 'p.a', value: 'A' }), { key: 'p.a', value: 'A' });
      await store.db.transaction().execute(async (trx) => {
        await insertSetting.execute(trx, { key: 'p.b', value: 'B' });
        // Inside the transaction its own write is visible; outside (PostgreSQL: another connection) it is not yet.
        assert.equal((await findSetting.executeTakeFirst(trx, { key: 'p.b' }))?.value, 'B');
      });
      assert.equal((await findSetting.executeTakeFirst(store.db, { key: 'p.a' }))?.value, 'A');
      assert.equal((await findSetting.executeTakeFirst(store.db, { key: 'p.b' }))?.value, 'B');
      assert.equal(await findSetting.executeTakeFirst(store.db, { key: 'p.none' }), undefined);
      await assert.rejects(findSetting.executeTakeFirstOrThrow(store.db, { key: 'p.none' }), /no row/);
    });

    it('puts a parameter used twice in both places and keeps the constants', async () => {
      assert.deepEqual(
        (await settingsBetween.execute(store.db, { low: 'p.a', high: 'p.b' })).map((r) => r.key),
        ['p.a', 'p.b'],
      );
      assert.deepEqual(
        (await settingsBetween.execute(store.db, { low: 'p.b', high: 'p.z' })).map((r) => r.key),
        ['p.b'],
      );
    });

    it('refuses a parameter that the query does not take as a value', async () => {
      const shaped = prepareQuery((db, p: { column: 'key' | 'value' }) => db.selectFrom('settings').select('key').orderBy(p.column === 'key' ? 'key' : 'value'));
      await assert.rejects(shaped.execute(store.db, { column: 'key' }), /"column" is not a value of the query/);
    });
  });
}
