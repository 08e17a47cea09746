import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../src/errors.js';
import { importStory } from '../../src/modules/stories/index.js';
import { setStoryTaxonomy } from '../../src/modules/taxonomy/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory, storyFile, type StoryFields } from '../builders/stories.js';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';

const teasers = (page: string) => [...page.matchAll(/<h2 class="teaser-headline"><a href="\/stories\/([a-z0-9-]+)">/g)].map((m) => m[1]);
const canonical = (page: string) => /<link rel="canonical" href="([^"]+)">/.exec(page)?.[1];

for (const { kind, skip } of await databaseMatrix()) {
  describe(`section, tag and author pages on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      // Purges come only from this process's commits, so what is cached is known (see createTestApp).
      t = await createTestApp({ db: kind, clock: new FakeClock(), followIntervalMs: 3_600_000 });
      await useCommentSettings(t.deps, { rules: openDoorRules });
    });
    after(() => t?.close());

    const get = (url: string) => t.app.inject({ url });
    const count = async (table: 'stories' | 'sections' | 'tags' | 'story_tags' | 'people' | 'outbox') =>
      Number((await t.deps.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    /** 2026-11-20 at 10:MM, before the fake clock's now (2026-11-27T09:00Z). */
    const minute = (m: number) => `2026-11-20T10:${String(m).padStart(2, '0')}:00Z`;

    it('lists a section newest first, 20 a page, with canonical and rel prev/next links', async () => {
      for (let i = 0; i < 21; i++) await buildStory(t.deps, { slug: `harbour-${i}`, section: 'Harbour', published: minute(i) });
      await buildStory(t.deps, { slug: 'harbour-draft', section: 'Harbour', status: 'draft' });
      await buildStory(t.deps, { slug: 'harbour-future', section: 'Harbour', published: '2099-01-01T00:00:00Z' });
      await buildStory(t.deps, { slug: 'ferries-only', section: 'Ferries', published: minute(30) });

      const first = await get('/sections/harbour');
      assert.equal(first.statusCode, 200);
      assert.deepEqual(
        teasers(first.body),
        Array.from({ length: 20 }, (_, i) => `harbour-${20 - i}`),
      );
      assert.equal(canonical(first.body), 'http://localhost:3000/sections/harbour');
      assert.match(first.body, /<p class="listing-kind">Section<\/p>\s*<h1 class="page-title">Harbour<\/h1>/);
      assert.match(first.body, /<a rel="next" href="\/sections\/harbour\?page=2">Older stories<\/a>/);
      assert.doesNotMatch(first.body, /rel="prev"/);
      assert.doesNotMatch(first.body, /class="kicker"/, 'no section kicker on its own page');
      assert.doesNotMatch(first.body, /harbour-draft|harbour-future|ferries-only/);
      const section = await t.deps.store.db.selectFrom('sections').select('id').where('slug', '=', 'harbour').executeTakeFirstOrThrow();
      const keys = String(first.headers['surrogate-key']).split(' ');
      assert.deepEqual(keys.slice(0, 2), [`section:${section.id}`, 'lists']);
      assert.equal(keys.filter((k) => k.startsWith('story:')).length, 20);

      const second = await get('/sections/harbour?page=2');
      assert.equal(second.statusCode, 200);
      assert.deepEqual(teasers(second.body), ['harbour-0']);
      assert.equal(canonical(second.body), 'http://localhost:3000/sections/harbour?page=2');
      assert.match(second.body, /<h1 class="page-title">Harbour, page 2<\/h1>/);
      assert.match(second.body, /<a rel="prev" href="\/sections\/harbour">Newer stories<\/a>/);
      assert.doesNotMatch(second.body, /rel="next"/);

      for (const url of ['/sections/harbour?page=1', '/sections/harbour?page=nonsense']) {
        const res = await get(url);
        assert.equal(canonical(res.body), 'http://localhost:3000/sections/harbour', url);
      }
      assert.equal((await get('/sections/harbour?page=3')).statusCode, 404);
    });

    it("lists the stories of a tag, in order, with each one's section as a kicker; names with one slug are one tag", async () => {
      await buildStory(t.deps, { slug: 'tide-old', tags: ['Tides', 'Weather'], published: minute(1) });
      await buildStory(t.deps, { slug: 'tide-new', tags: ['tides ', 'TIDES'], section: 'Coast', published: minute(2) });
      await buildStory(t.deps, { slug: 'tide-draft', tags: ['Tides'], status: 'draft' });
      await buildStory(t.deps, { slug: 'weather-only', tags: ['Weather'], published: minute(3) });
      const res = await get('/tags/tides');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(teasers(res.body), ['tide-new', 'tide-old']);
      assert.match(res.body, /<h1 class="page-title">Tides<\/h1>/, 'the tag keeps the name it was created with');
      assert.match(res.body, /<p class="kicker"><a href="\/sections\/coast">Coast<\/a><\/p>\s*<h2 class="teaser-headline"><a href="\/stories\/tide-new">/);
      assert.equal(canonical(res.body), 'http://localhost:3000/tags/tides');
      assert.doesNotMatch(res.body, /class="pagination"/);
      const tagged = await t.deps.store.db
        .selectFrom('story_tags')
        .innerJoin('stories', 'stories.id', 'story_tags.story_id')
        .where('stories.slug', '=', 'tide-new')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(tagged.n), 1);
    });

    it("shows an author's name, bio and stories, and never their email; staff without stories have no page", async () => {
      await buildStory(t.deps, { slug: 'by-amina', byline: 'By Amina Castell', published: minute(1) });
      await buildStory(t.deps, { slug: 'by-both', byline: 'By Amina Castell and Tomas Varga', authors: ['Amina Castell', 'Tomas Varga'], published: minute(2) });
      await buildStory(t.deps, { slug: 'by-tomas', byline: 'By Tomas Varga', published: minute(3) });
      await buildStory(t.deps, { slug: 'amina-draft', byline: 'By Amina Castell', status: 'draft' });
      await t.deps.store.db
        .updateTable('people')
        .set({ bio: 'Covers the port.\n\nBased in Port Ellis.', email: 'amina@example.org' })
        .where('slug', '=', 'amina-castell')
        .execute();
      await t.deps.store.db
        .insertInto('people')
        .values({ name: 'Desk Admin', slug: 'desk-admin', bio: 'Runs the site.', email: 'admin@example.org', role: 'admin', created_at: '2026-11-01T00:00:00Z' })
        .execute();

      const res = await get('/authors/amina-castell');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<p class="listing-kind">Author<\/p>\s*<h1 class="page-title">Amina Castell<\/h1>/);
      assert.match(res.body, /<div class="author-bio"><p>Covers the port.<\/p><p>Based in Port Ellis.<\/p><\/div>/);
      assert.deepEqual(teasers(res.body), ['by-both', 'by-amina']);
      assert.doesNotMatch(res.body, /amina@example\.org/);
      assert.equal(canonical(res.body), 'http://localhost:3000/authors/amina-castell');
      assert.deepEqual(teasers((await get('/authors/tomas-varga')).body), ['by-tomas', 'by-both']);
      assert.equal((await get('/authors/desk-admin')).statusCode, 404);

      const story = (await get('/stories/by-both')).body;
      assert.match(story, /<p class="byline">By Amina Castell and Tomas Varga<\/p>\s*<p class="byline-authors">More from: <a href="\/authors\/amina-castell">Amina Castell<\/a>, <a href="\/authors\/tomas-varga">Tomas Varga<\/a><\/p>/);
    });

    it('shows the section above the headline and the tags below the body of a story, and the section on front page teasers', async () => {
      await buildStory(t.deps, { slug: 'kicker-story', section: 'City Hall', tags: ['Budget', 'Council votes'], published: '2026-11-27T08:59:00Z' });
      const page = (await get('/stories/kicker-story')).body;
      assert.match(page, /<header class="story-header">\s*<p class="kicker"><a href="\/sections\/city-hall">City Hall<\/a><\/p>\s*<h1 class="headline">/);
      assert.match(
        page,
        /<div class="story-body">[\s\S]*?<\/div>\s*<p class="story-tags">Tags: <a rel="tag" href="\/tags\/budget">Budget<\/a>, <a rel="tag" href="\/tags\/council-votes">Council votes<\/a><\/p>/,
      );
      const front = (await get('/')).body;
      assert.match(front, /<p class="kicker"><a href="\/sections\/city-hall">City Hall<\/a><\/p>\s*<h2 class="teaser-headline"><a href="\/stories\/kicker-story">/);
    });

    it('answers 404 for unknown slugs, listings with only drafts or future stories, and bad slugs, without caching them', async () => {
      await buildStory(t.deps, { slug: 'secret-draft', section: 'Merger Talks', tags: ['Secret Merger'], authors: ['Hidden Writer'], status: 'draft' });
      await buildStory(t.deps, { slug: 'embargoed', section: 'Embargo', tags: ['Embargoed'], published: '2099-01-01T00:00:00Z' });
      const urls = [
        '/sections/no-such-section',
        '/tags/no-such-tag',
        '/authors/no-such-author',
        '/sections/merger-talks',
        '/tags/secret-merger',
        '/authors/hidden-writer',
        '/sections/embargo',
        '/tags/embargoed',
        '/sections/BAD%20slug',
        '/tags/a%2Fb',
      ];
      for (const url of urls) {
        const res = await get(url);
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /Page not found/, url);
        assert.doesNotMatch(res.body, /Merger Talks|Secret Merger|Hidden Writer/, url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
    });

    it('follows a re-import that moves a story to another section and other tags, purging the cached pages', async () => {
      await buildStory(t.deps, { slug: 'stays-in-old', section: 'Old Desk', tags: ['Old Tag'], published: minute(1) });
      const file = (front: StoryFields) => storyFile({ slug: 'mover', headline: 'The mover', published: minute(2), ...front });
      await importStory(t.deps, file({ section: 'Old Desk', tags: ['Old Tag', 'Kept Tag'] }));
      for (const url of ['/sections/old-desk', '/tags/old-tag', '/tags/kept-tag', '/stories/mover']) {
        assert.equal((await get(url)).statusCode, 200, url);
        assert.ok(t.deps.pageCache.get(url), `${url} is cached`);
      }
      assert.deepEqual(teasers((await get('/sections/old-desk')).body), ['mover', 'stays-in-old']);

      await importStory(t.deps, file({ section: 'New Desk', tags: ['Kept Tag', 'New Tag'] }));
      assert.deepEqual(teasers((await get('/sections/old-desk')).body), ['stays-in-old']);
      assert.deepEqual(teasers((await get('/sections/new-desk')).body), ['mover']);
      assert.deepEqual(teasers((await get('/tags/old-tag')).body), ['stays-in-old']);
      assert.deepEqual(teasers((await get('/tags/kept-tag')).body), ['mover']);
      assert.deepEqual(teasers((await get('/tags/new-tag')).body), ['mover']);
      const story = (await get('/stories/mover')).body;
      assert.match(story, /<p class="kicker"><a href="\/sections\/new-desk">New Desk<\/a><\/p>/);
      assert.match(story, /Tags: <a rel="tag" href="\/tags\/kept-tag">Kept Tag<\/a>, <a rel="tag" href="\/tags\/new-tag">New Tag<\/a><\/p>/);

      // Without section and tags, a re-import removes them.
      await importStory(t.deps, file({}));
      assert.equal((await get('/sections/new-desk')).statusCode, 404);
      assert.equal((await get('/tags/new-tag')).statusCode, 404);
      const bare = (await get('/stories/mover')).body;
      assert.doesNotMatch(bare, /class="kicker"|class="story-tags"/);
    });

    it('refreshes comment counts on the listings that show the story when a comment is approved', async () => {
      const story = await buildStory(t.deps, { slug: 'counted', tags: ['Counted'], published: minute(1) });
      await buildStory(t.deps, { slug: 'elsewhere', tags: ['Elsewhere'], published: minute(1) });
      assert.match((await get('/tags/counted')).body, /#comments">0 comments<\/a>/);
      await get('/tags/elsewhere');
      await buildComment(t.deps, { storyId: story.id });
      assert.ok(t.deps.pageCache.get('/tags/elsewhere'), 'a listing without the story stays cached');
      assert.match((await get('/tags/counted')).body, /#comments">1 comment<\/a>/);
    });

    it('refuses invalid section and tags naming the field, and writes nothing', async () => {
      const existing = await buildStory(t.deps, { slug: 'keeps-its-tags', section: 'Steady', tags: ['Steady Tag'], published: minute(1) });
      const tables = ['stories', 'sections', 'tags', 'story_tags', 'people', 'outbox'] as const;
      const before = await Promise.all(tables.map(count));
      const cases: [string, RegExp][] = [
        [storyFile({ section: '  ' }), /section: must not be empty/],
        [storyFile({ section: 'x'.repeat(61) }), /section: must be at most 60 characters/],
        [storyFile({ section: '!!!' }), /section: must contain a letter from A to Z or a digit/],
        [storyFile({ tags: ['fine', ''] }), /tags\[1\]: must not be empty/],
        [storyFile({ tags: ['y'.repeat(61)] }), /tags\[0\]: must be at most 60 characters/],
        [storyFile({ tags: Array.from({ length: 21 }, (_, i) => `tag ${i}`) }), /tags: must hold at most 20 tags/],
        ['---\nheadline: x\nbyline: y\ntags: harbour\n---\nBody', /tags: must be a list of tag names/],
        ['---\nheadline: x\nbyline: y\ntags: [2026]\n---\nBody', /tags\[0\]: must be text/],
        ['---\nheadline: x\nbyline: y\nsection: [a, b]\n---\nBody', /section: must be text/],
        [storyFile({ slug: 'keeps-its-tags', tags: ['New', 'bad\u0007bell'] }), /tags\[1\]: must not contain control characters/],
      ];
      for (const [source, message] of cases) {
        await assert.rejects(importStory(t.deps, source), (e: Error) => e instanceof DomainError && message.test(e.message), String(message));
      }
      assert.deepEqual(await Promise.all(tables.map(count)), before);
      const page = (await get('/stories/keeps-its-tags')).body;
      assert.match(page, /<a rel="tag" href="\/tags\/steady-tag">Steady Tag<\/a>/);

      // The service checks too, for callers other than the import: the transaction rolls back.
      await assert.rejects(
        t.deps.store.db.transaction().execute((trx) => setStoryTaxonomy(trx, { storyId: existing.id, section: 'Moved', tags: ['ok', ' '], now: '2026-11-27T09:00:00Z' })),
        (e: Error) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && /tags\[1\]: must not be empty/.test(e.message),
      );
      assert.deepEqual(await Promise.all(tables.map(count)), before);
    });

    it('escapes hostile section, tag and author names and bios everywhere they appear', async () => {
      const hostile = '<script>alert(1)</script>';
      await buildStory(t.deps, {
        slug: 'hostile-names',
        headline: 'Hostile names',
        section: '"><img src=x onerror=alert(1)>',
        tags: [hostile],
        authors: ['<i>Eve</i> & co'],
        published: minute(1),
      });
      await t.deps.store.db.updateTable('people').set({ bio: `${hostile} <b>bio</b>` }).where('slug', '=', 'i-eve-i-co').execute();
      const pages = {
        story: (await get('/stories/hostile-names')).body,
        tag: (await get('/tags/script-alert-1-script')).body,
        section: (await get('/sections/img-src-x-onerror-alert-1')).body,
        author: (await get('/authors/i-eve-i-co')).body,
        front: (await get('/')).body,
      };
      for (const [name, page] of Object.entries(pages)) {
        assert.doesNotMatch(page, /<script>alert|<img src=x|<i>Eve|<b>bio/, name);
      }
      assert.match(pages.tag, /<h1 class="page-title">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
      assert.match(pages.tag, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; – /);
      assert.match(pages.story, /<a rel="tag" href="\/tags\/script-alert-1-script">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/a>/);
      assert.match(pages.story, /<a href="\/sections\/img-src-x-onerror-alert-1">&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/a>/);
      assert.match(pages.story, /<a href="\/authors\/i-eve-i-co">&lt;i&gt;Eve&lt;\/i&gt; &amp; co<\/a>/);
      assert.match(pages.author, /<div class="author-bio"><p>&lt;script&gt;alert\(1\)&lt;\/script&gt; &lt;b&gt;bio&lt;\/b&gt;<\/p><\/div>/);
      assert.match(pages.author, /<meta name="description" content="&lt;script&gt;alert\(1\)&lt;\/script&gt; &lt;b&gt;bio&lt;\/b&gt;">/);
    });
  });
}
