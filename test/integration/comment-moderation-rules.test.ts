import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModerationReason } from '../../src/db/schema.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const password = 'tide clock harbour 41';
/** The moderation rules as shipped, but without the form-timestamp rules (these posts carry no form token). */
const shippedRules = { holdWithoutFormTimestamp: false, minSecondsToSubmit: 0 };

for (const { kind, skip } of await databaseMatrix()) {
  describe(`moderation rules over HTTP on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    let n = 0;

    before(async () => {
      t = await createTestApp({ db: kind });
      await useCommentSettings(t.deps, { rules: shippedRules });
      storyId = (await buildStory(t.deps, { headline: 'Ferry fares rise', slug: 'ferry-fares-rise' })).id;
    });
    after(() => t?.close());

    async function post(fields: { comment?: string; email?: string; author?: string; url?: string; story?: number }, remoteAddress = '127.0.0.1') {
      n++;
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        remoteAddress,
        headers: { ...formHeaders, accept: 'application/json' },
        payload: new URLSearchParams({
          comment: fields.comment ?? `An ordinary remark about the fares, number ${n}.`,
          author: fields.author ?? 'Ann Reader',
          email: fields.email ?? `reader${n}@example.org`,
          url: fields.url ?? '',
          comment_post_ID: String(fields.story ?? storyId),
          comment_parent: '0',
        }).toString(),
      });
      return res;
    }

    async function stored(id: number) {
      const row = await t.deps.store.db
        .selectFrom('comments')
        .select(['status', 'spam_score', 'moderation_reasons', 'link_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { ...row, reasons: JSON.parse(row.moderation_reasons) as ModerationReason[] };
    }

    /** Posts as an address with an approved comment already, so only the rule under test speaks. */
    async function approvedAddress(email: string) {
      const res = await post({ email, comment: `Setting up ${email}` });
      await t.deps.store.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', res.json().id).execute();
      return email;
    }

    it('holds a first-time commenter, storing status, score, reasons and a created history entry', async () => {
      const res = await post({ email: 'first@example.org', comment: 'My very first comment here.' });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().status, 'pending');
      const c = await stored(res.json().id);
      assert.equal(c.status, 'pending');
      assert.equal(c.spam_score, 0);
      assert.deepEqual(c.reasons, [{ rule: 'first-time-commenter', verdict: 'hold', detail: 'This email address has no approved comment yet.' }]);
      const history = await t.deps.store.db.selectFrom('comment_history').selectAll().where('comment_id', '=', res.json().id).execute();
      assert.equal(history.length, 1);
      assert.equal(history[0]?.action, 'created');
      const details = JSON.parse(history[0]!.details) as { status: string; reasons: ModerationReason[] };
      assert.equal(details.status, 'pending');
      assert.deepEqual(details.reasons.map((r) => r.rule), ['first-time-commenter']);
      // Not on the public page.
      const page = await t.app.inject({ url: '/stories/ferry-fares-rise' });
      assert.doesNotMatch(page.body, /My very first comment here/);
    });

    it('approves the next comment of the same address (any case) once one was approved', async () => {
      const first = await post({ email: 'returning@example.org', comment: 'Held the first time.' });
      assert.equal(first.json().status, 'pending');
      const second = await post({ email: 'returning@example.org', comment: 'Still held: nothing approved yet.' });
      assert.equal(second.json().status, 'pending');
      await t.deps.store.db.updateTable('comments').set({ status: 'approved' }).where('id', '=', first.json().id).execute();
      const third = await post({ email: 'Returning@Example.ORG', comment: 'Now I am known here.' });
      assert.equal(third.json().status, 'approved');
      assert.deepEqual((await stored(third.json().id)).reasons, []);
    });

    it('holds a comment with more links than allowed, with the count', async () => {
      const email = await approvedAddress('linker@example.org');
      const body = 'Sources for the fare table and the history of the route: https://a.example/1 https://b.example/2 and https://c.example/3 for anyone who wants to check.';
      const res = await post({ email, comment: body });
      const c = await stored(res.json().id);
      assert.equal(c.status, 'pending');
      assert.equal(c.link_count, 3);
      assert.ok(c.reasons.some((r) => r.rule === 'too-many-links' && r.detail === 'The comment has 3 links; more than 2 are held.'), JSON.stringify(c.reasons));
    });

    it('holds blocked phrases and sends listed emails, domains and IP ranges to spam', async () => {
      await useCommentSettings(t.deps, {
        rules: { ...shippedRules, blockedPhrases: ['ferry mafia'], spamEmails: ['bot@spam.example'], spamDomains: ['junk.example'], spamIpRanges: ['203.0.113.0/24', '2001:db8::/32'] },
      });
      const email = await approvedAddress('regular@example.org');
      const phrase = await post({ email, comment: 'The FERRY   Mafia strikes again.' });
      assert.equal(phrase.json().status, 'pending');
      assert.deepEqual((await stored(phrase.json().id)).reasons, [
        { rule: 'blocked-phrase', verdict: 'hold', detail: 'Contains the blocked phrase “ferry mafia” (in the comment).' },
      ]);
      const byEmail = await post({ email: 'BOT@spam.example' });
      assert.equal(byEmail.json().status, 'spam');
      assert.equal((await stored(byEmail.json().id)).reasons[0]?.rule, 'spam-email');
      const byDomain = await post({ email: 'someone@mail.junk.example' });
      assert.equal(byDomain.json().status, 'spam');
      assert.match((await stored(byDomain.json().id)).reasons[0]!.detail, /junk\.example/);
      const byIp = await post({ email }, '203.0.113.77');
      assert.equal(byIp.json().status, 'spam');
      assert.match((await stored(byIp.json().id)).reasons[0]!.detail, /203\.0\.113\.0\/24/);
      const byMappedIp = await post({ email }, '::ffff:203.0.113.78');
      assert.equal(byMappedIp.json().status, 'spam');
      const byIpv6 = await post({ email }, '2001:db8::42');
      assert.equal(byIpv6.json().status, 'spam');
      const elsewhere = await post({ email }, '198.51.100.1');
      assert.equal(elsewhere.json().status, 'approved');
      // Spam never reaches the page; the IP is kept only as a salted hash.
      const rows = await t.deps.store.db.selectFrom('comments').select('ip_hash').where('id', '=', byIp.json().id).executeTakeFirstOrThrow();
      assert.notEqual(rows.ip_hash, '203.0.113.77');
      await useCommentSettings(t.deps, { rules: shippedRules });
    });

    it('scores spam patterns, capitals and repeated characters, holding or spamming by the score', async () => {
      const email = await approvedAddress('shouty@example.org');
      const held = await post({ email, comment: 'BUY CHEAP FERRY TICKETS FROM MY COUSIN!!!!!!!' });
      assert.equal(held.json().status, 'pending');
      const h = await stored(held.json().id);
      assert.equal(h.spam_score, 3 + 2 + 1);
      assert.deepEqual(h.reasons.map((r) => r.rule), ['spam-pattern', 'all-caps', 'repeated-characters', 'spam-score']);
      const spam = await post({ email, comment: 'Buy cheap viagra at our online casino [url=https://x.example]here[/url]' });
      assert.equal(spam.json().status, 'spam');
      assert.ok((await stored(spam.json().id)).spam_score >= 10);
    });

    it('holds every comment on a pre-moderated story', async () => {
      const story = await buildStory(t.deps, { slug: 'premoderated-story' });
      await t.deps.store.db.updateTable('stories').set({ comments_premoderated: 1 }).where('id', '=', story.id).execute();
      const email = await approvedAddress('known@example.org');
      const res = await post({ email, story: story.id });
      assert.equal(res.json().status, 'pending');
      assert.deepEqual((await stored(res.json().id)).reasons.map((r) => r.rule), ['premoderated-story']);
    });

    it('shows "Comments are closed." on a closed story, keeps its comments, and refuses a post with a clear message', async () => {
      const story = await buildStory(t.deps, { slug: 'closed-story' });
      const email = await approvedAddress('early@example.org');
      const early = await post({ email, story: story.id, comment: 'Posted before closing.' });
      assert.equal(early.json().status, 'approved');
      await t.deps.store.db.updateTable('stories').set({ comments_open: 0 }).where('id', '=', story.id).execute();
      t.deps.pageCache.purge([`story:${story.id}`]);
      const page = await t.app.inject({ url: '/stories/closed-story' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Comments are closed\./);
      assert.match(page.body, /Posted before closing\./);
      assert.doesNotMatch(page.body, /id="commentform"/);
      const refused = await post({ email, story: story.id });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Comments on this story are closed/);
      const form = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: formHeaders,
        payload: new URLSearchParams({ comment: 'Too late', author: 'Ann', email, comment_post_ID: String(story.id) }).toString(),
      });
      assert.equal(form.statusCode, 403);
      assert.match(form.body, /Comments on this story are closed/);
    });

    it('closes comments after the story’s own days, or the site default', async () => {
      const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
      const story = await buildStory(t.deps, { slug: 'old-story', published: old });
      const email = await approvedAddress('late@example.org');
      assert.equal((await post({ email, story: story.id })).statusCode, 201, 'open by default (site default 0: never)');
      await useCommentSettings(t.deps, { closeAfterDays: 30, rules: shippedRules });
      assert.equal((await post({ email, story: story.id })).statusCode, 403, 'closed by the site default');
      t.deps.pageCache.purge([`story:${story.id}`]);
      assert.match((await t.app.inject({ url: '/stories/old-story' })).body, /Comments are closed\./);
      await t.deps.store.db.updateTable('stories').set({ comments_close_after_days: 60 }).where('id', '=', story.id).execute();
      assert.equal((await post({ email, story: story.id })).statusCode, 201, 'the story’s own 60 days win');
      await t.deps.store.db.updateTable('stories').set({ comments_close_after_days: 0 }).where('id', '=', story.id).execute();
      assert.equal((await post({ email, story: story.id })).statusCode, 201, '0: never closes');
      await useCommentSettings(t.deps, { rules: shippedRules });
    });

    it('saves per-story comment settings from the story editor, refusing a bad number with the input kept', async () => {
      await createStaffMember(t.deps, commandLineActor, { name: 'The Admin', email: 'admin@example.org', role: 'admin', password });
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email: 'admin@example.org', password }).toString() });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] as string;
      const story = await buildStory(t.deps, { headline: 'Editor settings', slug: 'editor-settings' });
      const editor = await t.app.inject({ url: `/admin/stories/${story.id}/edit`, headers: { cookie } });
      assert.equal(editor.statusCode, 200);
      assert.match(editor.body, /<input type="checkbox" id="comments_open" name="comments_open" value="yes" checked>/);
      assert.match(editor.body, /id="comments_close_after_days" name="comments_close_after_days" type="number"[^>]* value=""/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';
      const fields = (extra: Record<string, string>) =>
        new URLSearchParams({ _csrf: csrf, headline: 'Editor settings', byline: 'By Desk', body: story.body_source, action: 'save', comments_settings: '1', ...extra }).toString();
      const bad = await t.app.inject({ method: 'POST', url: `/admin/stories/${story.id}`, headers: { ...formHeaders, cookie }, payload: fields({ comments_premoderated: 'yes', comments_close_after_days: 'soon' }) });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Give a number of days from 0 to 3650/);
      assert.match(bad.body, /name="comments_close_after_days"[^>]* value="soon"/);
      assert.match(bad.body, /id="comments_premoderated" name="comments_premoderated" value="yes" checked/);
      const ok = await t.app.inject({ method: 'POST', url: `/admin/stories/${story.id}`, headers: { ...formHeaders, cookie }, payload: fields({ comments_premoderated: 'yes', comments_close_after_days: '14' }) });
      assert.ok([200, 303].includes(ok.statusCode), `saved: ${ok.statusCode} ${ok.body.slice(0, 300)}`);
      let row = await t.deps.store.db.selectFrom('stories').select(['comments_open', 'comments_premoderated', 'comments_close_after_days']).where('id', '=', story.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { comments_open: 0, comments_premoderated: 1, comments_close_after_days: 14 });
      const audit = await t.deps.store.db.selectFrom('audit_log').select('details').where('subject_id', '=', story.id).where('action', '=', 'story.updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.details).comments, { open: false, premoderated: true, closeAfterDays: 14 });
      // Restoring an earlier revision brings back its text, not its comment settings.
      const restored = await t.app.inject({ method: 'POST', url: `/admin/stories/${story.id}/restore`, headers: { ...formHeaders, cookie }, payload: new URLSearchParams({ _csrf: csrf, number: '1' }).toString() });
      assert.ok(restored.statusCode < 400, `restored: ${restored.statusCode}`);
      row = await t.deps.store.db.selectFrom('stories').select(['comments_open', 'comments_premoderated', 'comments_close_after_days']).where('id', '=', story.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { comments_open: 0, comments_premoderated: 1, comments_close_after_days: 14 });
      const reopened = await t.app.inject({ method: 'POST', url: `/admin/stories/${story.id}`, headers: { ...formHeaders, cookie }, payload: fields({ comments_open: 'yes', comments_close_after_days: '' }) });
      assert.ok([200, 303].includes(reopened.statusCode));
      row = await t.deps.store.db.selectFrom('stories').select(['comments_open', 'comments_premoderated', 'comments_close_after_days']).where('id', '=', story.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { comments_open: 1, comments_premoderated: 0, comments_close_after_days: null });
      // A save without the comment fields (e.g. an old form or the API) leaves them alone.
      await t.deps.store.db.updateTable('stories').set({ comments_premoderated: 1 }).where('id', '=', story.id).execute();
      const plain = new URLSearchParams({ _csrf: csrf, headline: 'Editor settings', byline: 'By Desk', body: story.body_source, action: 'save' }).toString();
      await t.app.inject({ method: 'POST', url: `/admin/stories/${story.id}`, headers: { ...formHeaders, cookie }, payload: plain });
      row = await t.deps.store.db.selectFrom('stories').select(['comments_open', 'comments_premoderated', 'comments_close_after_days']).where('id', '=', story.id).executeTakeFirstOrThrow();
      assert.equal(row.comments_premoderated, 1);
    });
  });
}
