import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * PostgreSQL named prepared statements for the hot queries (db/prepared.ts): each connection
 * parses and plans such a query once and then only binds and runs it. On a story page the
 * planning was as costly as the reading (the page of comments: ~1.3 ms a run unnamed, ~0.7 ms
 * named). Only SQL texts registered here are named; everything else runs as before.
 *
 * Two server answers are recovered from, by preparing the text again under a fresh name and
 * running it once more: "cached plan must not change result type" (a migration changed a table
 * under a long-lived connection) and "prepared statement does not exist" (the session was reset,
 * e.g. by a pooler). Behind a pooler in transaction mode that does not keep prepared statements,
 * turn this off with READOUT_PG_NAMED_STATEMENTS=off.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect();
      if (!named.has(client)) named.set(client, namingQuery(client));
      return client as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/** Registers a query text to run as a named statement (several registrations of one text are one). */
export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `readout_${names.size + 1}`);
}

/** The statement name of each registered SQL text. */
const names = new Map<string, string>();

/** Connections whose `query` runs registered texts as named statements. */
const named = new WeakMap<pg.PoolClient, true>();

/** Server errors after which a named statement is prepared again under a new name. */
const stalePreparation = new Set(['0A000', '26000']);

function namingQuery(client: pg.PoolClient): true {
  const plain = client.query.bind(client) as (config: unknown, values?: unknown[]) => Promise<pg.QueryResult>;
  /** Per connection: texts prepared again after an error, with the name now in use. */
  const renamed = new Map<string, string>();
  let renames = 0;
  const run = (text: string, name: string, values: unknown[] | undefined) => plain({ name, text, values });
  (client as unknown as { query: unknown }).query = (config: unknown, values?: unknown[]) => {
    const name = typeof config === 'string' ? (renamed.get(config) ?? names.get(config)) : undefined;
    if (name === undefined || typeof config !== 'string') return plain(config, values);
    return run(config, name, values).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !stalePreparation.has(code)) throw error;
      const fresh = `${name}_${++renames}`;
      renamed.set(config, fresh);
      return run(config, fresh, values);
    });
  };
  return true;
}
