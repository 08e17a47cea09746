import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { hashIp } from '../../src/lib/ip-hash.js';

const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };

for (const { kind, skip } of await databaseMatrix()) {
  describe(`comment posting over HTTP on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    const path = '/stories/talks-resume';

    before(async () => {
      t = await createTestApp({ db: kind });
      // These tests are about posting and rendering; the moderation rules have their own suite.
      await useCommentSettings(t.deps, { rules: openDoorRules });
      storyId = (await buildStory(t.deps, { headline: 'Talks resume', slug: 'talks-resume' })).id;
    });
    after(() => t?.close());

    it('answers a valid post with 303 to the new comment, which then shows on the story page', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: formHeaders,
        payload: form({ comment: 'First!', author: 'Ann', email: 'ann@example.org', url: '', comment_post_ID: storyId, comment_parent: 0 }),
      });
      assert.equal(res.statusCode, 303);
      const location = res.headers.location as string;
      assert.match(location, /^\/stories\/talks-resume#comment-\d+$/);
      const id = location.split('-').pop();
      const page = await t.app.inject({ url: path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<li id="comment-${id}" class="comment depth-1"`));
      assert.match(page.body, /<p>First!<\/p>/);
      assert.doesNotMatch(page.body, /ann@example\.org/);
    });

    it('threads a reply under its parent', async () => {
      const parent = await buildComment(t.deps, { storyId, author: 'Parent' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: { ...formHeaders, accept: 'application/json' },
        payload: form({ comment: 'A reply', author: 'Child', email: 'child@example.org', comment_post_ID: storyId, comment_parent: parent.id }),
      });
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.equal(body.parentId, parent.id);
      assert.equal(body.level, 2);
      assert.equal(body.status, 'approved');
      assert.doesNotMatch(res.body, /child@example\.org/);
      const page = await t.app.inject({ url: path });
      const parentItem = page.body.slice(page.body.indexOf(`id="comment-${parent.id}"`));
      assert.match(parentItem, new RegExp(`^id="comment-${parent.id}"[\\s\\S]*?<ol class="children">\\s*<li id="comment-${body.id}" class="comment depth-2"`));
    });

    it('re-renders the form with 422, keeping the text and naming each bad field', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: formHeaders,
        payload: form({ comment: 'Keep <this> text', author: '', email: 'not-an-email', comment_post_ID: storyId, comment_parent: 0 }),
      });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /<textarea id="comment"[^>]*>Keep &lt;this&gt; text<\/textarea>/);
      assert.match(res.body, /<span id="author-error" class="field-error">Please enter your name.<\/span>/);
      assert.match(res.body, /<span id="email-error" class="field-error">Please enter a valid email address/);
      assert.match(res.body, /aria-invalid="true"/);
    });

    const post = (fields: Record<string, string | number>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/comments', headers: { ...formHeaders, ...headers }, payload: form(fields) });
    // A new text each time: the same text again from the same address would be refused as a duplicate.
    let hello = 0;
    const valid = () => ({ comment: `Hello ${++hello}`, author: 'Ann', email: 'ann@example.org', url: '', comment_post_ID: storyId, comment_parent: 0 });
    const commentCount = async () =>
      Number((await t.deps.store.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('answers JSON 422 with the field errors for the enhanced form', async () => {
      const res = await post({ ...valid(), email: 'nope', comment: '' }, { accept: 'application/json' });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(res.json().errors, { comment: 'Please type your comment.', email: 'Please enter a valid email address, like name@example.com.' });
    });

    it('refuses over-long text with a message and keeps it, never truncating', async () => {
      const before = await commentCount();
      const long = 'x'.repeat(10_001);
      const res = await post({ ...valid(), comment: long });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Your comment is too long: 10,001 characters; the limit is 10,000./);
      assert.ok(res.body.includes(`>${long}</textarea>`));
      assert.equal(await commentCount(), before);
    });

    it('accepts a comment at the length limit in a non-Latin script within the body limit', async () => {
      const res = await post({ ...valid(), comment: 'ж'.repeat(10_000) });
      assert.equal(res.statusCode, 303);
    });

    it('refuses a body over the size limit with 413 and a message', async () => {
      const res = await post({ ...valid(), comment: 'x'.repeat(200 * 1024) });
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /too large/);
    });

    it('answers 404 for an unknown story and 422 for a parent that is not on this story, writing nothing', async () => {
      const other = await buildStory(t.deps, {});
      const foreign = await buildComment(t.deps, { storyId: other.id });
      const before = await commentCount();
      const unknown = await post({ ...valid(), comment_post_ID: 999_999 });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /does not exist/);
      const wrongParent = await post({ ...valid(), comment: 'Keep me', comment_parent: foreign.id });
      assert.equal(wrongParent.statusCode, 422);
      assert.match(wrongParent.body, /The comment you are replying to is not available any more/);
      assert.match(wrongParent.body, />Keep me<\/textarea>/);
      assert.equal((await post({ ...valid(), comment_parent: 999_999 })).statusCode, 422);
      assert.equal(await commentCount(), before);
    });

    it('refuses malformed forms with 400 or 415', async () => {
      assert.equal((await post({ ...valid(), comment_post_ID: 'abc' })).statusCode, 400);
      const repeated = await t.app.inject({ method: 'POST', url: '/comments', headers: formHeaders, payload: `${form(valid())}&author=Bob` });
      assert.equal(repeated.statusCode, 400);
      const json = await t.app.inject({ method: 'POST', url: '/comments', headers: { origin: testPublicUrl }, payload: valid() });
      assert.equal(json.statusCode, 415);
    });

    it('refuses cross-site posts', async () => {
      const before = await commentCount();
      assert.equal((await post(valid(), { origin: 'https://evil.example' })).statusCode, 403);
      assert.equal((await post(valid(), { 'sec-fetch-site': 'cross-site' })).statusCode, 403);
      assert.equal(await commentCount(), before);
      assert.equal((await post(valid(), { 'sec-fetch-site': 'same-origin' })).statusCode, 303);
    });

    it('never shows a commenter email in the story page, the front page, the reply view or the JSON answer', async () => {
      const secret = 'hidden.reader@example.org';
      const res = await post({ ...valid(), email: secret, url: 'https://reader.example.org' }, { accept: 'application/json' });
      assert.equal(res.statusCode, 201);
      const id = res.json().id as number;
      for (const url of ['/', path, `${path}?replytocom=${id}`]) {
        const page = await t.app.inject({ url });
        assert.equal(page.statusCode, 200, url);
        assert.ok(!page.body.includes(secret), url);
        assert.ok(!page.body.includes('hidden.reader'), url);
      }
      assert.ok(!res.body.includes(secret));
    });

    it('links the name to the website with rel="nofollow ugc noopener"', async () => {
      await buildComment(t.deps, { storyId, author: 'Site Owner', url: 'https://owner.example.org/' });
      const page = await t.app.inject({ url: path });
      assert.match(page.body, /<b class="fn"><a href="https:\/\/owner.example.org\/" rel="nofollow ugc noopener" class="url">Site Owner<\/a><\/b>/);
    });

    it('shows only approved comments', async () => {
      const held = await buildComment(t.deps, { storyId, comment: 'Held back text' });
      await t.deps.store.db.updateTable('comments').set({ status: 'pending' }).where('id', '=', held.id).execute();
      t.deps.pageCache.purge([`story:${storyId}`]);
      const page = await t.app.inject({ url: path });
      assert.doesNotMatch(page.body, /Held back text/);
      assert.doesNotMatch(page.body, new RegExp(`id="comment-${held.id}"`));
    });

    it('renders the no-JavaScript reply view: "Leave a Reply to NAME", Cancel reply, parent set, not cached', async () => {
      const parent = await buildComment(t.deps, { storyId, author: 'Rosa "R" & Co' });
      const res = await t.app.inject({ url: `${path}?replytocom=${parent.id}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'private, no-store');
      assert.match(res.body, /Leave a Reply to <span class="reply-to-name">Rosa &quot;R&quot; &amp; Co<\/span>/);
      assert.match(res.body, /<a rel="nofollow" id="cancel-comment-reply-link" href="\/stories\/talks-resume#respond">Cancel reply<\/a>/);
      assert.match(res.body, new RegExp(`<input type="hidden" name="comment_parent" id="comment_parent" value="${parent.id}">`));
      assert.match(res.body, /<meta name="robots" content="noindex">/);
    });

    it('fills remembered fields only in the uncached reply view, from the visitor own cookie', async () => {
      const res = await post({ ...valid(), author: 'Remembered Name', 'wp-comment-cookies-consent': 'yes' });
      // Set-Cookie also carries the owner key and the "has commented" marker (docs/comments.md, "For readers").
      const cookie = String([res.headers['set-cookie']].flat().find((c) => String(c).startsWith('readout_commenter='))).split(';')[0] as string;
      const cached = await t.app.inject({ url: path, headers: { cookie } });
      assert.doesNotMatch(cached.body, /value="Remembered Name"/);
      const reply = await t.app.inject({ url: `${path}?replytocom=1`, headers: { cookie } });
      assert.match(reply.body, /value="Remembered Name"/);
      const forget = await post({ ...valid() });
      assert.match(String([forget.headers['set-cookie']].flat()), /readout_commenter=; Max-Age=0/);
    });

    it('serves the story page from cache with an ETag, answers 304, and shows a new comment at once', async () => {
      const first = await t.app.inject({ url: path });
      const etag = first.headers.etag as string;
      assert.ok(etag);
      assert.match(first.headers['surrogate-key'] as string, new RegExp(`story:${storyId}`));
      assert.equal((await t.app.inject({ url: path, headers: { 'if-none-match': etag } })).statusCode, 304);
      const res = await post({ ...valid(), comment: 'Fresh comment for the cache test' });
      assert.equal(res.statusCode, 303);
      const after = await t.app.inject({ url: path, headers: { 'if-none-match': etag } });
      assert.equal(after.statusCode, 200);
      assert.match(after.body, /Fresh comment for the cache test/);
    });

    it('lists replies below level 5 at level 5, naming whom they answer', async () => {
      let parentId = 0;
      const ids: number[] = [];
      for (let depth = 1; depth <= 7; depth++) {
        const c = await buildComment(t.deps, { storyId, parentId, author: `Depth ${depth}` });
        ids.push(c.id);
        parentId = c.id;
      }
      const page = (await t.app.inject({ url: path })).body;
      assert.match(page, new RegExp(`<li id="comment-${ids[4]}" class="comment depth-5"`));
      assert.match(page, new RegExp(`<li id="comment-${ids[5]}" class="comment depth-5"`));
      assert.match(page, new RegExp(`<li id="comment-${ids[6]}" class="comment depth-5"[\\s\\S]*?in reply to <a href="#comment-${ids[5]}">Depth 6</a>`));
      const deeper = await post({ ...valid(), comment_parent: ids[6] as number }, { accept: 'application/json' });
      assert.equal(deeper.json().level, 5);
      assert.match(deeper.json().html, /in reply to <a href="#comment-\d+">Depth 7<\/a>/);
    });

    it('hashes the socket address, ignoring X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
      const res = await post(valid(), { accept: 'application/json', 'x-forwarded-for': '203.0.113.9' });
      const row = await t.deps.store.db.selectFrom('comments').select('ip_hash').where('id', '=', res.json().id).executeTakeFirstOrThrow();
      assert.equal(row.ip_hash, hashIp(t.deps.ipSalt, '127.0.0.1'));
      assert.notEqual(row.ip_hash, '127.0.0.1');
      const proxied = await createTestApp({ db: kind, env: { TRUST_PROXY: '127.0.0.1' } });
      try {
        const story = await buildStory(proxied.deps, {});
        const r = await proxied.app.inject({
          method: 'POST',
          url: '/comments',
          headers: { ...formHeaders, accept: 'application/json', 'x-forwarded-for': '203.0.113.9' },
          payload: form({ ...valid(), comment_post_ID: story.id }),
        });
        const stored = await proxied.deps.store.db.selectFrom('comments').select('ip_hash').where('id', '=', r.json().id).executeTakeFirstOrThrow();
        assert.equal(stored.ip_hash, hashIp(proxied.deps.ipSalt, '203.0.113.9'));
      } finally {
        await proxied.close();
      }
    });
  });
}
