import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { openStore } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config/config.js';
import { projectRoot } from '../../src/platform/paths.js';
import { searchStoryIds } from '../../src/modules/search/search.repo.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { rebuildSearchIndex } from '../../src/modules/search/index.js';
import { parseStoryForm, saveStory, type StoryFormInput } from '../../src/modules/stories/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { createTestDatabase, databaseMatrix } from '../harness/databases.js';

const blank: StoryFormInput = { headline: '', slug: '', dek: '', byline: 'By Staff', dateline: '', body: 'Text.', related: '', sources: [] };
const draftOf = (fields: Partial<StoryFormInput>) => parseStoryForm({ ...blank, ...fields });
/** Slugs of the results on a search page, in order. */
const results = (page: string) => [...page.matchAll(/<h2 class="teaser-headline"><a href="\/stories\/([a-z0-9-]+)">/g)].map((m) => m[1]);
/** 2026-11-DD at 10:MM UTC, before the fake clock's now (2026-11-27T09:00Z). */
const at = (day: number, minute = 0) => `2026-11-${String(day).padStart(2, '0')}T10:${String(minute).padStart(2, '0')}:00Z`;

const hostile = [
  '"',
  '"unbalanced quote',
  'ferry"',
  '*',
  'ferr*',
  'NEAR(ferry strike)',
  'ferry NEAR strike',
  'ferry AND strike OR NOT',
  'AND',
  'OR NOT',
  '-ferry',
  'headline:ferry',
  '^ferry',
  '(ferry',
  'ferry)',
  '((ferry) OR (strike',
  "'; DROP TABLE stories; --",
  "1' OR '1'='1",
  'ferry & strike | !council <-> x',
  'ferry:*',
  'café',
  'Zoë Ångström',
  '🚢🌊',
  'ferry 🚢',
  '東京 フェリー',
  'x'.repeat(200),
  '\u0000\u0002ferry\u0003',
  '%',
  '\\',
  'ferry-',
  '"" "" ""',
];

