import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timeType, withId } from './helpers.js';

/** Delivery state on outbox rows (for the relay's side effects, e.g. mail) and password reset tokens. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = timeType(dialect);
  // Rows with a handler (mail, …) are claimed by one worker at a time and retried with back-off.
  await db.schema.alterTable('outbox').addColumn('handled_at', time).execute();
  await db.schema.alterTable('outbox').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('outbox').addColumn('next_attempt_at', time).execute();
  await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
  await db.schema.createIndex('outbox_pending_idx').on('outbox').columns(['handled_at', 'next_attempt_at']).execute();

  await withId(db.schema.createTable('password_resets'), dialect)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();
}
