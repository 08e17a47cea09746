import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/config.js';
import { openStore, type Store } from './database.js';
import { migrateToLatest } from './migrate.js';

describe('group commit on SQLite (Store.transact)', () => {
  let dir = '';
  let store: Store;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-batch-'));
    store = openStore(loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}` }).database);
    await migrateToLatest(store);
  });
  after(async () => {
    await store.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const setting = (key: string) => store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();

  it('commits work queued at the same moment together, each answered only after the commit', async () => {
    const seenInside: boolean[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        store.transact(async (trx) => {
          await trx.insertInto('settings').values({ key, value: key.toUpperCase() }).execute();
          // Inside the shared transaction, what the batch wrote so far is visible.
          seenInside.push((await trx.selectFrom('settings').select('key').where('key', 'in', ['a', 'b', 'c']).execute()).length > 0);
          return key;
        }),
      ),
    );
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(seenInside, [true, true, true]);
    // A second connection to the file sees all of it: it was committed before anyone was answered.
    const other = openStore(loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}` }).database);
    try {
      const rows = await other.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['a', 'b', 'c']).orderBy('key').execute();
      assert.deepEqual(rows, [
        { key: 'a', value: 'A' },
        { key: 'b', value: 'B' },
        { key: 'c', value: 'C' },
      ]);
    } finally {
      await other.destroy();
    }
  });

  it('undoes a failing piece of work alone: its caller gets the error, the others commit', async () => {
    const outcomes = await Promise.allSettled([
      store.transact((trx) => trx.insertInto('settings').values({ key: 'before', value: '1' }).execute()),
      store.transact(async (trx) => {
        await trx.insertInto('settings').values({ key: 'half-written', value: '1' }).execute();
        throw new Error('refused halfway');
      }),
      store.transact((trx) => trx.insertInto('settings').values({ key: 'after', value: '1' }).execute()),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /refused halfway/);
    assert.ok(await setting('before'));
    assert.ok(await setting('after'));
    assert.equal(await setting('half-written'), undefined, 'nothing of the failed piece is stored');
  });

  it('answers every caller when several pieces of one batch fail', async () => {
    const outcomes = await Promise.allSettled(
      ['ok-1', 'bad-1', 'ok-2', 'bad-2', 'ok-3'].map((key) =>
        store.transact(async (trx) => {
          await trx.insertInto('settings').values({ key, value: '1' }).execute();
          if (key.startsWith('bad')) throw new Error(`refused ${key}`);
          return key;
        }),
      ),
    );
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const keys = await store.db.selectFrom('settings').select('key').where('key', 'like', '%-_').orderBy('key').execute();
    assert.deepEqual(keys.map((k) => k.key), ['ok-1', 'ok-2', 'ok-3']);
  });
});
