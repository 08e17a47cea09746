import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';

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
  });
}
