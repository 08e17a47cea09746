import fs from 'node:fs';
import path from 'node:path';
import { sql, type Insertable, type Kysely } from 'kysely';
import { boot } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database, StoryStatus } from '../../src/db/schema.js';
import { renderStoryMarkdown } from '../../src/lib/markdown.js';
import { createLogger } from '../../src/platform/logger.js';
import { sampleContentDir } from '../../src/platform/paths.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { random } from './random.js';

export interface SeededNewsroom {
  admin: { email: string; password: string };
  stories: number;
  /** A story with many revisions, sources, a section and tags: the one whose editor and revisions pages are measured. */
  storyId: number;
  revisionsOfStory: number;
  /** The busiest section and byline author (most stories), for the filtered lists. */
  sectionId: number;
  authorId: number;
  headlinesWithHarbour: number;
  counts: Record<string, number>;
  seconds: number;
}


const sectionNames = ['News', 'Harbour', 'Politics', 'Business', 'Culture', 'Sport', 'Opinion', 'Islands'];
const tagNames = [
  'ferries', 'dockworkers', 'council', 'budget', 'housing', 'schools', 'weather', 'courts', 'police', 'health',
  'transport', 'fishing', 'tourism', 'elections', 'unions', 'energy', 'water', 'roads', 'festival', 'football',
];
const authorNames = [
  'Amina Castell', 'Tomas Varga', 'Priya Raman', 'Jon Ellis', 'Lena Holm', 'Dayo Okafor', 'Rita Lindgren', 'Sam Petrov',
  'Marta Kowal', 'Ines Duarte', 'Kofi Mensah', 'Hana Sato', 'Olle Berg', 'Nadia Haddad', 'Piet de Vries', 'Ana Costa',
  'Ravi Iyer', 'Mia Novak', 'Leo Brandt', 'Zoe Carter',
];
const words = [
  'council', 'approves', 'budget', 'ferry', 'strike', 'talks', 'resume', 'school', 'opens', 'new', 'wing', 'storm', 'closes',
  'bridge', 'market', 'prices', 'rise', 'court', 'rules', 'on', 'housing', 'plan', 'festival', 'returns', 'after', 'two', 'years',
  'fishermen', 'protest', 'quota', 'hospital', 'waiting', 'times', 'fall', 'mayor', 'defends', 'parking', 'fees',
];
const statuses: [StoryStatus, number][] = [
  ['published', 0.7],
  ['draft', 0.15],
  ['unpublished', 0.1],
  ['scheduled', 0.05],
];
const auditActions = ['story.updated', 'story.published', 'story.created', 'story.scheduled', 'story.unpublished', 'source.removed'];

async function insertChunked<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[], size: number): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a generic table makes Kysely's value type unresolvable
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

/**
 * A newsroom of `storyCount` stories (sample-sized bodies rendered to HTML), byline authors,
 * sections and tags, two sources each, revisions for a fifth of them, `auditCount` audit rows, and
 * an admin with a known password. The admin is made through the domain (createStaffMember); the
 * rest is bulk-inserted in one transaction per table group, which is what makes 10,000 stories
 * take seconds instead of minutes.
 */
