import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database, Role } from '../../db/schema.js';

type Db = Kysely<Database>;

/** A token as its owner and the admin screens see it: never its hash. */
export type ApiTokenSummary = Omit<ApiTokenRow, 'token_hash'>;

/** A token found by its hash, with what decides whether its person may still use it. */
export interface ApiTokenHolder {
  id: number;
  revoked_at: string | null;
  last_used_at: string | null;
  person_id: number;
  person_name: string;
  role: Role | null;
  disabled_at: string | null;
}

const summaryColumns = ['id', 'person_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

export function insertApiToken(
  db: Db,
  token: { personId: number; name: string; tokenHash: string; prefix: string; now: string },
): Promise<ApiTokenSummary> {
  return db
    .insertInto('api_tokens')
    .values({ person_id: token.personId, name: token.name, token_hash: token.tokenHash, prefix: token.prefix, created_at: token.now })
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}

/** A person's tokens, newest first, revoked ones included. */
export function listApiTokensOf(db: Db, personId: number): Promise<ApiTokenSummary[]> {
  return db.selectFrom('api_tokens').select(summaryColumns).where('person_id', '=', personId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function countActiveApiTokensOf(db: Db, personId: number): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findApiTokenById(db: Db, id: number): Promise<ApiTokenSummary | undefined> {
  return db.selectFrom('api_tokens').select(summaryColumns).where('id', '=', id).executeTakeFirst();
}

export function findApiTokenHolder(db: Db, tokenHash: string): Promise<ApiTokenHolder | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('people', 'people.id', 'api_tokens.person_id')
    .select([
      'api_tokens.id',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'api_tokens.person_id',
      'people.name as person_name',
      'people.role',
      'people.disabled_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks a token revoked; undefined when it was revoked already (the first time is kept). */
export function updateApiTokenRevoked(db: Db, id: number, now: string): Promise<ApiTokenSummary | undefined> {
  return db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returning(summaryColumns).executeTakeFirst();
}

/** Records a use of the token, unless one was recorded since `notSince` (so a busy client writes at most once a minute). */
export async function touchApiToken(db: Db, id: number, o: { now: string; notSince: string }): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: o.now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', o.notSince)]))
    .execute();
}
