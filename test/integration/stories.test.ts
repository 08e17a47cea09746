import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedSampleContent } from '../../src/boot.js';
import { DomainError } from '../../src/errors.js';
import { importStory } from '../../src/modules/stories/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory, storyFile } from '../builders/stories.js';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`stories on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ db: kind, clock: new FakeClock() });
      await useCommentSettings(t.deps, { rules: openDoorRules });
    });
    after(() => t?.close());

    const count = async (table: 'stories' | 'story_sources' | 'people') =>
      Number((await t.deps.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('renders a story page with every part of the article', async () => {
      await buildStory(t.deps, { headline: 'Port brief', slug: 'port-brief', body: 'Ferries will run *less* often.' });
      await buildStory(t.deps, {
        headline: 'Talks resume, according to a readout',
        slug: 'talks-resume',
        dek: 'Both sides call the call "constructive".',
        byline: 'By Amina Castell',
        dateline: 'PORT ELLIS',
        published: '2026-11-27T07:30:00Z',
        related: 'port-brief',
        sources: [{ title: 'Readout of the call', outlet: 'Harbour Authority', url: 'https://example.org/readout', date: '2026-11-26' }],
        body: '"We agreed to talk," said Rosa Lindqvist, according to [Harbour FM](https://example.org/fm).\n\n> A block quote.\n\n## Next\n\n- one\n- two\n',
      });
      const res = await t.app.inject({ url: '/stories/talks-resume' });
      assert.equal(res.statusCode, 200);
      const page = res.body;
      assert.match(page, /<link rel="canonical" href="http:\/\/localhost:3000\/stories\/talks-resume">/);
      assert.match(page, /<h1 class="headline">Talks resume, according to a readout<\/h1>/);
      assert.match(page, /<p class="dek">Both sides call the call &quot;constructive&quot;.<\/p>/);
      assert.match(page, /<p class="byline">By Amina Castell<\/p>/);
      assert.match(page, /<span class="dateline">PORT ELLIS<\/span>/);
      assert.match(page, /Published <time datetime="2026-11-27T07:30:00.000Z" class="published">November 27, 2026 at 7:30 AM<\/time>/);
      assert.doesNotMatch(page, /class="updated"/);
      assert.match(page, /<blockquote>/);
      assert.match(page, /<h2>Next<\/h2>/);
      assert.match(page, /<a href="https:\/\/example.org\/fm" rel="noopener">Harbour FM<\/a>/);
      assert.match(page, /<a href="https:\/\/example.org\/readout" rel="noopener">Readout of the call<\/a>, <span class="outlet">Harbour Authority<\/span>, <time datetime="2026-11-26">/);
      assert.match(page, /<aside class="related-story"[\s\S]*<a href="\/stories\/port-brief">Port brief<\/a>[\s\S]*<em>less<\/em>/);
      assert.match(page, /<h2 id="reply-title" class="comment-reply-title">Leave a Reply/);
      assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    });

    it('re-importing a file updates the story instead of duplicating it, and shows "Updated"', async () => {
      const file = (headline: string, extra = '') =>
        `---\nheadline: ${headline}\nslug: reimport\nbyline: By A\npublished: 2026-11-26T10:00:00Z\n${extra}sources:\n  - title: S\n    url: https://example.org/s\n---\nBody\n`;
      const first = await importStory(t.deps, file('First version'));
      const before = await count('stories');
      const second = await importStory(t.deps, file('Second version', 'updated: 2026-11-27T11:00:00Z\n'));
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.story.id, first.story.id);
      assert.equal(await count('stories'), before);
      const page = (await t.app.inject({ url: '/stories/reimport' })).body;
      assert.match(page, /Second version/);
      assert.match(page, /Updated <time datetime="2026-11-27T11:00:00.000Z" class="updated">/);
      assert.equal((page.match(/<li><a href="https:\/\/example.org\/s"/g) ?? []).length, 1);
    });

    it('refuses invalid front matter naming the field, and writes nothing', async () => {
      const before = await Promise.all([count('stories'), count('story_sources'), count('people')]);
      const cases: [string, RegExp][] = [
        [storyFile({ headline: '' }), /headline: must not be empty/],
        [storyFile({ sources: [{ title: 'x', url: 'javascript:alert(1)' }] }), /sources\[0\]\.url: must be an http/],
        [storyFile({ slug: 'Bad Slug' }), /slug: must be lower-case/],
        [storyFile({ published: 'next tuesday' }), /published: must be a date-time/],
        [storyFile({ related: 'no-such-story' }), /related: no other story has the slug "no-such-story"/],
        ['---\nheadline: x\nbyline: y\ncolour: red\n---\nBody', /colour/],
        ['no front matter at all', /front matter/],
        [storyFile({ body: '   ' }), /body: the story has no text/],
      ];
      for (const [source, message] of cases) {
        await assert.rejects(importStory(t.deps, source), (e: Error) => e instanceof DomainError && message.test(e.message), String(message));
      }
      assert.deepEqual(await Promise.all([count('stories'), count('story_sources'), count('people')]), before);
    });

    it('answers 404 for unknown and unpublished stories', async () => {
      await buildStory(t.deps, { slug: 'a-draft', status: 'draft' });
      await buildStory(t.deps, { slug: 'in-the-future', published: '2099-01-01T00:00:00Z' });
      for (const url of ['/stories/no-such-story', '/stories/a-draft', '/stories/in-the-future', '/stories/BAD%20slug']) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /Page not found/);
      }
    });

    it('lists the newest published stories on the front page with comment counts, 20 a page', async () => {
      const newest = await buildStory(t.deps, { headline: 'Newest of all', published: '2026-11-27T08:59:00Z' });
      await buildComment(t.deps, { storyId: newest.id });
      await buildComment(t.deps, { storyId: newest.id });
      for (let i = 0; i < 21; i++) await buildStory(t.deps, { published: `2026-11-20T10:${String(i).padStart(2, '0')}:00Z` });
      const first = await t.app.inject({ url: '/' });
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /<ol class="story-list">\s*<li class="story-teaser">\s*<article>\s*<h2 class="teaser-headline"><a href="\/stories\/newest-of-all">Newest of all<\/a>/);
      assert.match(first.body, /#comments">2 comments<\/a>/);
      assert.equal((first.body.match(/class="story-teaser"/g) ?? []).length, 20);
      assert.match(first.body, /<a rel="next" href="\/\?page=2">Older stories<\/a>/);
      assert.doesNotMatch(first.body, /a-draft|in-the-future/);
      const second = await t.app.inject({ url: '/?page=2' });
      assert.match(second.body, /<a rel="prev" href="\/">Newer stories<\/a>/);
    });

    it('creates the first administrator once, on the first start of an empty site', async () => {
      const first = await createTestApp({ db: kind, seed: true });
      try {
        assert.equal(first.runtime.firstAdmin?.email, 'admin@localhost');
        assert.equal(first.runtime.firstAdmin?.password.length, 20);
        const again = await createTestApp({ db: kind, seed: true, database: first.database });
        assert.equal(again.runtime.firstAdmin, undefined);
        await again.close();
        const res = await first.app.inject({
          method: 'POST',
          url: '/admin/sign-in',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ email: 'admin@localhost', password: first.runtime.firstAdmin?.password ?? '' }).toString(),
        });
        assert.equal(res.headers.location, '/admin/password');
      } finally {
        await first.close();
      }
    });

    it('seeds the sample story and its related brief only into an empty database', async () => {
      const fresh = await createTestApp({ db: kind });
      try {
        assert.equal(await seedSampleContent(fresh.deps), 2);
        assert.equal(await seedSampleContent(fresh.deps), 0);
        const page = (await fresh.app.inject({ url: '/stories/harbour-authority-and-dockworkers-agree-to-resume-talks' })).body;
        assert.match(page, /according to a readout/);
        assert.match(page, /class="related-story"/);
        assert.match(page, /Leave a Reply/);
      } finally {
        await fresh.close();
      }
    });
  });
}
