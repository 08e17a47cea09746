import { sql, type Kysely } from 'kysely';
import { plainText, plainTextOfHtml } from '../../lib/plain-text.js';
import type { DialectName } from '../database.js';
import { timeType } from './helpers.js';

/**
 * Full-text search of published stories (issue 5). `story_search` holds one row per published
 * story: its headline, dek, body and tag names as plain text, with its section and publication
 * time for the filters. The engine's index over it differs by database:
 * - SQLite: an FTS5 table `story_search_fts` with `story_search` as its external content, kept in
 *   step by triggers (porter stemming, Unicode folding without diacritics);
 * - PostgreSQL: a stored generated `document` tsvector (headline A, dek B, body and tags C,
 *   English configuration) with a GIN index.
 * The rows of the stories published so far are written here (and the story.saved events already
 * in the outbox marked handled); afterwards the outbox relay keeps them in step
 * (src/jobs/reindex-search.ts).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('story_search')
    .addColumn('story_id', 'integer', (c) => c.primaryKey().references('stories.id').onDelete('cascade'))
    .addColumn('section_id', 'integer')
    .addColumn('published_at', timeType(dialect), (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('dek', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('story_search_published_idx').on('story_search').columns(['published_at']).execute();
  if (dialect === 'postgres') {
    await sql`
      alter table story_search add column document tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, headline), 'A') ||
        setweight(to_tsvector('english'::regconfig, dek), 'B') ||
        setweight(to_tsvector('english'::regconfig, body || ' ' || tags), 'C')
      ) stored`.execute(db);
    // The tsvector stays in the row (compressed) and the body goes out of line: finding the newest
    // matches reads each candidate's tsvector, and fetching it from the TOAST table cost four times
    // as much (about 70 ms instead of 16 for 9,000 candidates, bench/search.bench.ts).
    await sql`alter table story_search alter column document set storage main, alter column body set storage external`.execute(db);
    await sql`create index story_search_document_idx on story_search using gin (document)`.execute(db);
    // The newest matches within one section: walked backwards by story id, reading that section's rows only.
    await db.schema.createIndex('story_search_section_idx').on('story_search').columns(['section_id', 'story_id']).execute();
  } else {
    // Covers the filters by story id, so checking a match's time and section reads this small
    // index instead of the wide row (the body's text) in the table.
    await db.schema.createIndex('story_search_filter_idx').on('story_search').columns(['story_id', 'published_at', 'section_id']).execute();
    await sql`
      create virtual table story_search_fts using fts5(
        headline, dek, body, tags,
        content = 'story_search', content_rowid = 'story_id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`.execute(db);
    const columns = sql.raw('headline, dek, body, tags');
    const oldValues = sql.raw(`'delete', old.story_id, old.headline, old.dek, old.body, old.tags`);
    const newValues = sql.raw('new.story_id, new.headline, new.dek, new.body, new.tags');
    await sql`create trigger story_search_ai after insert on story_search begin
      insert into story_search_fts (rowid, ${columns}) values (${newValues}); end`.execute(db);
    await sql`create trigger story_search_ad after delete on story_search begin
      insert into story_search_fts (story_search_fts, rowid, ${columns}) values (${oldValues}); end`.execute(db);
    await sql`create trigger story_search_au after update on story_search begin
      insert into story_search_fts (story_search_fts, rowid, ${columns}) values (${oldValues});
      insert into story_search_fts (rowid, ${columns}) values (${newValues}); end`.execute(db);
  }
  await indexPublishedStories(db);
  // The rows above reflect every story.saved written so far: the relay need not replay them.
  await sql`update outbox set handled_at = created_at where topic = 'story.saved' and handled_at is null`.execute(db);
}

interface ExistingStory {
  id: number;
  section_id: number | null;
  published_at: string;
  headline: string;
  dek: string | null;
  body_html: string;
}

/** Writes the rows of the stories published before this migration, a batch at a time. */
async function indexPublishedStories(db: Kysely<unknown>): Promise<void> {
  let after = 0;
  for (;;) {
    const stories = (
      await sql<ExistingStory>`
        select id, section_id, published_at, headline, dek, body_html from stories
        where status = 'published' and published_at is not null and id > ${after} order by id limit 500`.execute(db)
    ).rows;
    const last = stories.at(-1);
    if (!last) return;
    after = last.id;
    const tags = (
      await sql<{ story_id: number; name: string }>`
        select st.story_id, t.name from story_tags st join tags t on t.id = st.tag_id
        where st.story_id in (${sql.join(stories.map((s) => s.id))}) order by st.story_id, st.position`.execute(db)
    ).rows;
    const rows = stories.map((s) => ({
      story_id: s.id,
      section_id: s.section_id,
      published_at: s.published_at,
      headline: plainText(s.headline),
      dek: plainText(s.dek ?? ''),
      body: plainTextOfHtml(s.body_html),
      tags: plainText(tags.filter((t) => t.story_id === s.id).map((t) => t.name).join(' ')),
    }));
    await db.insertInto('story_search' as never).values(rows as never).execute();
  }
}
