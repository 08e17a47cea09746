import type { Kysely } from 'kysely';
import type { CommentStatus, Database, NewCommentRow } from '../../src/db/schema.js';
import { numberNewThreads } from '../../src/modules/comments/index.js';

export interface SeededThreads {
  /** Top-level comment ids, oldest first. */
  roots: number[];
  /** Every comment: id, parent, root (null for a root) and depth. */
  all: { id: number; parent_id: number | null; root_id: number | null; depth: number }[];
}

/**
 * `count` approved comments on a story, inserted in batches straight into the table (fast enough
 * for 10,000): about 30% thread roots, the rest replies spread over the roots, a third of them
 * one level deeper. Deterministic, so every database gets the same shape.
 */
export async function seedCommentThreads(
  db: Kysely<Database>,
  o: { storyId: number; count: number; createdAt: string; status?: CommentStatus },
): Promise<SeededThreads> {
  const rootCount = Math.max(1, Math.ceil(o.count * 0.3));
  const replies = o.count - rootCount;
  const deeper = Math.floor(replies / 3);
  const row = (i: number, parent: { id: number; root: number; depth: number } | null): NewCommentRow => ({
    story_id: o.storyId,
    parent_id: parent?.id ?? null,
    root_id: parent ? parent.root : null,
    depth: parent ? parent.depth + 1 : 1,
    status: o.status ?? 'approved',
    author_name: `Seeded reader ${i % 97}`,
    author_email: `seeded${i % 97}@example.org`,
    author_url: null,
    body_source: `Seeded comment ${i}: the overtime ban is the symptom; the staffing plan is the dispute.`,
    body_html: `<p>Seeded comment ${i}: the overtime ban is the symptom; the staffing plan is the dispute.</p>\n`,
    created_at: o.createdAt,
    ip_hash: null,
    user_agent: 'seed',
  });
  const insert = async (rows: NewCommentRow[]) => {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = await db.insertInto('comments').values(rows.slice(i, i + 500)).returning('id').execute();
      ids.push(...chunk.map((r) => r.id));
    }
    return ids;
  };
  const all: SeededThreads['all'] = [];
  const roots = await insert(Array.from({ length: rootCount }, (_, i) => row(i, null)));
  for (const id of roots) all.push({ id, parent_id: null, root_id: null, depth: 1 });
  const level2Parents = Array.from({ length: replies - deeper }, (_, j) => roots[(j * 7) % rootCount] as number);
  const level2 = await insert(level2Parents.map((p, j) => row(rootCount + j, { id: p, root: p, depth: 1 })));
  level2.forEach((id, j) => all.push({ id, parent_id: level2Parents[j] as number, root_id: level2Parents[j] as number, depth: 2 }));
  const level3Parents = level2.length === 0 ? [] : Array.from({ length: deeper }, (_, j) => j % level2.length);
  const level3 = await insert(
    level3Parents.map((k, j) => row(rootCount + level2.length + j, { id: level2[k] as number, root: level2Parents[k] as number, depth: 2 })),
  );
  level3.forEach((id, j) => {
    const k = level3Parents[j] as number;
    all.push({ id, parent_id: level2[k] as number, root_id: level2Parents[k] as number, depth: 3 });
  });
  // Written straight into the table: number the new threads as the services would have.
  await numberNewThreads(db);
  return { roots, all };
}
