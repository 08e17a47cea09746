import type { Insertable, Kysely } from 'kysely';
import type { Database, MediaRow, MediaTable } from '../../db/schema.js';

type Db = Kysely<Database>;

export function insertMedia(db: Db, row: Insertable<MediaTable>): Promise<MediaRow> {
  return db.insertInto('media').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findMediaById(db: Db, id: number): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The most recent uploads, newest first. */
export function listRecentMedia(db: Db, limit: number): Promise<MediaRow[]> {
  return db.selectFrom('media').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
