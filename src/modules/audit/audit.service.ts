import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { AuditRow, Database } from '../../db/schema.js';
import { assertCan, type Actor } from '../people/index.js';
import * as repo from './audit.repo.js';

export interface AuditEntry {
  actor: Actor;
  /** `noun.past-tense`, e.g. `story.published`, `correction.removed`. */
  action: string;
  /** `settings` (id 0) for site-wide settings such as the comment settings. */
  subject: { type: 'story' | 'correction' | 'person' | 'comment' | 'media' | 'webhook' | 'settings'; id: number };
  details?: Record<string, unknown>;
  now: string;
}

/** Records an audit entry in the caller's transaction, so it exists exactly when the change does. */
export async function recordAudit(trx: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await repo.insertAuditEntry(trx, {
    actor_id: entry.actor.personId === 0 ? null : entry.actor.personId,
    actor_name: entry.actor.name,
    action: entry.action,
    subject_type: entry.subject.type,
    subject_id: entry.subject.id,
    details: JSON.stringify(entry.details ?? {}),
    created_at: entry.now,
  });
}

/** The audit log, newest first (admins only). */
export async function listAudit(
  deps: Deps,
  actor: Actor,
  o: { limit?: number; beforeId?: number; subject?: { type: string; id: number } } = {},
): Promise<AuditRow[]> {
  assertCan(actor, 'audit.read');
  return repo.listAuditEntries(deps.store.db, { limit: Math.min(o.limit ?? 50, 200), ...o });
}
