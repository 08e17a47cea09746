import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';
import type { ModerationReason } from '../../src/db/schema.js';
import { readFormAge } from '../../src/modules/comments/index.js';

/**
 * Local spam defence over HTTP (issue 4, point 3): the honeypot, the signed form timestamp and
 * duplicate detection, on both databases. Rate limits have their own suite (rate-limits.test.ts).
 */
const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const tokenIn = (page: string) => /name="readout_form_token" id="readout_form_token" value="([^"]*)"/.exec(page)?.[1];

for (const { kind, skip } of await databaseMatrix()) {
  describe(`spam defence on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    const clock = new FakeClock();
    let n = 0;

    before(async () => {
      t = await createTestApp({ db: kind, clock });
      // Everything else open, so each test sees only the rule it is about.
      await useCommentSettings(t.deps, { rules: { ...openDoorRules, holdWithoutFormTimestamp: true, minSecondsToSubmit: 3, formMaxAgeHours: 72 } });
      storyId = (await buildStory(t.deps, { headline: 'Spam defence', slug: 'spam-defence' })).id;
    });
    after(() => t?.close());

    const freshToken = async () => {
      const res = await t.app.inject({ url: '/comments/form-token' });
      assert.equal(res.statusCode, 200);
      return (res.json() as { token: string }).token;
    };
    const post = (fields: Record<string, string | number>, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: { ...formHeaders, ...headers },
        payload: form({ author: 'Reader', url: '', comment_post_ID: storyId, comment_parent: 0, ...fields }),
      });
    const stored = async (location: string | undefined) => {
      const id = Number(location?.split('-').pop());
      const row = await t.deps.store.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { ...row, reasons: JSON.parse(row.moderation_reasons) as ModerationReason[] };
    };
    const unique = () => `reader${++n}@example.org`;

    it('renders the honeypot hidden from people and assistive technology, and a signed timestamp', async () => {
      const page = await t.app.inject({ url: '/stories/spam-defence' });
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /<div class="comment-form-hp" aria-hidden="true"><label for="readout_hp">If you are a person, leave this field empty.<\/label> <input id="readout_hp" name="readout_hp" type="text" value="" tabindex="-1" autocomplete="off"><\/div>/,
      );
      const token = tokenIn(page.body);
      assert.ok(token, 'the form carries a token');
      assert.equal(readFormAge(t.deps, token, clock.now()), 0);
    });

    it('serves a fresh token, never cached', async () => {
      const res = await t.app.inject({ url: '/comments/form-token' });
      assert.equal(res.headers['cache-control'], 'no-store');
      clock.advance(10_000);
      assert.equal(readFormAge(t.deps, res.json().token, clock.now()), 10);
    });

    it('sends a filled honeypot to spam, with the reason, and answers like any post', async () => {
      const token = await freshToken();
      clock.advance(30_000);
      const res = await post({ comment: 'Great article, visit my shop', email: unique(), readout_form_token: token, readout_hp: 'http://spam.example' });
      assert.equal(res.statusCode, 303);
      const row = await stored(res.headers.location as string);
      assert.equal(row.status, 'spam');
      const reason = row.reasons.find((r) => r.rule === 'honeypot');
      assert.equal(reason?.verdict, 'spam');
      assert.match(reason?.detail ?? '', /hidden anti-robot field/);
    });

    it('holds a form sent faster than a person could, with the reason', async () => {
      const token = await freshToken();
      clock.advance(1_000);
      const res = await post({ comment: 'Quick as a script', email: unique(), readout_form_token: token });
      assert.equal(res.statusCode, 303);
      const row = await stored(res.headers.location as string);
      assert.equal(row.status, 'pending');
      assert.deepEqual(
        row.reasons.filter((r) => r.rule === 'form-age'),
        [{ rule: 'form-age', verdict: 'hold', detail: 'Sent 1 s after the form was loaded; a person needs at least 3 s.' }],
      );
    });

    it('approves a form sent at a human pace', async () => {
      const token = await freshToken();
      clock.advance(45_000);
      const res = await post({ comment: 'Took my time over this one', email: unique(), readout_form_token: token }, { accept: 'application/json' });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().status, 'approved');
    });

    it('holds a form without a timestamp (with the reason), unless that rule is off', async () => {
      const res = await post({ comment: 'No token here', email: unique() });
      const row = await stored(res.headers.location as string);
      assert.equal(row.status, 'pending');
      assert.match(row.reasons.find((r) => r.rule === 'form-age')?.detail ?? '', /no signed timestamp/);

      await useCommentSettings(t.deps, { rules: { ...openDoorRules, minSecondsToSubmit: 3 } });
      try {
        const open = await post({ comment: 'No token, rule off', email: unique() });
        const openRow = await stored(open.headers.location as string);
        assert.equal(openRow.status, 'approved');
        assert.equal(openRow.reasons.some((r) => r.rule === 'form-age'), false);
      } finally {
        await useCommentSettings(t.deps, { rules: { ...openDoorRules, holdWithoutFormTimestamp: true, minSecondsToSubmit: 3, formMaxAgeHours: 72 } });
      }
    });

    it('refuses a stale form with 422, keeping the text and giving a fresh token', async () => {
      const token = await freshToken();
      clock.advance(73 * 3_600_000);
      const before = await countComments();
      const res = await post({ comment: 'Written <slowly> over days', email: unique(), readout_form_token: token });
      assert.equal(res.statusCode, 422);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /<textarea id="comment"[^>]*>Written &lt;slowly&gt; over days<\/textarea>/);
      assert.match(res.body, /This comment form was opened too long ago, so your comment was not posted/);
      const fresh = tokenIn(res.body);
      assert.ok(fresh && fresh !== token, 'a new token');
      assert.equal(readFormAge(t.deps, fresh, clock.now()), 0);
      assert.equal(await countComments(), before, 'nothing stored');

      // Sent again with the fresh form a little later: accepted.
      clock.advance(20_000);
      const again = await post({ comment: 'Written <slowly> over days', email: 'slow@example.org', readout_form_token: fresh });
      assert.equal(again.statusCode, 303);
    });

    it('refuses a forged or damaged token with 422 and a fresh form; JSON says why', async () => {
      const token = await freshToken();
      const forged = `${Buffer.from(JSON.stringify({ t: 1 })).toString('base64url')}.${token.split('.')[1]}`;
      clock.advance(10_000);
      const res = await post({ comment: 'Forged timing', email: unique(), readout_form_token: forged });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, />Forged timing<\/textarea>/);
      assert.match(res.body, /could not be checked/);
      assert.ok(tokenIn(res.body));

      const json = await post({ comment: 'Forged timing', email: unique(), readout_form_token: 'garbage' }, { accept: 'application/json' });
      assert.equal(json.statusCode, 422);
      assert.equal(json.json().error, 'COMMENT_FORM_INVALID');

      clock.advance(100 * 3_600_000);
      const stale = await post({ comment: 'Stale over JSON', email: unique(), readout_form_token: token }, { accept: 'application/json' });
      assert.equal(stale.statusCode, 422);
      assert.equal(stale.json().error, 'COMMENT_FORM_EXPIRED');
    });

    it('refuses the same text from the same address on the same story within 24 hours', async () => {
      const email = unique();
      const first = await post({ comment: 'Say it  once.\n', email });
      assert.equal(first.statusCode, 303);
      clock.advance(60_000);
      const res = await post({ comment: '  Say it once.', email: email.toUpperCase(), readout_form_token: await freshToken() });
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Duplicate comment detected; it looks as though you’ve already said that!/);
      assert.match(res.body, /> {2}Say it once.<\/textarea>/);
      const json = await post({ comment: 'Say it once.', email }, { accept: 'application/json' });
      assert.equal(json.statusCode, 409);
      assert.equal(json.json().error, 'COMMENT_DUPLICATE');
      assert.equal(json.json().message, 'Duplicate comment detected; it looks as though you’ve already said that!');

      // Someone else may say it, and so may the same reader a day later or on another story.
      assert.equal((await post({ comment: 'Say it once.', email: unique() })).statusCode, 303);
      const other = (await buildStory(t.deps, { headline: 'Another story' })).id;
      assert.equal((await post({ comment: 'Say it once.', email, comment_post_ID: other })).statusCode, 303);
      clock.advance(24 * 3_600_000);
      assert.equal((await post({ comment: 'Say it once.', email })).statusCode, 303);
    });

    const countComments = async () =>
      Number((await t.deps.store.db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  });
}
