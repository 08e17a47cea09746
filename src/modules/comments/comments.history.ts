import type { Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import type { CommentHistoryRow, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** Who acted on a comment: a staff member, the commenter themselves, or the system (rules, retention). */
export type HistoryActor = { id: number; name: string } | 'commenter' | 'system';

export type HistoryAction =
  | 'created'
  | 'edited'
  | 'reported'
  | 'approved'
  | 'held'
  | 'spammed'
  | 'trashed'
  | 'deleted'
  | 'erased'
  | 'anonymised';

/** Appends one entry to a comment's trail (in the caller's transaction). */
export async function insertHistory(
  db: Db,
  entry: { commentId: number; action: HistoryAction; actor: HistoryActor; details: Record<string, unknown>; now: string },
): Promise<void> {
  const actor = entry.actor;
  await insertHistoryQuery.execute(db, {
    comment_id: entry.commentId,
    action: entry.action,
    actor_id: typeof actor === 'object' ? actor.id : null,
    actor_name: typeof actor === 'object' ? actor.name : actor === 'commenter' ? 'Commenter' : 'System',
    details: JSON.stringify(entry.details),
    created_at: entry.now,
  });
}

const insertHistoryQuery = prepareQuery(
  (db, e: { comment_id: number; action: HistoryAction; actor_id: number | null; actor_name: string; details: string; created_at: string }) =>
    db.insertInto('comment_history').values({
      comment_id: e.comment_id,
      action: e.action,
      actor_id: e.actor_id,
      actor_name: e.actor_name,
      details: e.details,
      created_at: e.created_at,
    }),
);

/** A comment's trail, oldest first. */
export function listHistory(db: Db, commentId: number): Promise<CommentHistoryRow[]> {
  return db.selectFrom('comment_history').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
}
