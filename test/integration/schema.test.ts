import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config/config.js';
import { emailKey } from '../../src/lib/email-key.js';
import { createTestDatabase, databaseMatrix } from '../harness/databases.js';

/**
 * The schema fingerprint: every table's columns with their nullability, the same on both
 * databases. A change to the schema changes it, so the change has to come with a migration
 * and a deliberate update of the expected value below.
 */
const expectedFingerprint = 'b30a2ed951a217a4';

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
        assert.deepEqual(await migrateToLatest(store), ['0001-initial', '0002-accounts', '0003-newsroom', '0004-media-and-tokens', '0005-outbox-relay', '0006-admin-indexes', '0007-comment-moderation', '0008-moderation-queue', '0009-comment-lookups', '0010-thread-order', '0011-search', '0012-sitemap-index']);
        assert.deepEqual(await migrateToLatest(store), []);
        // The search engines' own structures differ by design (docs/search.md): SQLite's FTS5 table
        // story_search_fts and its shadow tables, PostgreSQL's generated tsvector story_search.document.
        const engineSpecific = (c: string) => c.startsWith('story_search_fts') || c.replace(/\?$/, '') === 'story_search.document';
        const schema = (await describeSchema(store)).filter((c) => !c.startsWith('readout_migration') && !engineSpecific(c));
        const fingerprint = createHash('sha256').update(schema.join('\n')).digest('hex').slice(0, 16);
        assert.equal(fingerprint, expectedFingerprint, `schema changed:\n${schema.join('\n')}`);
      } finally {
        await store.destroy();
        await database.drop();
      }
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`upgrading an existing ${kind} database to comment moderation (0007)`, { skip }, () => {
    it('keeps every comment with its thread, fills email keys, allows the new status, numbers threads and still enforces references', async () => {
      const database = await createTestDatabase(kind);
      const store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      const db = store.db;
      try {
        await migrateToLatest(store, { upTo: '0006-admin-indexes' });
        const now = '2026-11-27T09:00:00.000Z';
        await db.insertInto('settings').values({ key: 'ip_salt', value: 'salt-for-upgrade' }).execute();
        const story = await db
          .insertInto('stories')
          .values({ slug: 's', headline: 'H', byline: 'B', body_source: 'x', body_html: '<p>x</p>', status: 'published', published_at: now, created_at: now, modified_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        const base = { story_id: story.id, author_name: 'Ann', author_email: 'Ann@Example.org ', author_url: null, body_source: 'hi', body_html: '<p>hi</p>', created_at: now, ip_hash: 'h', user_agent: 'ua' };
        const top = await db.insertInto('comments').values({ ...base, depth: 1, status: 'approved', parent_id: null, root_id: null }).returning('id').executeTakeFirstOrThrow();
        await db.insertInto('comments').values({ ...base, depth: 2, status: 'pending', parent_id: top.id, root_id: top.id }).execute();

        assert.deepEqual(await migrateToLatest(store, { upTo: '0007-comment-moderation' }), ['0007-comment-moderation']);
        const rows = await db.selectFrom('comments').select(['id', 'parent_id', 'root_id', 'status', 'email_key', 'ip_hash']).orderBy('id').execute();
        assert.equal(rows.length, 2);
        assert.equal(rows[1]?.parent_id, top.id);
        assert.equal(rows[1]?.status, 'pending');
        assert.equal(rows[0]?.email_key, emailKey('salt-for-upgrade', 'ann@example.org'));
        assert.equal(rows[0]?.email_key, rows[1]?.email_key);

        await db.updateTable('comments').set({ status: 'deleted', ip_hash: null }).where('id', '=', top.id).execute();
        await assert.rejects(db.updateTable('comments').set({ status: 'bogus' as never }).where('id', '=', top.id).execute());
        await assert.rejects(db.insertInto('comments').values({ ...base, story_id: 999_999, depth: 1, status: 'approved' }).execute());
        // Later migrations number the existing threads (0010): the one thread, first.
        await migrateToLatest(store);
        const numbered = await db.selectFrom('comments').select(['id', 'thread_seq']).orderBy('id').execute();
        assert.deepEqual(numbered.map((c) => c.thread_seq), [1, null]);
        assert.equal((await db.selectFrom('stories').select('comment_threads').executeTakeFirstOrThrow()).comment_threads, 1);
        // Deleting the story still removes its comments (the rebuilt table kept its references).
        await db.deleteFrom('stories').where('id', '=', story.id).execute();
        assert.equal((await db.selectFrom('comments').select('id').execute()).length, 0);
      } finally {
        await store.destroy();
        await database.drop();
      }
    });
  });
}
