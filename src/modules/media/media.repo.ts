import type { Insertable, Kysely } from 'kysely';
import type { Database, MediaRow, MediaTable } from '../../db/schema.js';
import { prepareQuery } from '../../db/prepared.js';

type Db = Kysely<Database>;

export function insertMedia(db: Db, row: Insertable<MediaTable>): Promise<MediaRow> {
  return db.insertInto('media').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findMediaById(db: Db, id: number): Promise<MediaRow | undefined> {
  return mediaByIdQuery.executeTakeFirst(db, { id });
}

const mediaByIdQuery = prepareQuery((db, p: { id: number }) => db.selectFrom('media').selectAll().where('id', '=', p.id));

/** The most recent uploads, newest first. */
export function listRecentMedia(db: Db, limit: number): Promise<MediaRow[]> {
  return db.selectFrom('media').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
