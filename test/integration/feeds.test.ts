import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { parseFeed as rowanParse } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { saveStory, type StoryDraft } from '../../src/modules/stories/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

const tricky = `Locks & <Tides> ]]> "quoted" it's`;
const rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const password = 'tide clock harbour 41';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`feeds on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    const ids: Record<string, number> = {};
    before(async () => {
      t = await createTestApp({ db: kind, clock, followIntervalMs: 3_600_000 });
      await useCommentSettings(t.deps, { rules: { ...openDoorRules, blockedPhrases: ['casino'], spamEmails: ['spammer@example.net'] } });
      const old = await buildStory(t.deps, {
        slug: 'ferry-returns',
        headline: 'The ferry returns',
        section: 'Harbour',
        tags: ['Ferries', 'Tides'],
        authors: ['Ann Reporter'],
        published: '2026-11-20T10:00:00Z',
        body: `The ferry is back, [says the council](/stories/elsewhere).\n\nSecond paragraph.\n`,
      });
      const newer = await buildStory(t.deps, { slug: 'locks-open', headline: tricky, dek: 'Dek & more', section: 'Harbour', tags: ['Tides'], authors: ['Ann Reporter', 'Bo Writer'], published: '2026-11-21T10:00:00Z' });
      await buildStory(t.deps, { slug: 'a-draft', headline: 'Secret draft', section: 'Harbour', tags: ['Tides'], authors: ['Ann Reporter'], status: 'draft' });
      await buildStory(t.deps, { slug: 'the-future', headline: 'Future story', section: 'Harbour', tags: ['Tides'], authors: ['Ann Reporter'], published: '2099-01-01T00:00:00Z' });
      ids.old = old.id;
      ids.newer = newer.id;
      ids.approved = (await buildComment(t.deps, { storyId: old.id, comment: 'Good to have the ferry back.', author: 'Carla Commenter', email: 'carla.secret@example.org' })).id;
      ids.held = (await buildComment(t.deps, { storyId: old.id, comment: 'Visit my casino', author: 'Held Hal', email: 'hal@example.org' })).id;
      ids.spam = (await buildComment(t.deps, { storyId: old.id, comment: 'Cheap stuff here', author: 'Spam Sam', email: 'spammer@example.net' })).id;
    });
    after(() => t?.close());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

    it('serves the site feed as RSS 2.0 that two parsers read alike, newest first, without drafts or scheduled stories', async () => {
      const res = await get('/feed/rss.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
      const keys = String(res.headers['surrogate-key']).split(' ');
      assert.ok(keys.includes('front') && keys.includes(`story:${ids.old}`) && keys.includes('feed-settings'), keys.join(' '));
      assert.doesNotMatch(res.body, /Secret draft|Future story/);

      const a = parseRssFeed(res.body);
      assert.equal(a.link, `${testPublicUrl}/`);
      assert.ok(a.atom?.links?.some((l) => l.rel === 'self' && l.href === `${testPublicUrl}/feed/rss.xml`));
      assert.deepEqual(
        a.items?.map((i) => i.title),
        [tricky, 'The ferry returns'],
      );
      for (const item of a.items ?? []) {
        assert.match(item.pubDate ?? '', rfc822);
        assert.equal(item.guid?.isPermaLink, false);
        assert.match(item.guid?.value ?? '', /^tag:localhost,2026-11-27:story\/\d+$/);
        assert.ok(item.link?.startsWith(`${testPublicUrl}/stories/`));
      }
      assert.equal(a.items?.[0]?.pubDate, 'Sat, 21 Nov 2026 10:00:00 +0000');
      assert.deepEqual(a.items?.[0]?.dc?.creators, ['Ann Reporter', 'Bo Writer']);

      const b = rowanParse(res.body);
      assert.equal(b.self, `${testPublicUrl}/feed/rss.xml`);
      assert.deepEqual(
        b.items.map((i) => [i.id, i.title, i.url]),
        (a.items ?? []).map((i) => [i.guid?.value, i.title, i.link]),
      );
      assert.deepEqual(
        b.items[1]?.categories.map((c) => [c.label, c.url]),
        [
          ['Harbour', `${testPublicUrl}/sections/harbour`],
          ['Ferries', `${testPublicUrl}/tags/ferries`],
          ['Tides', `${testPublicUrl}/tags/tides`],
        ],
      );
      assert.equal(b.items[0]?.published?.toISOString(), '2026-11-21T10:00:00.000Z');
    });

    it('serves Atom 1.0 with feed and entry ids, updated times, self and alternate links; two parsers agree', async () => {
      const res = await get('/feed/atom.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
      const a = parseAtomFeed(res.body);
      assert.equal(a.id, 'tag:localhost,2026-01-01:feed/site');
      assert.match(a.updated ?? '', rfc3339);
      assert.ok(a.links?.some((l) => l.rel === 'self' && l.href === `${testPublicUrl}/feed/atom.xml`));
      assert.ok(a.links?.some((l) => l.rel === 'alternate' && l.href === `${testPublicUrl}/`));
      const entryIds = (a.entries ?? []).map((e) => e.id);
      assert.equal(new Set(entryIds).size, 2);
      for (const entry of a.entries ?? []) {
        assert.match(entry.updated ?? '', rfc3339);
        assert.ok((entry.authors ?? []).length > 0 || (a.authors ?? []).length > 0, 'every entry has an author');
      }
      assert.equal(a.entries?.[0]?.title?.value, tricky);
      assert.deepEqual(
        a.entries?.[0]?.authors?.map((p) => [p.name, p.uri]),
        [
          ['Ann Reporter', `${testPublicUrl}/authors/ann-reporter`],
          ['Bo Writer', `${testPublicUrl}/authors/bo-writer`],
        ],
      );
      const b = rowanParse(res.body);
      assert.equal(b.meta.type, 'atom');
      assert.deepEqual(
        b.items.map((i) => [i.id, i.title]),
        (a.entries ?? []).map((e) => [e.id, e.title?.value]),
      );
      // The feed's updated time is the newest change among its stories, also the Last-Modified header.
      assert.equal(new Date(String(res.headers['last-modified'])).getTime(), new Date(a.updated ?? '').getTime());
    });

    it('serves JSON Feed 1.1 that feedsmith and feed-extractor read alike', async () => {
      const res = await get('/feed/feed.json');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
      const json = JSON.parse(res.body) as Record<string, unknown>;
      assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
      const a = parseJsonFeed(json);
      assert.equal(a.feed_url, `${testPublicUrl}/feed/feed.json`);
      assert.equal(a.home_page_url, `${testPublicUrl}/`);
      const items = a.items ?? [];
      assert.equal(new Set(items.map((i) => i.id)).size, 2);
      for (const item of items) {
        assert.equal(typeof item.id, 'string');
        assert.match(item.date_published ?? '', rfc3339);
        assert.ok(item.content_html !== undefined || item.content_text !== undefined);
      }
      const b = extractFromJson(json, { normalization: true });
      assert.deepEqual(
        b.entries?.map((e) => [e.id, e.title, e.link]),
        items.map((i) => [i.id, i.title, i.url]),
      );
    });

    it('carries summaries by default and full text with absolute links once an editor switches the setting (audited, purged)', async () => {
      const summary = parseRssFeed((await get('/feed/rss.xml')).body);
      assert.equal(summary.items?.[0]?.description, 'Dek & more');
      assert.equal(summary.items?.[1]?.description, 'The ferry is back, says the council.');
      assert.equal(summary.items?.[1]?.content, undefined);

      await createStaffMember(t.deps, commandLineActor, { name: 'Eddie Editor', email: 'editor@example.org', role: 'editor', password });
      await createStaffMember(t.deps, commandLineActor, { name: 'Mo Moderator', email: 'mod@example.org', role: 'moderator', password });
      const signIn = async (email: string) =>
        String(
          (await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email, password }).toString() })).headers['set-cookie'],
        ).split(';')[0] as string;
      const editor = await signIn('editor@example.org');
      assert.equal((await get('/admin/settings/feeds', { cookie: await signIn('mod@example.org') })).statusCode, 403);
      const page = await get('/admin/settings/feeds', { cookie: editor });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<input id="content-summary" name="content" type="radio" value="summary" checked/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const post = (form: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: '/admin/settings/feeds', headers: { ...formHeaders, cookie: editor }, payload: new URLSearchParams(form).toString() });

      assert.equal((await post({ content: 'full' })).statusCode, 403, 'no CSRF token');
      const bad = await post({ _csrf: csrf, content: 'everything' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Choose “Full text” or “Summary”/);

      const before = (await get('/feed/atom.xml')).headers['last-modified'];
      clock.advance(60_000);
      const saved = await post({ _csrf: csrf, content: 'full' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/admin/settings/feeds?saved=1');
      const audit = await t.deps.store.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'feed-settings.changed').execute();
      assert.equal(audit.length, 1);
      assert.deepEqual(JSON.parse(audit[0]!.details), { changes: [{ setting: 'content', from: 'summary', to: 'full' }] });
      const events = await t.deps.store.db.selectFrom('outbox').select('payload').where('topic', '=', 'feed.settings-changed').execute();
      assert.deepEqual(events.map((e) => JSON.parse(e.payload)), [{ settings: ['content'] }]);
      assert.equal((await post({ _csrf: csrf, content: 'full' })).headers.location, '/admin/settings/feeds?saved=0');

      const full = parseRssFeed((await get('/feed/rss.xml')).body);
      const body = full.items?.[1]?.content?.encoded ?? '';
      assert.match(body, /<a href="http:\/\/localhost:3000\/stories\/elsewhere">says the council<\/a>/);
      assert.match(body, /Second paragraph/);
      const atom = await get('/feed/atom.xml');
      assert.equal(rowanParse(atom.body).items[1]?.content?.includes('Second paragraph'), true);
      assert.ok(new Date(String(atom.headers['last-modified'])) > new Date(String(before)), 'Last-Modified moves with the setting');
      const json = parseJsonFeed(JSON.parse((await get('/feed/feed.json')).body));
      assert.match(json.items?.[1]?.content_html ?? '', /Second paragraph/);
    });

    it('keeps entry ids stable after an edit and a slug change', async () => {
      const idsNow = async () => (parseAtomFeed((await get('/feed/atom.xml')).body).entries ?? []).map((e) => [e.id, e.links?.find((l) => l.rel === 'alternate')?.href]);
      const before = await idsNow();
      const draft: StoryDraft = {
        headline: 'The ferry returns for good',
        slug: 'ferry-back-for-good',
        dek: null,
        byline: 'By Ann Reporter',
        dateline: null,
        body: 'The ferry is back.\n',
        related: null,
        sources: [],
        section: 'Harbour',
        tags: ['Ferries'],
        authors: ['Ann Reporter'],
      };
      await saveStory(t.deps, commandLineActor, { storyId: ids.old!, draft, action: { kind: 'publish' } });
      const after = await idsNow();
      assert.deepEqual(
        after.map((e) => e[0]),
        before.map((e) => e[0]),
      );
      assert.equal(after[1]?.[1], `${testPublicUrl}/stories/ferry-back-for-good`);
      const items = rowanParse((await get('/feed/rss.xml')).body).items;
      assert.equal(items[1]?.title, 'The ferry returns for good');
      assert.equal(items[1]?.id, before[1]?.[0]);
    });

    it('lists a section, a tag and an author in their own feeds; unknown ones are 404', async () => {
      const section = rowanParse((await get('/sections/harbour/feed/atom.xml')).body);
      assert.equal(section.title, `Harbour – ${t.runtime.siteName}`);
      assert.equal(section.url, `${testPublicUrl}/sections/harbour`);
      assert.equal(section.items.length, 2);
      const tag = await get('/tags/ferries/feed/rss.xml');
      assert.equal(tag.statusCode, 200);
      const tagKeys = String(tag.headers['surrogate-key']).split(' ');
      assert.ok(tagKeys.includes('lists') && tagKeys.some((k) => k.startsWith('tag:')), tagKeys.join(' '));
      assert.deepEqual(
        parseRssFeed(tag.body).items?.map((i) => i.title),
        ['The ferry returns for good'],
      );
      const author = parseJsonFeed(JSON.parse((await get('/authors/bo-writer/feed/feed.json')).body));
      assert.deepEqual(
        author.items?.map((i) => i.title),
        [tricky],
      );
      assert.deepEqual(extractFromXml((await get('/tags/tides/feed/atom.xml')).body).entries?.map((e) => e.title), [tricky]);
      for (const url of ['/sections/nowhere/feed/rss.xml', '/tags/nothing/feed/atom.xml', '/authors/nobody/feed/feed.json', '/stories/nothing/comments/feed/rss.xml', '/sections/BAD!/feed/rss.xml']) {
        assert.equal((await get(url)).statusCode, 404, url);
      }
    });

    it('comment feeds show approved comments only, never an email address, site-wide and per story', async () => {
      for (const url of ['/comments/feed/rss.xml', '/comments/feed/atom.xml', '/comments/feed/feed.json', '/stories/ferry-back-for-good/comments/feed/rss.xml', '/stories/ferry-back-for-good/comments/feed/atom.xml', '/stories/ferry-back-for-good/comments/feed/feed.json']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, url);
        assert.doesNotMatch(res.body, /carla\.secret|example\.org|example\.net|@/, `${url}: no email address`);
        assert.doesNotMatch(res.body, /192\.0\.2\.|ip_hash|user_agent/, `${url}: no IP data`);
        assert.doesNotMatch(res.body, /casino|Held Hal|Spam Sam|Cheap stuff/, `${url}: no held or spam comment`);
        assert.match(res.body, /Good to have the ferry back/);
      }
      const rss = parseRssFeed((await get('/comments/feed/rss.xml')).body);
      assert.deepEqual(
        rss.items?.map((i) => [i.title, i.link, i.guid?.value]),
        [['Carla Commenter on “The ferry returns for good”', `${testPublicUrl}/comment/${ids.approved}`, `tag:localhost,2026-11-27:comment/${ids.approved}`]],
      );
      const atom = rowanParse((await get('/stories/ferry-back-for-good/comments/feed/atom.xml')).body);
      assert.equal(atom.items[0]?.authors[0]?.name, 'Carla Commenter');
      const keys = String((await get('/stories/ferry-back-for-good/comments/feed/atom.xml')).headers['surrogate-key']);
      assert.equal(keys, `story:${ids.old}`);
      assert.match(String((await get('/comments/feed/atom.xml')).headers['surrogate-key']), /\bcomments\b/);
      // The old slug's comment feed moves with the story.
      const moved = await get('/stories/ferry-returns/comments/feed/rss.xml');
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, '/stories/ferry-back-for-good/comments/feed/rss.xml');
    });

    it('a newly approved comment reaches both comment feeds at once (purged by its event)', async () => {
      const before = parseAtomFeed((await get('/comments/feed/atom.xml')).body).entries?.length;
      await buildComment(t.deps, { storyId: ids.newer!, comment: 'On the locks.', author: 'Dee' });
      const after = parseAtomFeed((await get('/comments/feed/atom.xml')).body).entries ?? [];
      assert.equal(after.length, (before ?? 0) + 1);
      assert.equal(after[0]?.title?.value, `Dee on “${tricky}”`);
      const story = parseAtomFeed((await get('/stories/locks-open/comments/feed/atom.xml')).body);
      assert.deepEqual(
        story.entries?.map((e) => e.title?.value),
        [`Dee on “${tricky}”`],
      );
    });

    it('answers 304 to a matching If-None-Match and If-Modified-Since', async () => {
      for (const url of ['/feed/rss.xml', '/tags/tides/feed/atom.xml', '/comments/feed/feed.json']) {
        const first = await get(url);
        assert.ok(first.headers.etag, url);
        assert.ok(first.headers['last-modified'], url);
        const again = await get(url, { 'if-none-match': String(first.headers.etag) });
        assert.equal(again.statusCode, 304, `${url} If-None-Match`);
        assert.equal(again.body, '');
        const since = await get(url, { 'if-modified-since': String(first.headers['last-modified']) });
        assert.equal(since.statusCode, 304, `${url} If-Modified-Since`);
        const older = await get(url, { 'if-modified-since': new Date(Date.parse(String(first.headers['last-modified'])) - 1000).toUTCString() });
        assert.equal(older.statusCode, 200, `${url} older If-Modified-Since`);
      }
    });

    it('announces feeds with <link rel="alternate"> on the front, section, tag, author and story pages', async () => {
      const alternates = (body: string) => [...body.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g)].map((m) => `${m[1]} ${m[2]}`);
      const site = [`application/rss+xml ${testPublicUrl}/feed/rss.xml`, `application/atom+xml ${testPublicUrl}/feed/atom.xml`, `application/feed+json ${testPublicUrl}/feed/feed.json`];
      const own = (base: string) => [`application/rss+xml ${testPublicUrl}${base}/rss.xml`, `application/atom+xml ${testPublicUrl}${base}/atom.xml`, `application/feed+json ${testPublicUrl}${base}/feed.json`];
      assert.deepEqual(alternates((await get('/')).body), site);
      assert.deepEqual(alternates((await get('/sections/harbour')).body), [...own('/sections/harbour/feed'), ...site]);
      assert.deepEqual(alternates((await get('/tags/tides')).body), [...own('/tags/tides/feed'), ...site]);
      assert.deepEqual(alternates((await get('/authors/ann-reporter')).body), [...own('/authors/ann-reporter/feed'), ...site]);
      const story = (await get('/stories/locks-open')).body;
      assert.deepEqual(alternates(story), [...site, ...own('/stories/locks-open/comments/feed')]);
      assert.ok(story.includes(`title="Comments on “Locks &amp; &lt;Tides&gt; ]]&gt; &quot;quoted&quot; it&#39;s” (RSS)"`), 'the title is escaped');
      // Each announced feed answers.
      for (const link of alternates(story)) assert.equal((await get(link.split(' ')[1]!.slice(testPublicUrl.length))).statusCode, 200, link);
    });

    it('an unpublished story leaves the feeds, and Last-Modified moves forward so If-Modified-Since does not answer 304', async () => {
      const first = await get('/feed/atom.xml');
      const lastModified = String(first.headers['last-modified']);
      clock.advance(3_600_000);
      const draft: StoryDraft = { headline: tricky, slug: 'locks-open', dek: 'Dek & more', byline: 'By Ann Reporter', dateline: null, body: 'Locks.\n', related: null, sources: [] };
      await saveStory(t.deps, commandLineActor, { storyId: ids.newer!, draft, action: { kind: 'unpublish' } });
      const res = await get('/feed/atom.xml', { 'if-modified-since': lastModified });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        parseAtomFeed(res.body).entries?.map((e) => e.title?.value),
        ['The ferry returns for good'],
      );
      assert.ok(Date.parse(String(res.headers['last-modified'])) > Date.parse(lastModified));
      assert.equal((await get('/stories/locks-open/comments/feed/atom.xml')).statusCode, 404);
      assert.doesNotMatch((await get('/comments/feed/rss.xml')).body, /On the locks/, 'its comments leave the site-wide comment feed');
      assert.equal((await get('/authors/bo-writer/feed/rss.xml')).statusCode, 404, 'an author without published stories has no feed');
    });
  });
}
