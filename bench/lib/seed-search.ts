import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Deps } from '../../src/deps.js';
import { rebuildSearchIndex } from '../../src/modules/search/index.js';
import { random } from './random.js';

/**
 * Stories with news-like text for the search benchmark: words drawn from a Zipf distribution
 * (function words first, then ~250 news words, then a long tail of made-up words), a few set
 * phrases ("city council", "ferry strike"…), 8 sections and 40 tags. Deterministic (bench/lib/random.ts).
 * Inserted in bulk, then indexed with the real rebuild (rebuildSearchIndex), which is timed.
 */
export const functionWords = ['the', 'of', 'and', 'to', 'a', 'in', 'said', 'on', 'for', 'is', 'that', 'with', 'was', 'at', 'by', 'it', 'as', 'from', 'be', 'has'];
/** News words, most frequent first: `newsWords[0]` is the commonest content word. */
export const newsWords = (
  'council harbour budget ferry police school housing water city plan year week mayor court union workers ' +
  'hospital island market prices strike talks government minister election vote report public money tax ' +
  'road bridge storm weather fishing boat port station train bus transport energy power church festival ' +
  'music theatre museum library park garden beach coast tourism hotel restaurant shop business company jobs ' +
  'pay rent homes families children students teachers parents doctors nurses patients care health service ' +
  'centre community residents neighbours village town district region county state national local plans ' +
  'project building construction repairs funding grant cost million thousand pounds euros dollars spending ' +
  'cuts increase decline rise fall growth figures data survey study research university college exam results ' +
  'football match team season league cup final goal players coach club fans stadium race runners record ' +
  'fire crash accident injury arrest charge trial judge jury sentence prison lawyer appeal ruling inquiry ' +
  'protest rally march petition campaign opposition leader party candidate polls seats debate policy law ' +
  'rules licence permit planning application approval objection decision meeting committee board chair ' +
  'director officer spokesperson statement interview announcement launch opening closure delay cancellation ' +
  'schedule timetable service route passengers drivers crew captain ship vessel cargo container dock quay ' +
  'lighthouse tide flood rain wind snow heat drought wildfire forest river lake mountain valley farm farmers ' +
  'crops cattle sheep milk bread fish catch quota harvest wine beer coffee food prices inflation wages pension'
).split(' ');
export const phrases = ['city council', 'ferry strike', 'housing plan', 'school board', 'harbour master', 'water supply', 'bus route', 'fishing quota'];
export const sectionNames = ['News', 'Harbour', 'Politics', 'Business', 'Culture', 'Sport', 'Opinion', 'Islands'];
const tagNames = Array.from({ length: 40 }, (_, i) => `${newsWords[(i * 7) % newsWords.length]} ${['watch', 'files', 'desk', 'live'][i % 4]}`);

export interface SeededSearch {
  stories: number;
  published: number;
  indexed: number;
  /** Words at known places in the frequency order, for the queries. */
  vocabulary: { tail: string[] };
  /** Publication times of the first and last story (ms), for date ranges inside the data. */
  span: { first: number; last: number };
  seedSeconds: number;
  indexSeconds: number;
}

export async function seedSearchStories(deps: Deps, o: { stories: number }): Promise<SeededSearch> {
  const started = Date.now();
  const db = deps.store.db;
  const rand = random(20261127);
  const syllables = ['ba', 'del', 'kor', 'min', 'sa', 'tur', 'vel', 'ro', 'nek', 'lis', 'dra', 'po', 'mer', ' quin', 'ta', 'jor', 'fen', 'gal', 'hu', 'zen'].map((s) => s.trim());
  const tail = Array.from({ length: 6_000 }, (_, i) => {
    let w = '';
    for (let n = i + 7; w.length < 6 || n > 0; n = Math.floor(n / syllables.length)) w += syllables[n % syllables.length];
    return w;
  });
  const vocabulary = [...functionWords, ...newsWords, ...tail];
  // Zipf (s = 1): the word of rank r is drawn with weight 1/r.
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  vocabulary.forEach((_, r) => (cumulative[r] = total += 1 / (r + 1)));
  const word = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo] as string;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const sentence = (min: number, spread: number): string => {
    const words = Array.from({ length: min + Math.floor(rand() * spread) }, word);
    if (rand() < 0.15) words.splice(Math.floor(rand() * words.length), 0, pick(phrases));
    return words.join(' ');
  };

  const now = deps.clock.now().toISOString();
  await db.insertInto('sections').values(sectionNames.map((name) => ({ name, slug: name.toLowerCase(), description: null, created_at: now }))).execute();
  await db.insertInto('tags').values(tagNames.map((name) => ({ name, slug: name.replace(/ /g, '-'), created_at: now }))).execute();
  const sections = (await db.selectFrom('sections').select('id').orderBy('id').execute()).map((r) => r.id);
  const tags = (await db.selectFrom('tags').select('id').orderBy('id').execute()).map((r) => r.id);

  const base = Date.UTC(2016, 0, 1);
  let published = 0;
  const chunk = 1_000;
  for (let start = 0; start < o.stories; start += chunk) {
    const rows: Insertable<Database['stories']>[] = [];
    const storyTags: number[][] = [];
    for (let i = start; i < Math.min(o.stories, start + chunk); i++) {
      const r = rand();
      const status = r < 0.85 ? 'published' : r < 0.93 ? 'draft' : r < 0.97 ? 'unpublished' : 'scheduled';
      if (status === 'published') published++;
      const created = base + i * 2_700_000 + Math.floor(rand() * 2_000_000);
      const paragraphs = Array.from({ length: 4 + Math.floor(rand() * 5) }, () => `${sentence(12, 16)}. ${sentence(10, 14)}.`);
      const body = paragraphs.join('\n\n');
      rows.push({
        slug: `search-story-${i + 1}`,
        headline: sentence(5, 5).replace(/^./, (c) => c.toUpperCase()),
        dek: `${sentence(10, 10)}.`,
        byline: 'By Bench Reporter',
        dateline: null,
        body_source: body,
        body_html: paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
        status,
        published_at: status === 'draft' ? null : new Date(status === 'scheduled' ? Date.UTC(2030, 0, 1) + i * 60_000 : created + 600_000).toISOString(),
        updated_at: null,
        related_story_id: null,
        created_at: new Date(created).toISOString(),
        modified_at: new Date(created).toISOString(),
        section_id: rand() < 0.9 ? (sections[Math.floor(Math.pow(rand(), 1.5) * sections.length)] as number) : null,
        created_by: null,
        featured_media_id: null,
      });
      storyTags.push([...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => pick(tags)))]);
    }
    await db.transaction().execute(async (trx) => {
      const ids = await insertStories(trx, rows);
      const links = ids.flatMap((id, j) => (storyTags[j] ?? []).map((tag_id, position) => ({ story_id: id, tag_id, position })));
      if (links.length > 0) await trx.insertInto('story_tags').values(links).execute();
    });
  }
  const seedSeconds = (Date.now() - started) / 1000;
  const indexStarted = Date.now();
  const indexed = await rebuildSearchIndex(deps);
  const span = { first: base, last: base + o.stories * 2_700_000 };
  return { stories: o.stories, published, indexed, vocabulary: { tail }, span, seedSeconds, indexSeconds: (Date.now() - indexStarted) / 1000 };
}

async function insertStories(db: Kysely<Database>, rows: Insertable<Database['stories']>[]): Promise<number[]> {
  const ids: number[] = [];
  // 500 rows × 16 columns stays under both databases' limits on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db.insertInto('stories').values(rows.slice(i, i + 500)).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}
