import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.js';
import type { Database } from './schema.js';
import { withNamedStatements } from './named-statements.js';
import { WriteBatcher } from './write-batch.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /**
   * Runs `work` in a transaction; on SQLite, grouped with the other writes of the same moment into
   * one commit (each in a savepoint: see write-batch.ts). For frequent small writes (comment posts).
   */
  transact<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  destroy(): Promise<void>;
}

// PostgreSQL: bigint (count(*)) as number, timestamptz as an ISO-8601 UTC string, like SQLite.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1184, timestampToIso);

/** PostgreSQL's text form of a timestamptz in a UTC session: `2026-11-27 09:00:00.123456+00`. */
const utcTimestamp = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as `2026-11-27T09:00:00.123Z` (milliseconds, the rest cut off, as Date does). The
 * usual UTC form is rewritten as text (a story page reads hundreds: Date's parser cost ~0.5 µs
 * each); any other offset goes through Date.
 */
export function timestampToIso(text: string): string {
  const utc = utcTimestamp.exec(text);
  if (!utc) return new Date(text).toISOString();
  return `${utc[1]}T${utc[2]}.${`${utc[3] ?? ''}000`.slice(0, 3)}Z`;
}

/** Opens the configured database. SQLite runs in WAL mode with synchronous=FULL so an acknowledged write survives a crash. */
export function openStore(database: Config['database']): Store {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it, and queries in flight fail with their own errors.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: database.namedStatements ? withNamedStatements(pool) : pool }) });
    return { db, dialect: 'postgres', transact: (work) => db.transaction().execute(work), destroy: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
  const batcher = new WriteBatcher(db);
  return { db, dialect: 'sqlite', transact: (work) => batcher.run(work), destroy: () => db.destroy() };
}

/** How many distinct SQL texts keep their prepared statement (Kysely uses `?` placeholders, so there are few). */
const statementCacheSize = 500;

/**
 * The database as Kysely sees it, with prepared statements kept and reused: Kysely's SQLite driver
 * prepares every query afresh, which cost about 35 µs a statement, some 15% of a comment POST
 * (bench/story-page.bench.ts). A statement still being iterated (a streamed query) is never handed
 * out twice; that caller gets a fresh one.
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached?.busy) return sqlite.prepare(sql);
      if (cached) {
        // Keep recently used statements at the end so eviction drops the least recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > statementCacheSize) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
  };
}
