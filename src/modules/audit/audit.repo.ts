import type { Kysely } from 'kysely';
import type { AuditRow, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

export async function insertAuditEntry(db: Db, entry: Omit<AuditRow, 'id'>): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}

/** Newest first; `beforeId` pages backwards. */
export function listAuditEntries(
  db: Db,
  o: { limit: number; beforeId?: number; subject?: { type: string; id: number } },
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(o.limit);
  if (o.beforeId !== undefined) query = query.where('id', '<', o.beforeId);
  if (o.subject) query = query.where('subject_type', '=', o.subject.type).where('subject_id', '=', o.subject.id);
  return query.execute();
}