for (const { kind, skip } of await databaseMatrix()) {
  describe(`search on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    let editor: Actor;
    before(async () => {
      t = await createTestApp({ db: kind, clock, followIntervalMs: 3_600_000 });
      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Eda Editor', email: 'eda@example.org', role: 'editor', password: 'tide clock harbour 41' });
      editor = { personId: person.id, name: person.name, role: 'editor' };
    });
    after(() => t?.close());
    beforeEach(async () => {
      // Each test starts from an empty index and no pending events.
      await t.runtime.relay.drain();
      await t.deps.store.db.deleteFrom('stories').execute();
    });

    const search = (params: Record<string, string>) => t.app.inject({ url: `/search?${new URLSearchParams(params).toString()}` });
    const found = async (q: string, params: Record<string, string> = {}) => {
      const res = await search({ q, ...params });
      assert.equal(res.statusCode, 200, `${q}: ${res.body.slice(0, 300)}`);
      return results(res.body);
    };
    const story = async (fields: Parameters<typeof buildStory>[1]) => {
      const s = await buildStory(t.deps, fields);
      await t.runtime.relay.drain();
      return s;
    };

    it('ranks a headline match above a body match, and breaks ties by recency', async () => {
      await story({ slug: 'body-match', headline: 'Council meets', body: 'The lighthouse keeper retired.', published: at(20) });
      await story({ slug: 'headline-match', headline: 'Lighthouse keeper retires', body: 'A long career ends.', published: at(10) });
      await story({ slug: 'dek-match', headline: 'Coast news', dek: 'The lighthouse gets a keeper', body: 'Nothing more.', published: at(15) });
      assert.deepEqual(await found('lighthouse keeper'), ['headline-match', 'dek-match', 'body-match']);

      await story({ slug: 'twin-old', headline: 'Twin harbour cranes', body: 'Same words.', published: at(1) });
      await story({ slug: 'twin-new', headline: 'Twin harbour cranes', body: 'Same words.', published: at(2) });
      await story({ slug: 'twin-mid', headline: 'Twin harbour cranes', body: 'Same words.', published: at(1, 30) });
      assert.deepEqual(await found('cranes'), ['twin-new', 'twin-mid', 'twin-old']);
    });

    it('matches word forms, tags and quoted phrases; shows the count', async () => {
      await story({ slug: 'ferries', headline: 'Ferries sail again', body: 'The ferry operators agreed.', tags: ['Shipping', 'Labour'], published: at(3) });
      await story({ slug: 'order', headline: 'Sail the ferries', body: 'again operators ferry the agreed.', published: at(4) });
      assert.deepEqual(await found('ferry'), ['order', 'ferries'], 'stemmed: ferry finds ferries');
      assert.deepEqual(await found('shipping'), ['ferries'], 'tags are searchable');
      assert.deepEqual(await found('"ferry operators"'), ['ferries'], 'a phrase keeps its word order');
      assert.deepEqual((await found('ferry operators')).sort(), ['ferries', 'order'], 'words in any order');
      const page = await search({ q: 'ferry' });
      assert.match(page.body, /<p class="search-count" role="status">2 stories match “ferry”.<\/p>/);
      assert.match(page.body, /<meta name="robots" content="noindex">/);
      assert.doesNotMatch(page.body, /rel="canonical"/);
      assert.equal(page.headers['cache-control'], 'public, max-age=60');
      const none = await search({ q: 'zeppelin' });
      assert.equal(none.statusCode, 200);
      assert.match(none.body, /No stories match “zeppelin”/);
      assert.deepEqual(results(none.body), []);
    });

    it('highlights matched words in headline and snippet, and never lets story text through as HTML', async () => {
      await story({
        slug: 'hostile-body',
        headline: 'Harbour <b>tax</b> & "fees"',
        body: 'Before <script>alert("x")</script> the harbour tax rose. An <img src=x onerror=alert(1)> tag \u0002here\u0003 too.',
        published: at(5),
      });
      const res = await search({ q: 'harbour tax' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(results(res.body), ['hostile-body']);
      const item = /<li class="story-teaser search-result">[\s\S]*?<\/li>/.exec(res.body)?.[0] ?? '';
      assert.match(item, /<mark>Harbour<\/mark> &lt;b&gt;<mark>tax<\/mark>&lt;\/b&gt; &amp; &quot;fees&quot;/);
      assert.match(item, /<p class="search-snippet">[^<]*(&lt;|<mark>)/);
      assert.match(item, /the <mark>harbour<\/mark> <mark>tax<\/mark> rose/);
      assert.doesNotMatch(res.body, /<script>alert|<img src=x|onerror=alert\(1\)>/);
      assert.doesNotMatch(item, /[\u0000-\u0008]/, 'no marker characters reach the page');
      const marks = item.match(/<\/?mark>/g) ?? [];
      assert.ok(marks.length >= 4 && marks.length % 2 === 0, 'marks are paired');
    });

    it('filters by section and by dates in the site time zone', async () => {
      await story({ slug: 'port-a', headline: 'Tide tables printed', section: 'Harbour', published: '2026-11-10T04:30:00Z' });
      await story({ slug: 'port-b', headline: 'Tide tables late', section: 'Harbour', published: '2026-11-12T12:00:00Z' });
      await story({ slug: 'city-c', headline: 'Tide of shoppers', section: 'City', published: '2026-11-11T12:00:00Z' });
      assert.deepEqual((await found('tide', { section: 'harbour' })).sort(), ['port-a', 'port-b']);
      assert.deepEqual(await found('tide', { section: 'city' }), ['city-c']);
      // 04:30 UTC on the 10th is the 9th in New York (the site zone in tests is America/New_York).
      const zone = t.deps.config.timeZone;
      const ninth = zone === 'America/New_York' ? ['port-a'] : [];
      assert.deepEqual(await found('tide', { from: '2026-11-09', to: '2026-11-09' }), ninth, `zone ${zone}`);
      assert.deepEqual((await found('tide', { from: '2026-11-11' })).sort(), ['city-c', 'port-b']);
      assert.deepEqual((await found('tide', { to: '2026-11-11' })).sort(), ['city-c', 'port-a']);
      assert.deepEqual(await found('tide', { from: '2026-11-12', to: '2026-11-12', section: 'harbour' }), ['port-b']);
      const form = await search({ q: 'tide', section: 'city', from: '2026-11-01', to: '2026-11-30' });
      assert.match(form.body, /<option value="city" selected>City<\/option>/);
      assert.match(form.body, /<input type="date" id="search-from" name="from" value="2026-11-01">/);
      const refused: Record<string, string>[] = [{ from: '2026-13-01' }, { to: 'yesterday' }, { from: '2026-11-12', to: '2026-11-01' }, { section: 'no-such-section' }];
      for (const bad of refused) {
        const res = await search({ q: 'tide', ...bad });
        assert.equal(res.statusCode, 422, JSON.stringify(bad));
        assert.match(res.body, /<span id="search-error" class="field-error">/);
        assert.match(res.body, /value="tide"/);
      }
    });

    it('pages 20 results with rel prev/next links that keep the filters', async () => {
      for (let i = 0; i < 45; i++) await buildStory(t.deps, { slug: `gull-${i}`, headline: `Gull count ${i}`, section: 'Coast', published: `2026-11-${String(1 + Math.floor(i / 10)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z` });
      await t.runtime.relay.drain();
      const first = await search({ q: 'gull', section: 'coast' });
      assert.equal(results(first.body).length, 20);
      assert.match(first.body, /45 stories match “gull”; showing 1–20/);
      assert.match(first.body, /<a rel="next" href="\/search\?q=gull&amp;section=coast&amp;page=2">/);
      assert.doesNotMatch(first.body, /rel="prev"/);
      const second = await search({ q: 'gull', section: 'coast', page: '2' });
      assert.match(second.body, /<a rel="prev" href="\/search\?q=gull&amp;section=coast">/);
      assert.match(second.body, /<a rel="next" href="\/search\?q=gull&amp;section=coast&amp;page=3">/);
      assert.match(second.body, /<ol class="story-list search-results" start="21">/);
      const third = await search({ q: 'gull', section: 'coast', page: '3' });
      assert.equal(results(third.body).length, 5);
      assert.doesNotMatch(third.body, /rel="next"/);
      const all = [...results(first.body), ...results(second.body), ...results(third.body)];
      assert.equal(new Set(all).size, 45, 'no story on two pages');
      assert.equal((await search({ q: 'gull', page: '9' })).statusCode, 200);
      assert.equal((await search({ q: 'gull', page: '51' })).statusCode, 422);
      assert.equal((await search({ q: 'gull', page: 'x' })).statusCode, 200);
    });

    it('answers every hostile query with results or a clear message, never a 500', async () => {
      await story({ slug: 'strike', headline: 'Ferry strike ends', body: 'The council and the café owners — Zoë Ångström among them — cheered. 東京 フェリー 🚢', published: at(6) });
      for (const q of hostile) {
        const res = await search({ q });
        assert.ok(res.statusCode === 200 || res.statusCode === 422, `${JSON.stringify(q)} answered ${res.statusCode}`);
        if (res.statusCode === 422) assert.match(res.body, /<span id="search-error" class="field-error">[^<]+<\/span>/, JSON.stringify(q));
        assert.doesNotMatch(res.body, /[\u0000-\u0008]/, `${JSON.stringify(q)}: no control characters in the page`);
      }
      assert.deepEqual(await found('NEAR(ferry strike)'), ['strike']);
      assert.deepEqual(await found('"ferry strike'), ['strike'], 'an unbalanced quote is ignored');
      assert.deepEqual(await found('-ferry'), ['strike']);
      assert.deepEqual(await found('headline:ferry'), [], 'no column filter: both words are needed');
      assert.deepEqual(await found("'; DROP TABLE stories; --"), []);
      assert.deepEqual(await found('café'), ['strike']);
      assert.deepEqual(await found('Zoë'), ['strike']);
      assert.deepEqual(await found('ferry 🚢'), ['strike']);

      const empty = await search({ q: '' });
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /<label for="search-q">Search stories<\/label>/);
      assert.doesNotMatch(empty.body, /search-count/);
      assert.equal((await t.app.inject({ url: '/search' })).statusCode, 200);

      const emoji = await search({ q: '🚢🌊' });
      assert.equal(emoji.statusCode, 422);
      assert.match(emoji.body, /Search for words or numbers/);
      assert.match(emoji.body, /value="🚢🌊"/);

      const long = 'ferry '.repeat(2_000).slice(0, 10_000);
      const tooLong = await search({ q: long });
      assert.equal(tooLong.statusCode, 422);
      assert.match(tooLong.body, /Search for at most 200 characters \(this search has 10,000\)/);
      assert.ok(tooLong.body.includes(`value="${long}"`), 'the query is kept in the form');
      assert.equal(tooLong.headers['cache-control'], 'no-store');
      assert.equal((await search({ q: 'x'.repeat(201) })).statusCode, 422);

      const repeated = await t.app.inject({ url: '/search?q=ferry&q=strike&page=1&page=2' });
      assert.equal(repeated.statusCode, 200);
      assert.deepEqual(results(repeated.body), ['strike']);
    });

    it('stays in step through the outbox: publish, edit, unpublish, schedule, delete', async () => {
      const draft = await saveStory(t.deps, editor, { draft: draftOf({ headline: 'Pelican census begins', slug: 'pelicans', tags: 'Birds' }), action: { kind: 'save' } });
      await t.runtime.relay.drain();
      assert.deepEqual(await found('pelican'), [], 'a draft is not found');

      await saveStory(t.deps, editor, { storyId: draft.id, draft: draftOf({ headline: 'Pelican census begins', slug: 'pelicans', tags: 'Birds' }), action: { kind: 'publish' } });
      assert.deepEqual(await found('pelican'), [], 'not before the relay has run');
      await t.runtime.relay.drain();
      assert.deepEqual(await found('pelican'), ['pelicans']);
      assert.deepEqual(await found('birds'), ['pelicans']);

      await saveStory(t.deps, editor, { storyId: draft.id, draft: draftOf({ headline: 'Cormorant census begins', slug: 'pelicans', tags: 'Seabirds' }), action: { kind: 'publish' } });
      await t.runtime.relay.drain();
      assert.deepEqual(await found('cormorant'), ['pelicans']);
      assert.deepEqual(await found('pelican'), [], 'the old headline is gone');
      assert.deepEqual(await found('birds'), []);
      assert.deepEqual(await found('seabirds'), ['pelicans']);

      await saveStory(t.deps, editor, { storyId: draft.id, draft: draftOf({ headline: 'Cormorant census begins', slug: 'pelicans' }), action: { kind: 'unpublish' } });
      await t.runtime.relay.drain();
      assert.deepEqual(await found('cormorant'), [], 'unpublished: gone');
      await t.runtime.relay.drain();
      assert.deepEqual(await found('cormorant'), [], 'draining again changes nothing');

      const when = new Date(clock.now().getTime() + 3_600_000).toISOString();
      await saveStory(t.deps, editor, { draft: draftOf({ headline: 'Puffins return at dawn', slug: 'puffins' }), action: { kind: 'schedule', at: when } });
      await t.runtime.scheduler.tick();
      await t.runtime.relay.drain();
      assert.deepEqual(await found('puffins'), [], 'scheduled: not yet');
      clock.advance(3_600_000 + 1_000);
      await t.runtime.scheduler.tick();
      assert.deepEqual(await found('puffins'), [], 'published, but the index follows the outbox');
      await t.runtime.relay.drain();
      assert.deepEqual(await found('puffins'), ['puffins']);

      // Stories cannot be deleted in the product yet; a deleted one loses its row (cascade), and
      // the indexer removes the row of a story that no longer exists.
      const puffins = await t.deps.store.db.selectFrom('stories').select('id').where('slug', '=', 'puffins').executeTakeFirstOrThrow();
      await t.deps.store.db.deleteFrom('stories').where('id', '=', puffins.id).execute();
      assert.deepEqual(await found('puffins'), []);
      assert.equal((await t.deps.store.db.selectFrom('story_search').select('story_id').where('story_id', '=', puffins.id).execute()).length, 0);
    });

    it('does not show a story published with a future date until its time', async () => {
      await story({ slug: 'future', headline: 'Eclipse viewing party', published: new Date(clock.now().getTime() + 86_400_000).toISOString() });
      assert.deepEqual(await found('eclipse'), []);
      clock.advance(86_400_000 + 1_000);
      assert.deepEqual(await found('eclipse'), ['future']);
    });

    it('rebuilds the whole index from the published stories', async () => {
      await story({ slug: 'walrus', headline: 'Walrus spotted', published: at(7) });
      await saveStory(t.deps, editor, { draft: draftOf({ headline: 'Walrus draft', slug: 'walrus-draft' }), action: { kind: 'save' } });
      await t.runtime.relay.drain();
      await t.deps.store.db.updateTable('story_search').set({ headline: 'stale' }).execute();
      assert.deepEqual(await found('walrus'), []);
      assert.equal(await rebuildSearchIndex(t.deps, { batchSize: 1 }), 1);
      assert.deepEqual(await found('walrus'), ['walrus']);
      assert.deepEqual(await found('stale'), []);

      // The same through the command line: `readout search:rebuild` (src/cli.ts through tsx: no build needed).
      await t.deps.store.db.updateTable('story_search').set({ headline: 'stale' }).execute();
      const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli.ts'), 'search:rebuild'], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: t.database.url, READOUT_LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /Search index rebuilt: 1 published story in \d+\.\d s\./);
      assert.deepEqual(await found('walrus'), ['walrus']);
    });

    it('ranks by relevance among the newest matches when there are more than a window of them, and says so', async () => {
      for (let i = 0; i < 6; i++) await buildStory(t.deps, { slug: `seal-${i}`, headline: i === 0 ? 'Seal colony grows' : `Coast report ${i}`, body: 'A seal was seen.', published: at(1, i) });
      await t.runtime.relay.drain();
      const ids = new Map((await t.deps.store.db.selectFrom('stories').select(['id', 'slug']).execute()).map((r) => [r.id, r.slug]));
      const terms = { terms: ['seal'], phrases: [] };
      const filters = { now: clock.now().toISOString() };
      const all = await searchStoryIds(t.deps.store.db, t.deps.store.dialect, { terms, filters, window: 10, limit: 20, offset: 0 });
      assert.equal(all.total, 6);
      assert.deepEqual(all.ids.map((id) => ids.get(id)), ['seal-0', 'seal-5', 'seal-4', 'seal-3', 'seal-2', 'seal-1'], 'headline first, then newest');
      const windowed = await searchStoryIds(t.deps.store.db, t.deps.store.dialect, { terms, filters, window: 3, limit: 2, offset: 0 });
      assert.equal(windowed.total, 4, 'counted up to the window and one more');
      assert.deepEqual(windowed.ids.map((id) => ids.get(id)), ['seal-5', 'seal-4'], 'the old headline match is outside the window');
      const past = await searchStoryIds(t.deps.store.db, t.deps.store.dialect, { terms, filters, window: 10, limit: 2, offset: 10 });
      assert.deepEqual(past, { ids: [], total: 6 }, 'a page past the end still counts');
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`upgrading a ${kind} database to search (0011)`, { skip }, () => {
    it('indexes the stories published before the migration, and only those', async () => {
      const database = await createTestDatabase(kind);
      const store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      const db = store.db;
      try {
        await migrateToLatest(store, { upTo: '0010-thread-order' });
        const now = '2026-11-27T09:00:00.000Z';
        const base = { byline: 'B', body_source: 'x', created_at: now, modified_at: now };
        const published = await db
          .insertInto('stories')
          .values({ ...base, slug: 'old-news', headline: 'Old <em>lighthouse</em> news', body_html: '<p>The keeper&#39;s log &amp; more</p>', status: 'published', published_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('stories').values({ ...base, slug: 'draft', headline: 'Draft lighthouse', body_html: '<p>x</p>', status: 'draft', published_at: null }).execute();
        const tag = await db.insertInto('tags').values({ name: 'Maritime', slug: 'maritime', created_at: now }).returning('id').executeTakeFirstOrThrow();
        await db.insertInto('story_tags').values({ story_id: published.id, tag_id: tag.id, position: 0 }).execute();
        await db.insertInto('outbox').values({ topic: 'story.saved', payload: JSON.stringify({ storyId: published.id }), created_at: now }).execute();

        assert.equal((await migrateToLatest(store))[0], '0011-search');
        const rows = await db.selectFrom('story_search').selectAll().execute();
        assert.deepEqual(
          rows.map((r) => [r.story_id, r.headline, r.body, r.tags]),
          [[published.id, 'Old <em>lighthouse</em> news', "The keeper's log & more", 'Maritime']],
        );
        const filters = { now };
        for (const word of ['lighthouse', 'keeper', 'maritime']) {
          const found = await searchStoryIds(db, store.dialect, { terms: { terms: [word], phrases: [] }, filters, window: 10, limit: 20, offset: 0 });
          assert.deepEqual(found.ids, [published.id], word);
        }
        const pending = await db.selectFrom('outbox').select('handled_at').where('topic', '=', 'story.saved').execute();
        assert.ok(pending.every((r) => r.handled_at !== null), 'the relay need not replay what the migration indexed');
      } finally {
        await store.destroy();
        await database.drop();
      }
    });
  });
}
