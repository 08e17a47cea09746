import { sql, type Insertable, type Kysely } from 'kysely';
import { boot } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import type { CommentStatus, Database } from '../../src/db/schema.js';
import { emailKey } from '../../src/lib/email-key.js';
import { renderCommentMarkdown } from '../../src/lib/markdown.js';
import { createLogger } from '../../src/platform/logger.js';
import { numberNewThreads } from '../../src/modules/comments/index.js';
import { random } from './random.js';

export interface SeededComments {
  comments: number;
  byStatus: Record<CommentStatus, number>;
  openReports: number;
  history: number;
  /** The commenter with the most comments (email key), for the commenter view. */
  busiestCommenter: { key: string; comments: number };
  /** A held, reported comment with a few history entries: the detail page measured. */
  detailId: number;
  /** An id in the middle of the table: the "older comments" page of the approved view starts there. */
  middleId: number;
  seconds: number;
}


const statuses: [CommentStatus, number][] = [
  ['approved', 0.86],
  ['pending', 0.03],
  ['spam', 0.07],
  ['trash', 0.03],
  ['deleted', 0.01],
];
const firstNames = ['Ann', 'Bo', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jo', 'Kai', 'Lin', 'Mo', 'Noor', 'Oli', 'Pia'];
const phrases = [
  'The ferry timetable has been wrong since March.',
  'Thanks for covering the council meeting, nobody else did.',
  'Has anyone asked the harbour authority about the dredging costs?',
  'This is the third strike this year. Something has to change.',
  'See https://example.org/report for the full figures.',
  'I was there and it did not happen like that.',
];

async function insertChunked<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[], size: number): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a generic table makes Kysely's value type unresolvable
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

/**
 * `count` comments on the published stories of a seeded newsroom (bench/lib/seed-newsroom.ts):
 * mostly approved, ~3% held, spam, trash and a few deleted, from 20,000 commenters of whom a few
 * comment a lot; a "created" history entry each; 600 open and 2,000 resolved reports. Inserted in
 * batches inside one transaction, so 100,000 comments take seconds.
 */
export async function seedComments(databaseUrl: string, o: { count: number }): Promise<SeededComments> {
  const started = Date.now();
  const config = loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL: 'http://127.0.0.1', READOUT_LOG_LEVEL: 'silent' });
  const runtime = await boot(config, { log: createLogger('silent'), seed: false, jobs: false });
  try {
    const db = runtime.deps.store.db;
    const rand = random(4_2026);
    const stories = (await db.selectFrom('stories').select('id').where('status', '=', 'published').orderBy('id').execute()).map((r) => r.id);
    if (stories.length === 0) throw new Error('seedComments needs published stories (seed the newsroom first)');
    const bodies = phrases.map((p) => ({ source: p, html: renderCommentMarkdown(p), links: p.includes('https://') ? 1 : 0 }));
    const commenters = Array.from({ length: 20_000 }, (_, i) => {
      const email = `reader${i}@example.org`;
      return { name: `${firstNames[i % firstNames.length]} ${i}`, email, key: emailKey(runtime.deps.ipSalt, email) };
    });
    const byStatus = { approved: 0, pending: 0, spam: 0, trash: 0, deleted: 0 } as Record<CommentStatus, number>;
    const perCommenter = new Map<string, number>();
    const base = Date.UTC(2025, 0, 1);
    const rows: Insertable<Database['comments']>[] = [];
    for (let i = 0; i < o.count; i++) {
      const r = rand();
      let acc = 0;
      const status = statuses.find(([, p]) => (acc += p) > r)?.[0] ?? 'approved';
      byStatus[status]++;
      // A skewed pick: a few commenters write many comments.
      const who = commenters[Math.floor(Math.pow(rand(), 3) * commenters.length)] as (typeof commenters)[number];
      perCommenter.set(who.key, (perCommenter.get(who.key) ?? 0) + 1);
      const body = bodies[Math.floor(rand() * bodies.length)] as (typeof bodies)[number];
      const held = status === 'pending';
      rows.push({
        story_id: stories[Math.floor(rand() * stories.length)] as number,
        parent_id: null,
        root_id: null,
        depth: 1,
        status,
        author_name: who.name,
        author_email: who.email,
        author_url: rand() < 0.2 ? `https://example.org/~${who.name.split(' ')[1]}` : null,
        body_source: body.source,
        body_html: body.html,
        created_at: new Date(base + i * 60_000).toISOString(),
        ip_hash: null,
        user_agent: 'Mozilla/5.0 (bench)',
        email_key: who.key,
        link_count: body.links,
        spam_score: status === 'spam' ? 8 : held ? 2 : 0,
        moderation_reasons: held
          ? JSON.stringify([{ rule: 'first-time-commenter', verdict: 'hold', detail: 'This email address has no approved comment yet.' }])
          : status === 'spam'
            ? JSON.stringify([{ rule: 'spam-patterns', verdict: 'note', detail: 'Known spam phrase.', score: 8 }])
            : '[]',
      });
    }
    let openReports = 0;
    let history = 0;
    const ids = await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'comments', rows, 500);
      await numberNewThreads(trx);
      const all = (await trx.selectFrom('comments').select(['id', 'status', 'created_at']).orderBy('id').execute()) as { id: number; status: CommentStatus; created_at: string }[];
      const historyRows: Insertable<Database['comment_history']>[] = all.map((c) => ({
        comment_id: c.id,
        action: 'created',
        actor_id: null,
        actor_name: 'Commenter',
        details: JSON.stringify({ status: c.status === 'pending' ? 'pending' : c.status === 'spam' ? 'spam' : 'approved', spamScore: 0, reasons: [] }),
        created_at: c.created_at,
      }));
      await insertChunked(trx, 'comment_history', historyRows, 1000);
      history = historyRows.length;
      const reportRows: Insertable<Database['comment_reports']>[] = [];
      for (let i = 0; i < 2_600; i++) {
        const c = all[Math.floor(rand() * all.length)] as (typeof all)[number];
        const open = i < 600;
        if (open) openReports++;
        reportRows.push({
          comment_id: c.id,
          reason: ['spam', 'abuse', 'off-topic', 'other'][i % 4] as string,
          note: i % 3 === 0 ? 'Please look at this.' : null,
          reporter_key: `reporter-${i % 900}`,
          created_at: c.created_at,
          resolved_at: open ? null : c.created_at,
          resolved_by: null,
        });
      }
      await insertChunked(trx, 'comment_reports', reportRows, 1000);
      return all;
    });
    // The detail page: the newest held comment, reported twice.
    const detail = [...ids].reverse().find((c) => c.status === 'pending') as { id: number; created_at: string };
    await db
      .insertInto('comment_reports')
      .values([0, 1].map((n) => ({ comment_id: detail.id, reason: 'abuse', note: null, reporter_key: `detail-${n}`, created_at: detail.created_at, resolved_at: null, resolved_by: null })))
      .execute();
    // PostgreSQL's autovacuum vacuums and analyzes tables after a load this size (inserts count since
    // version 13); do it now rather than race it, so index-only scans see an up-to-date visibility map.
    if (runtime.deps.store.dialect === 'postgres') {
      for (const table of ['comments', 'comment_reports', 'comment_history']) await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    }
    const [busiestKey, busiestCount] = [...perCommenter.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    return {
      comments: ids.length,
      byStatus,
      openReports: openReports + 2,
      history,
      busiestCommenter: { key: busiestKey, comments: busiestCount },
      detailId: detail.id,
      middleId: (ids[Math.floor(ids.length / 2)] as { id: number }).id,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await runtime.close();
  }
}
