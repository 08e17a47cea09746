import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { holdComment } from '../../src/modules/comments/index.js';
import { appendCorrection } from '../../src/modules/corrections/index.js';
import { uploadImage } from '../../src/modules/media/index.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { parseStoryForm, saveStory } from '../../src/modules/stories/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

/** Strings that would end a script element or a JSON string in a careless page. */
const hostile = 'Ends </script><script>alert(1)</script> <!-- \u2028\u2029 & "quotes"';

type Json = Record<string, unknown>;

/** Every JSON-LD block of a page, parsed; asserts that each one is a whole script element. */
function jsonLd(page: string): Json[] {
  const blocks = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  for (const block of blocks) {
    assert.doesNotMatch(block, /<|>|\u2028|\u2029/, 'nothing in a JSON-LD block can end it or break it');
  }
  return blocks.map((b) => JSON.parse(b) as Json);
}

/** The content attribute of each meta tag with this property or name, decoded. */
function meta(page: string, key: string): string[] {
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...page.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)].filter((m) => m[1] === key).map((m) => decode(m[2] ?? ''));
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`structured data and link previews on ${kind}`, { skip }, () => {
    let t: TestApp;
    let editor: Actor;
    before(async () => {
      t = await createTestApp({ db: kind, clock: new FakeClock(), followIntervalMs: 3_600_000 });
      await useCommentSettings(t.deps, { rules: openDoorRules });
      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Desk Editor', email: 'editor@example.org', role: 'editor', password: 'tide clock harbour 41' });
      editor = { personId: person.id, name: person.name, role: 'editor' };
    });
    after(() => t?.close());

    const get = (url: string) => t.app.inject({ url });

    it('describes a story with its authors, publisher, image, sources, correction and approved comments, none able to end the script', async () => {
      const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1d5fa0' } }).png().toBuffer();
      const image = await uploadImage(t.deps, editor, { bytes: png, alt: `Cranes ${hostile}` });
      const story = await saveStory(t.deps, editor, {
        draft: parseStoryForm({
          headline: `Harbour talks ${hostile}`,
          slug: 'harbour-talks',
          dek: `Both sides ${hostile}`,
          byline: 'By Amina Castell and Tomas Varga',
          dateline: 'PORT ELLIS',
          body: 'The talks resumed on Monday.',
          related: '',
          sources: [{ title: `Readout ${hostile}`, outlet: 'Harbour Authority', url: 'https://example.org/readout', date: '2026-11-26' }],
          section: 'Harbour & Port',
          tags: 'Ports, Labour',
          authors: 'Amina Castell, Tomas Varga',
          featuredMediaId: String(image.id),
        }),
        action: { kind: 'publish' },
      });
      await appendCorrection(t.deps, editor, { storyId: story.id, kind: 'correction', text: `An earlier version ${hostile}` });
      const first = await buildComment(t.deps, { storyId: story.id, author: 'Reader "Dock" & Co', email: 'first.reader@example.org', comment: `Well put ${hostile}` });
      const second = await buildComment(t.deps, { storyId: story.id, author: 'Second Reader', email: 'second.reader@example.org', comment: 'Agreed.' });
      const held = await buildComment(t.deps, { storyId: story.id, author: 'Held Reader', email: 'held.reader@example.org', comment: 'Held back.' });
      await holdComment(t.deps, editor, held.id);

      const res = await get('/stories/harbour-talks');
      assert.equal(res.statusCode, 200);
      const page = res.body;
      const blocks = jsonLd(page);
      const article = blocks.find((b) => b['@type'] === 'NewsArticle') as Json;
      const crumbs = blocks.find((b) => b['@type'] === 'BreadcrumbList') as Json;
      assert.ok(article && crumbs, 'a NewsArticle and a BreadcrumbList');

      const url = `${testPublicUrl}/stories/harbour-talks`;
      assert.equal(article.headline, `Harbour talks ${hostile}`);
      assert.equal(article.description, `Both sides ${hostile}`);
      assert.equal(article.url, url);
      assert.equal(article.datePublished, story.published_at);
      assert.ok(typeof article.dateModified === 'string');
      assert.deepEqual(article.author, [
        { '@type': 'Person', name: 'Amina Castell', url: `${testPublicUrl}/authors/amina-castell` },
        { '@type': 'Person', name: 'Tomas Varga', url: `${testPublicUrl}/authors/tomas-varga` },
      ]);
      const publisher = article.publisher as Json;
      assert.equal(publisher['@type'], 'NewsMediaOrganization');
      assert.equal(publisher.name, t.runtime.siteName);
      const logo = publisher.logo as Json;
      assert.equal(logo['@type'], 'ImageObject');
      assert.match(String(logo.url), new RegExp(`^${testPublicUrl}/.+\\.svg$`));
      assert.equal((await get(String(logo.url).slice(testPublicUrl.length))).statusCode, 200, 'the logo is served');
      const articleImage = article.image as Json;
      assert.equal(articleImage['@type'], 'ImageObject');
      assert.match(String(articleImage.url), new RegExp(`^${testPublicUrl}/media/`));
      assert.equal(articleImage.width, image.width);
      assert.equal(articleImage.caption, image.alt);
      assert.deepEqual(article.citation, [
        { '@type': 'CreativeWork', name: `Readout ${hostile}`, url: 'https://example.org/readout', publisher: { '@type': 'Organization', name: 'Harbour Authority' }, datePublished: '2026-11-26' },
      ]);
      const corrections = article.correction as Json[];
      assert.equal(corrections.length, 1);
      assert.equal(corrections[0]?.['@type'], 'CorrectionComment');
      // Rendered from Markdown (typographic quotes, whitespace collapsed), yet the hostile text survives as text.
      assert.match(String(corrections[0]?.text), /^An earlier version Ends <\/script><script>alert\(1\)<\/script> <!-- & .quotes.$/);
      assert.equal(article.commentCount, 2, 'approved comments only');
      assert.deepEqual(
        (article.comment as Json[]).map((c) => [c['@type'], c.url, (c.author as Json).name, String(c.text).replace(/[“”]/g, '"')]),
        [
          ['Comment', `${testPublicUrl}/comment/${first.id}`, 'Reader "Dock" & Co', `Well put ${hostile.replace(/\s+/g, ' ')}`],
          ['Comment', `${testPublicUrl}/comment/${second.id}`, 'Second Reader', 'Agreed.'],
        ],
      );
      for (const c of article.comment as Json[]) assert.ok(typeof c.datePublished === 'string');
      assert.doesNotMatch(JSON.stringify(blocks), /@example\.org|Held Reader|Held back/, 'no address, no held comment');
      const permalink = await get(`/comment/${first.id}`);
      assert.match(String(permalink.statusCode), /^30[1278]$/, 'the permalink leads to the comment');
      assert.match(String(permalink.headers.location), new RegExp(`/stories/harbour-talks.*#comment-${first.id}$`));

      assert.deepEqual(
        (crumbs.itemListElement as Json[]).map((i) => [i.position, i.name, i.item]),
        [
          [1, t.runtime.siteName, `${testPublicUrl}/`],
          [2, 'Harbour & Port', `${testPublicUrl}/sections/harbour-port`],
          [3, `Harbour talks ${hostile}`, url],
        ],
      );

      // OpenGraph and Twitter: present, escaped in their attributes, and reading back to the text.
      assert.doesNotMatch(page, /<script>alert/);
      assert.equal(page.match(/<\/script>/g)?.length, page.match(/<script\b/g)?.length, 'no script element ended early');
      assert.deepEqual(meta(page, 'og:type'), ['article']);
      assert.deepEqual(meta(page, 'og:title'), [`Harbour talks ${hostile}`]);
      assert.deepEqual(meta(page, 'og:description'), [`Both sides ${hostile}`]);
      assert.deepEqual(meta(page, 'og:url'), [url]);
      assert.deepEqual(meta(page, 'og:site_name'), [t.runtime.siteName]);
      assert.deepEqual(meta(page, 'og:image'), [articleImage.url]);
      assert.deepEqual(meta(page, 'og:image:width'), [String(image.width)]);
      assert.deepEqual(meta(page, 'og:image:height'), [String(image.height)]);
      assert.deepEqual(meta(page, 'article:published_time'), [story.published_at]);
      assert.equal(meta(page, 'article:modified_time').length, 1);
      assert.deepEqual(meta(page, 'article:section'), ['Harbour & Port']);
      assert.deepEqual(meta(page, 'article:tag'), ['Ports', 'Labour']);
      assert.deepEqual(meta(page, 'twitter:card'), ['summary_large_image']);
      assert.deepEqual(meta(page, 'twitter:title'), [`Harbour talks ${hostile}`]);
    });

    it('gives a story without an image or comments a summary card and a comment count of 0', async () => {
      await buildStory(t.deps, { slug: 'plain-story', headline: 'Plain story' });
      const page = (await get('/stories/plain-story')).body;
      const article = jsonLd(page).find((b) => b['@type'] === 'NewsArticle') as Json;
      assert.equal(article.commentCount, 0);
      assert.equal('comment' in article, false);
      assert.equal('image' in article, false);
      const crumbs = jsonLd(page).find((b) => b['@type'] === 'BreadcrumbList') as Json;
      assert.equal((crumbs.itemListElement as Json[]).length, 2, 'Home → story without a section');
      assert.deepEqual(meta(page, 'twitter:card'), ['summary']);
      assert.deepEqual(meta(page, 'og:image'), []);
    });

    it('puts the WebSite with its SearchAction and the organization on the front page, and basic OpenGraph tags on listings', async () => {
      const front = (await get('/')).body;
      const blocks = jsonLd(front);
      const website = blocks.find((b) => b['@type'] === 'WebSite') as Json;
      assert.deepEqual(website.potentialAction, {
        '@type': 'SearchAction',
        target: `${testPublicUrl}/search?q={search_term_string}`,
        'query-input': 'required name=search_term_string',
      });
      assert.equal(website.url, `${testPublicUrl}/`);
      assert.ok(blocks.some((b) => b['@type'] === 'NewsMediaOrganization' && typeof (b.logo as Json | undefined)?.url === 'string'));
      assert.deepEqual(meta(front, 'og:type'), ['website']);
      assert.deepEqual(meta(front, 'og:url'), [`${testPublicUrl}/`]);

      for (const [path, title] of [
        ['/sections/harbour-port', 'Harbour & Port'],
        ['/tags/ports', 'Ports'],
        ['/authors/amina-castell', 'Amina Castell'],
      ] as const) {
        const page = (await get(path)).body;
        assert.deepEqual(meta(page, 'og:type'), ['website'], path);
        assert.deepEqual(meta(page, 'og:title'), [title], path);
        assert.deepEqual(meta(page, 'og:url'), [`${testPublicUrl}${path}`], path);
        assert.deepEqual(meta(page, 'og:site_name'), [t.runtime.siteName], path);
        assert.equal(meta(page, 'og:description').length, 1, path);
      }
    });
  });
}
