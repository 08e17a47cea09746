import type { Compilable, CompiledQuery, DialectAdapter, Kysely } from 'kysely';
import { nameStatement } from './named-statements.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** A query compiled once per dialect, run again and again with new parameter values. */
export interface PreparedQuery<P, R> {
  /** Every row of the result. */
  execute(db: Db, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  executeTakeFirst(db: Db, params: P): Promise<R | undefined>;
  /** The first row; throws when there is none. */
  executeTakeFirstOrThrow(db: Db, params: P): Promise<R>;
}

interface Template {
  compiled: CompiledQuery;
  /** Where each named parameter goes in the compiled query's parameter list. */
  slots: { index: number; name: string }[];
}

const marker = '\u0000prepared-parameter:';

/**
 * A query for the hot paths (a comment POST runs a dozen statements, and building and compiling
 * each through Kysely's query builder cost as much CPU as SQLite running it): `build` writes the
 * query with Kysely as usual, once per dialect, with a stand-in for each parameter; each run then
 * puts the values in place and hands the compiled SQL to the same connection or transaction, so
 * both databases keep working and SQLite reuses its prepared statement (database.ts).
 *
 * `build` may only pass the parameters into the query as values (where, values, set, limit…): a
 * parameter must never decide the query's shape (a condition, an `in` list, an undefined column
 * in `values`), since the query is built once. Values must not be undefined (use null). A
 * parameter that does not end up as a value of the compiled query is refused when it is built.
 */
export function prepareQuery<P extends Record<string, unknown>, R>(build: (db: Db, params: P) => Compilable<R>): PreparedQuery<P, R> {
  // One template per dialect adapter: a Kysely instance and its transactions share one adapter.
  const templates = new WeakMap<DialectAdapter, Template>();
  const templateFor = (db: Db): Template => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      template = compileTemplate(db, build);
      templates.set(adapter, template);
    }
    return template;
  };
  const run = async (db: Db, params: P): Promise<R[]> => {
    const { compiled, slots } = templateFor(db);
    const parameters = compiled.parameters.slice();
    for (const slot of slots) parameters[slot.index] = params[slot.name];
    const result = await db.executeQuery<R>({ query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, parameters });
    return result.rows;
  };
  return {
    execute: run,
    async executeTakeFirst(db, params) {
      return (await run(db, params))[0];
    },
    async executeTakeFirstOrThrow(db, params) {
      const [row] = await run(db, params);
      if (row === undefined) throw new Error('The prepared query returned no row.');
      return row;
    },
  };
}

function compileTemplate<P extends Record<string, unknown>, R>(db: Db, build: (db: Db, params: P) => Compilable<R>): Template {
  const used = new Set<string>();
  const stand = new Proxy({} as P, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      used.add(name);
      return `${marker}${name}`;
    },
  });
  const compiled = build(db, stand).compile();
  nameStatement(compiled.sql);
  const slots: Template['slots'] = [];
  compiled.parameters.forEach((value, index) => {
    if (typeof value === 'string' && value.startsWith(marker)) slots.push({ index, name: value.slice(marker.length) });
  });
  for (const name of used) {
    if (!slots.some((s) => s.name === name)) throw new Error(`Prepared query parameter "${name}" is not a value of the query: ${compiled.sql}`);
  }
  return { compiled, slots };
}