export async function seedNewsroom(databaseUrl: string, o: { stories: number; audit: number }): Promise<SeededNewsroom> {
  const started = Date.now();
  const config = loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL: 'http://127.0.0.1', READOUT_LOG_LEVEL: 'silent' });
  const runtime = await boot(config, { log: createLogger('silent'), seed: false, jobs: false });
  try {
    const deps = runtime.deps;
    const db = deps.store.db;
    const admin = { email: 'bench-admin@example.org', password: 'tidal-ferry-ledger-2026' };
    const { person } = await createStaffMember(deps, commandLineActor, { name: 'Bench Admin', email: admin.email, role: 'admin', password: admin.password });
    const rand = random(20261127);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const base = Date.UTC(2024, 0, 1);
    const iso = (ms: number) => new Date(ms).toISOString();

    const sample = fs.readFileSync(path.join(sampleContentDir, '02-harbour-talks.md'), 'utf8');
    const sampleBody = sample.split(/^---$/m).slice(2).join('---').trim();
    // A few bodies of sample size (~3 KB of Markdown, rendered once each).
    const bodies = Array.from({ length: 6 }, (_, i) => {
      const source = `${sampleBody}\n\nUpdate ${i + 1}: ${Array.from({ length: 40 + i * 20 }, () => pick(words)).join(' ')}.\n`;
      return { source, html: renderStoryMarkdown(source) };
    });

    const ids = await db.transaction().execute(async (trx) => {
      const now = iso(base);
      await insertChunked(
        trx,
        'sections',
        sectionNames.map((name) => ({ name, slug: name.toLowerCase(), description: null, created_at: now })),
        500,
      );
      await insertChunked(trx, 'tags', tagNames.map((name) => ({ name, slug: name, created_at: now })), 500);
      await insertChunked(
        trx,
        'people',
        authorNames.map((name) => ({ name, slug: name.toLowerCase().replace(/[^a-z]+/g, '-'), bio: null, created_at: now })),
        500,
      );
      const sections = (await trx.selectFrom('sections').select('id').orderBy('id').execute()).map((r) => r.id);
      const tags = (await trx.selectFrom('tags').select('id').orderBy('id').execute()).map((r) => r.id);
      const authors = await trx.selectFrom('people').select(['id', 'name']).where('role', 'is', null).orderBy('id').execute();
      return { sections, tags, authors };
    });

    // Stories: the newest change last, so ids follow modified_at roughly but not exactly.
    let harbour = 0;
    const storyRows: Insertable<Database['stories']>[] = [];
    const storyAuthors: number[][] = [];
    for (let i = 0; i < o.stories; i++) {
      const r = rand();
      let acc = 0;
      const status = statuses.find(([, p]) => (acc += p) > r)?.[0] ?? 'published';
      const created = base + i * 3_600_000 + Math.floor(rand() * 3_000_000);
      const modified = created + Math.floor(rand() * 5 * 86_400_000);
      const withHarbour = rand() < 0.08;
      if (withHarbour) harbour++;
      const headline =
        `${pick(words)} ${pick(words)} ${withHarbour ? 'harbour' : pick(words)} ${pick(words)} ${pick(words)} ${pick(words)}`.replace(/^./, (c) => c.toUpperCase()) +
        ` (${i + 1})`;
      const first = ids.authors[Math.floor(Math.pow(rand(), 2) * ids.authors.length)];
      const second = rand() < 0.3 ? pick(ids.authors) : undefined;
      const byline = [first, second].filter((a, j, all) => a && all.indexOf(a) === j) as { id: number; name: string }[];
      storyAuthors.push(byline.map((a) => a.id));
      const body = pick(bodies);
      storyRows.push({
        slug: `bench-story-${i + 1}`,
        headline,
        dek: 'A standfirst of one sentence that says what the story is about and why it matters.',
        byline: `By ${byline.map((a) => a.name).join(' and ')}`,
        dateline: 'PORT ELLIS',
        body_source: body.source,
        body_html: body.html,
        status,
        published_at: status === 'draft' ? null : iso(status === 'scheduled' ? Date.UTC(2030, 0, 1) + i * 60_000 : created + 3_600_000),
        updated_at: null,
        related_story_id: null,
        created_at: iso(created),
        modified_at: iso(modified),
        section_id: rand() < 0.9 ? ids.sections[Math.floor(Math.pow(rand(), 1.5) * ids.sections.length)] : null,
        created_by: rand() < 0.5 ? person.id : null,
        featured_media_id: null,
      });
    }

    const counts: Record<string, number> = {};
    const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n);
    const storyIds = await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'stories', storyRows, 400);
      const rows = await trx.selectFrom('stories').select(['id', 'slug']).execute();
      const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
      return storyRows.map((s) => bySlug.get(s.slug) as number);
    });
    count('stories', storyIds.length);

    // The measured story: the middle one, with 30 revisions.
    const storyIndex = Math.floor(storyIds.length / 2);
    const storyId = storyIds[storyIndex] as number;
    const revisionsOfStory = 30;

    await db.transaction().execute(async (trx) => {
      const authorsRows: Insertable<Database['story_authors']>[] = [];
      const sourceRows: Insertable<Database['story_sources']>[] = [];
      const tagRows: Insertable<Database['story_tags']>[] = [];
      const revisionRows: Insertable<Database['story_revisions']>[] = [];
      storyIds.forEach((id, i) => {
        const story = storyRows[i] as Insertable<Database['stories']>;
        (storyAuthors[i] ?? []).forEach((personId, position) => authorsRows.push({ story_id: id, person_id: personId, position }));
        for (let position = 0; position < 2; position++) {
          sourceRows.push({
            story_id: id,
            position,
            title: position === 0 ? 'Readout of the call' : 'Statement',
            outlet: position === 0 ? 'Port Ellis Harbour Authority' : 'United Dockworkers Local 14',
            url: `https://example.org/sources/${id}/${position}`,
            published_on: '2026-11-26',
          });
        }
        const tagCount = Math.floor(rand() * 4);
        const chosen = new Set<number>();
        for (let t = 0; t < tagCount; t++) chosen.add(pick(ids.tags));
        [...chosen].forEach((tagId, position) => tagRows.push({ story_id: id, tag_id: tagId, position }));
        const revisions = i === storyIndex ? revisionsOfStory : rand() < 0.2 ? 1 + Math.floor(rand() * 5) : 0;
        for (let n = 1; n <= revisions; n++) {
          revisionRows.push({
            story_id: id,
            number: n,
            snapshot: JSON.stringify({
              headline: story.headline,
              slug: story.slug,
              dek: story.dek,
              byline: story.byline,
              dateline: story.dateline,
              body: `${story.body_source}\n\nRevision ${n}.\n`,
              related: '',
              sources: [],
              section: null,
              tags: [],
              status: story.status,
            }),
            author_id: person.id,
            note: n % 3 === 0 ? `Note on revision ${n}` : null,
            created_at: story.created_at as string,
          });
        }
      });
      await insertChunked(trx, 'story_authors', authorsRows, 1000);
      await insertChunked(trx, 'story_sources', sourceRows, 1000);
      await insertChunked(trx, 'story_tags', tagRows, 1000);
      await insertChunked(trx, 'story_revisions', revisionRows, 200);
      count('story_authors', authorsRows.length);
      count('story_sources', sourceRows.length);
      count('story_tags', tagRows.length);
      count('story_revisions', revisionRows.length);
    });

    await db.transaction().execute(async (trx) => {
      const auditRows: Insertable<Database['audit_log']>[] = [];
      for (let i = 0; i < o.audit; i++) {
        const index = Math.floor(rand() * storyIds.length);
        const subject = storyIds[index] as number;
        const action = pick(auditActions);
        auditRows.push({
          actor_id: person.id,
          actor_name: person.name,
          action,
          subject_type: 'story',
          subject_id: subject,
          details: JSON.stringify({ headline: storyRows[index]?.headline ?? '', status: 'published' }),
          created_at: iso(base + i * 1_800_000),
        });
      }
      await insertChunked(trx, 'audit_log', auditRows, 1000);
      count('audit_log', auditRows.length);
    });

    // The busiest section and author, so the filtered lists have many matches.
    const section = await db
      .selectFrom('stories')
      .select(['section_id', db.fn.countAll<number>().as('n')])
      .where('section_id', 'is not', null)
      .groupBy('section_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const author = await db
      .selectFrom('story_authors')
      .select(['person_id', db.fn.countAll<number>().as('n')])
      .groupBy('person_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    // PostgreSQL's autovacuum would analyze tables this size soon after such a load; do it now rather than race it.
    if (deps.store.dialect === 'postgres') await sql`analyze`.execute(db);
    return {
      admin,
      stories: storyIds.length,
      storyId,
      revisionsOfStory,
      sectionId: section.section_id as number,
      authorId: author.person_id,
      headlinesWithHarbour: harbour,
      counts,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await runtime.close();
  }
}
