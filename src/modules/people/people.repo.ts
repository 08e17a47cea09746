import type { Kysely } from 'kysely';
import type { Database, PersonRow, Role, SessionRow } from '../../db/schema.js';

type Db = Kysely<Database>;

export function findPersonByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findPersonById(db: Db, id: number): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPersonBySlug(db: Db, slug: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** People with a role (staff accounts), by name. */
export function listStaff(db: Db): Promise<PersonRow[]> {
  return db.selectFrom('people').selectAll().where('role', 'is not', null).orderBy('name').orderBy('id').execute();
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertPerson(
  db: Db,
  person: { name: string; slug: string; email: string; role: Role; passwordHash: string; mustChangePassword: boolean; now: string },
): Promise<PersonRow> {
  return db
    .insertInto('people')
    .values({
      name: person.name,
      slug: person.slug,
      bio: null,
      email: person.email,
      role: person.role,
      password_hash: person.passwordHash,
      must_change_password: person.mustChangePassword ? 1 : 0,
      created_at: person.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePerson(
  db: Db,
  id: number,
  changes: Partial<Pick<PersonRow, 'name' | 'email' | 'role' | 'password_hash' | 'must_change_password' | 'disabled_at'>>,
): Promise<PersonRow> {
  return db.updateTable('people').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function insertSession(db: Db, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Db, personId: number, exceptId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countAttemptsSince(db: Db, key: string, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('sign_in_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('attempted_at').as('oldest')])
    .where('key', '=', key)
    .where('attempted_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}

export async function insertAttempts(db: Db, keys: readonly string[], at: string): Promise<void> {
  await db.insertInto('sign_in_attempts').values(keys.map((key) => ({ key, attempted_at: at }))).execute();
}

export async function deleteAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute();
}

/** Removes attempts older than the throttle window and expired sessions. */
export async function pruneAuthRows(db: Db, attemptsBefore: string, now: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('attempted_at', '<', attemptsBefore).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}
