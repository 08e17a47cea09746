import { sql, type CreateTableBuilder, type RawBuilder } from 'kysely';
import type { DialectName } from '../database.js';

/** Column type for times: timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
export function timeType(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`timestamptz` : sql`text`;
}

/** Adds an auto-generated integer primary key `id`: an identity column on PostgreSQL, AUTOINCREMENT on SQLite. */
export function withId(builder: CreateTableBuilder<string, never>, dialect: DialectName): CreateTableBuilder<string, 'id'> {
  return dialect === 'postgres'
    ? builder.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : builder.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
