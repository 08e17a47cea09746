import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { saveStory } from '../../src/modules/stories/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const pageSize = 3;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'url' || name === 'sitemap' });
const w3c = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const hours = (n: number) => n * 60 * 60 * 1000;

interface UrlEntry {
  loc: string;
  lastmod?: string;
  'news:news'?: {
    'news:publication': { 'news:name': string; 'news:language': string };
    'news:publication_date': string;
    'news:title': string;
  };
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`sitemaps and robots.txt on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    let editor: Actor;
    before(async () => {
      t = await createTestApp({ db: kind, clock, followIntervalMs: 3_600_000, env: { READOUT_SITEMAP_PAGE_SIZE: String(pageSize) } });
      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Desk Editor', email: 'editor@example.org', role: 'editor', password: 'tide clock harbour 41' });
      editor = { personId: person.id, name: person.name, role: 'editor' };
    });
    after(() => t?.close());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
    const fetchXml = async (url: string) => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8', url);
      assert.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, url);
      return { res, doc: parser.parse(res.body) as Record<string, unknown> };
    };
    const urlset = async (url: string) => {
      const { res, doc } = await fetchXml(url);
      const set = doc.urlset as { '@_xmlns': string; '@_xmlns:news'?: string; url?: UrlEntry[] };
      assert.equal(set['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9', url);
      return { res, set, urls: set.url ?? [] };
    };
    const index = async () => {
      const { res, doc } = await fetchXml('/sitemap.xml');
      const idx = doc.sitemapindex as { '@_xmlns': string; sitemap: { loc: string; lastmod?: string }[] };
      assert.equal(idx['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
      return { res, files: idx.sitemap };
    };
    /** Every URL of every file the index names, checking the rules of each file on the way. */
    const everything = async () => {
      const { files } = await index();
      const urls: UrlEntry[] = [];
      for (const file of files) {
        assert.ok(file.loc.startsWith(`${testPublicUrl}/sitemaps/`), file.loc);
        if (file.lastmod !== undefined) assert.match(file.lastmod, w3c);
        const { urls: some } = await urlset(file.loc.slice(testPublicUrl.length));
        assert.ok(some.length <= pageSize, `${file.loc} has ${some.length} URLs`);
        assert.ok(some.length > 0, `${file.loc} is listed but empty`);
        for (const u of some) {
          assert.ok(u.loc.startsWith(`${testPublicUrl}/`), u.loc);
          assert.match(String(u.lastmod), w3c, u.loc);
        }
        const newest = some.map((u) => String(u.lastmod)).sort().at(-1);
        assert.equal(file.lastmod, newest, `the index gives ${file.loc} the newest lastmod it lists`);
        urls.push(...some);
      }
      return { files: files.map((f) => f.loc.slice(testPublicUrl.length)), urls, locs: urls.map((u) => u.loc.slice(testPublicUrl.length)).sort() };
    };
    const draftOf = (o: { headline: string; slug: string; section?: string; tags?: string[]; authors?: string[] }) => ({
      headline: o.headline,
      slug: o.slug,
      dek: null,
      byline: 'By Desk Editor',
      dateline: null,
      body: 'Body text.',
      related: null,
      sources: [],
      section: o.section ?? null,
      tags: o.tags ?? [],
      authors: o.authors ?? [],
    });

    it('serves robots.txt: everything allowed but the newsroom, the API, comment tools and privacy links; both sitemaps named', async () => {
      const res = await get('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      const lines = res.body.split('\n');
      for (const line of ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /api/', 'Disallow: /comments/', 'Disallow: /privacy/']) {
        assert.ok(lines.includes(line), line);
      }
      assert.ok(lines.includes(`Sitemap: ${testPublicUrl}/sitemap.xml`));
      assert.ok(lines.includes(`Sitemap: ${testPublicUrl}/sitemaps/news.xml`));
      assert.equal((await get('/robots.txt', { 'if-none-match': String(res.headers.etag) })).statusCode, 304);
    });

    it('names one (empty) stories file while nothing is published', async () => {
      await buildStory(t.deps, { slug: 'early-draft', section: 'Hidden Desk', tags: ['Hidden Tag'], authors: ['Hidden Writer'], status: 'draft' });
      const { files } = await index();
      assert.deepEqual(
        files.map((f) => f.loc),
        [`${testPublicUrl}/sitemaps/stories-1.xml`],
      );
      assert.deepEqual((await urlset('/sitemaps/stories-1.xml')).urls, []);
      assert.equal((await get('/sitemaps/sections-1.xml')).statusCode, 200, 'the first file of each kind exists, empty');
      assert.equal((await get('/sitemaps/stories-2.xml')).statusCode, 404);
    });

    it('lists every published story, section, tag and author in files of at most the page size, and nothing unpublished', async () => {
      const published: string[] = [];
      for (let i = 0; i < 7; i++) {
        const story = await buildStory(t.deps, {
          slug: `harbour-${i}`,
          section: i % 2 === 0 ? 'Harbour' : 'Ferries',
          tags: [`Tide ${i % 4}`],
          authors: [i < 4 ? 'Amina Castell' : 'Tomas Varga'],
          published: `2026-11-2${i}T10:00:00Z`,
        });
        published.push(story.slug);
      }
      await buildStory(t.deps, { slug: 'future-dated', section: 'Future Desk', tags: ['Future Tag'], authors: ['Future Writer'], published: '2026-11-28T09:00:00Z' });
      const scheduled = await saveStory(t.deps, editor, {
        draft: draftOf({ headline: 'Scheduled', slug: 'scheduled-story', section: 'Scheduled Desk', tags: ['Scheduled Tag'], authors: ['Scheduled Writer'] }),
        action: { kind: 'schedule', at: '2026-11-30T09:00:00.000Z' },
      });
      assert.equal(scheduled.status, 'scheduled');
      const pulled = await saveStory(t.deps, editor, {
        draft: draftOf({ headline: 'Pulled', slug: 'pulled-story', section: 'Pulled Desk', tags: ['Pulled Tag'], authors: ['Pulled Writer'] }),
        action: { kind: 'publish' },
      });
      await saveStory(t.deps, editor, {
        storyId: pulled.id,
        draft: draftOf({ headline: 'Pulled', slug: 'pulled-story', section: 'Pulled Desk', tags: ['Pulled Tag'], authors: ['Pulled Writer'] }),
        action: { kind: 'unpublish' },
      });

      const { files, locs, urls } = await everything();
      const expected = [
        ...published.map((slug) => `/stories/${slug}`),
        '/sections/harbour',
        '/sections/ferries',
        '/tags/tide-0',
        '/tags/tide-1',
        '/tags/tide-2',
        '/tags/tide-3',
        '/authors/amina-castell',
        '/authors/tomas-varga',
      ].sort();
      assert.deepEqual(locs, expected);
      assert.ok(files.filter((f) => f.startsWith('/sitemaps/stories-')).length >= 3, `7 stories in files of 3: ${files.join(' ')}`);
      assert.ok(files.includes('/sitemaps/sections-1.xml') && files.includes('/sitemaps/authors-1.xml'));
      assert.ok(files.some((f) => f.startsWith('/sitemaps/tags-')));

      // A story's lastmod is its last write; a listing's is its newest story's.
      const rows = await t.deps.store.db.selectFrom('stories').select(['slug', 'modified_at', 'published_at']).where('slug', 'like', 'harbour-%').execute();
      const lastmodOf = (path: string) => urls.find((u) => u.loc === `${testPublicUrl}${path}`)?.lastmod;
      const second = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
      for (const r of rows) assert.equal(lastmodOf(`/stories/${r.slug}`), second(r.modified_at), r.slug);
      const newestHarbour = rows.filter((r) => ['harbour-0', 'harbour-2', 'harbour-4', 'harbour-6'].includes(r.slug)).map((r) => second(r.modified_at)).sort().at(-1);
      assert.equal(lastmodOf('/sections/harbour'), newestHarbour);

      const { res } = await urlset('/sitemaps/stories-1.xml');
      assert.deepEqual(String(res.headers['surrogate-key']).split(' '), ['lists'], 'purged by every story save, not by comments');
      assert.ok(res.headers.etag);
    });

    it('answers 404 for files that list nothing and for names that are not sitemaps', async () => {
      for (const url of ['/sitemaps/stories-900.xml', '/sitemaps/stories-0.xml', '/sitemaps/stories-01.xml', '/sitemaps/stories-1e3.xml', '/sitemaps/pages-1.xml', '/sitemaps/stories-99999999999.xml', '/sitemaps/authors-5000000.xml', '/sitemaps/news-2.xml']) {
        assert.equal((await get(url)).statusCode, 404, url);
      }
    });

    it('refreshes the sitemaps when a story is published or unpublished', async () => {
      const before = await everything();
      assert.ok(!before.locs.includes('/stories/late-news'));
      const story = await saveStory(t.deps, editor, { draft: draftOf({ headline: 'Late news', slug: 'late-news', section: 'Late Desk' }), action: { kind: 'publish' } });
      const afterPublish = await everything();
      assert.ok(afterPublish.locs.includes('/stories/late-news'));
      assert.ok(afterPublish.locs.includes('/sections/late-desk'));
      await saveStory(t.deps, editor, { storyId: story.id, draft: draftOf({ headline: 'Late news', slug: 'late-news', section: 'Late Desk' }), action: { kind: 'unpublish' } });
      const afterUnpublish = await everything();
      assert.deepEqual(afterUnpublish.locs, before.locs);
    });

    it('lists the stories of the last two days in the Google News sitemap, following the clock', async () => {
      const news = async () => {
        const { set, urls, res } = await urlset('/sitemaps/news.xml');
        assert.equal(set['@_xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
        for (const u of urls) {
          const n = u['news:news'];
          assert.ok(n, u.loc);
          assert.deepEqual(n['news:publication'], { 'news:name': t.runtime.siteName, 'news:language': 'en' });
          assert.match(n['news:publication_date'], w3c);
          assert.equal(typeof n['news:title'], 'string');
        }
        return { res, slugs: urls.map((u) => u.loc.replace(`${testPublicUrl}/stories/`, '')) };
      };
      // Now is 2026-11-27T09:00Z: harbour-6 (the 26th, 10:00) is within two days, harbour-5 (the 25th, 10:00) too; harbour-4 (the 24th) is not.
      const first = await news();
      assert.deepEqual(first.slugs, ['harbour-6', 'harbour-5']);
      assert.ok(!first.slugs.includes('future-dated') && !first.slugs.includes('scheduled-story') && !first.slugs.includes('pulled-story'));
      assert.equal((await get('/sitemaps/news.xml', { 'if-none-match': String(first.res.headers.etag) })).statusCode, 304);

      // 2026-11-27T10:30Z: harbour-5 has left the window (the cached copy expired by itself).
      clock.advance(hours(1.5));
      assert.deepEqual((await news()).slugs, ['harbour-6']);
      // 2026-11-28T09:30Z: the story dated ahead has come due; harbour-6 is still in.
      clock.advance(hours(23));
      assert.deepEqual((await news()).slugs, ['future-dated', 'harbour-6']);
      assert.ok((await everything()).locs.includes('/stories/future-dated'), 'and in the stories sitemap');
      // 2026-11-28T10:30Z: harbour-6 has left too.
      clock.advance(hours(1));
      assert.deepEqual((await news()).slugs, ['future-dated']);
    });

    it('escapes headlines in the news sitemap', async () => {
      await buildStory(t.deps, { slug: 'hostile', headline: 'Ports & "docks" <b>close</b> ]]> \u0007 </news:title>', published: clock.now().toISOString() });
      const { urls } = await urlset('/sitemaps/news.xml');
      assert.equal(urls[0]?.['news:news']?.['news:title'], 'Ports & "docks" <b>close</b> ]]>  </news:title>');
    });
  });
}
