import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { approveComment, getCommentForModeration } from '../../src/modules/comments/index.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

const password = 'tide clock harbour 41';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };

for (const { kind, skip } of await databaseMatrix()) {
  describe(`moderation queue on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    const storyPath = '/stories/harbour-talks';
    const actors: Record<string, Actor> = {};
    const cookies: Record<string, string> = {};
    let csrf = '';

    before(async () => {
      t = await createTestApp({ db: kind, followIntervalMs: 3_600_000 });
      await useCommentSettings(t.deps); // the defaults: a first-time commenter is held
      storyId = (await buildStory(t.deps, { headline: 'Harbour <talks> resume', slug: 'harbour-talks' })).id;
      for (const role of ['moderator', 'author'] as const) {
        const { person } = await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        actors[role] = { personId: person.id, name: person.name, role };
        const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email: `${role}@example.org`, password }).toString() });
        cookies[role] = String(signIn.headers['set-cookie']).split(';')[0] as string;
      }
      const page = await t.app.inject({ url: '/admin/comments', headers: { cookie: cookies.moderator as string } });
      csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      assert.ok(csrf, 'the queue carries a CSRF token');
    });
    after(() => t?.close());

    const moderator = () => actors.moderator as Actor;
    const get = (url: string, role = 'moderator') => t.app.inject({ url, headers: { cookie: cookies[role] as string } });
    const post = (url: string, fields: Record<string, string | string[]>, o: { role?: string; csrf?: boolean } = {}) => {
      const body = new URLSearchParams();
      if (o.csrf !== false) body.append('_csrf', csrf);
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      return t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies[o.role ?? 'moderator'] as string }, payload: body.toString() });
    };
    const statusOf = async (id: number) => (await t.deps.store.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const historyOf = (id: number) => t.deps.store.db.selectFrom('comment_history').selectAll().where('comment_id', '=', id).orderBy('id').execute();
    const eventsFor = async (id: number) =>
      (await t.deps.store.db.selectFrom('outbox').select(['topic', 'payload']).orderBy('id').execute()).filter((r) => JSON.parse(r.payload).commentId === id);
    const report = async (commentId: number, reason: string, reporterKey: string) =>
      t.deps.store.db.insertInto('comment_reports').values({ comment_id: commentId, reason, note: 'Rude', reporter_key: reporterKey, created_at: t.deps.clock.now().toISOString() }).execute();
    const openReports = async (id: number) =>
      (await t.deps.store.db.selectFrom('comment_reports').select('id').where('comment_id', '=', id).where('resolved_at', 'is', null).execute()).length;
    const held = (fields: { comment?: string; author?: string; email?: string } = {}) => buildComment(t.deps, { storyId, ...fields });
    const approved = async (fields: { comment?: string; author?: string; email?: string } = {}) => {
      const c = await held(fields);
      await approveComment(t.deps, moderator(), c.id);
      return c;
    };
    const queueOrder = (body: string) => [...body.matchAll(/<li id="c-(\d+)"/g)].map((m) => Number(m[1]));

    it('lists held and reported comments, newest first, with what a moderator needs to decide', async () => {
      const h1 = await held({ comment: 'See https://a.example and https://b.example and https://c.example', author: 'Linky', email: 'linky@example.org' });
      const regular = await approved({ comment: 'Earlier, fine', author: 'Rita', email: 'rita@example.org' });
      const r1 = await approved({ comment: 'Reported one', author: 'Rita', email: 'rita@example.org' });
      await report(r1.id, 'abuse', 'reporterkey-abcdef123456');
      await report(r1.id, 'abuse', 'reporterkey-zzzzzz999999');
      const spammed = await held({ author: 'Rita', email: 'rita@example.org' });
      await post(`/admin/comments/${spammed.id}/moderate`, { action: 'spam' });
      const h2 = await held({ comment: 'Newest held', author: 'Nia & Co', email: 'nia@example.org' });

      const res = await get('/admin/comments');
      assert.equal(res.statusCode, 200);
      const order = queueOrder(res.body);
      assert.deepEqual(order.slice(0, 3), [h2.id, r1.id, h1.id]);
      assert.ok(!order.includes(regular.id), 'an approved, unreported comment does not need attention');
      assert.ok(!order.includes(spammed.id));
      const item = (id: number) => res.body.slice(res.body.indexOf(`<li id="c-${id}"`)).split('</li>\n')[0] as string;
      assert.match(item(h1.id), /Harbour &lt;talks&gt; resume/);
      assert.match(item(h1.id), /linky@example\.org/);
      assert.match(item(h1.id), /3 links · spam score \d+/);
      assert.match(item(h1.id), /first-time-commenter/);
      assert.match(item(h1.id), /history: first comment/);
      assert.match(item(h2.id), /<strong>Nia &amp; Co<\/strong>/);
      assert.match(item(r1.id), /open reports: abuse ×2/);
      assert.match(item(r1.id), /history: 1 approved, 1 spam/);
      assert.match(item(r1.id), /<button type="submit" name="action" value="approve" data-shortcut="a">Keep \(dismiss reports\)<\/button>/);
      assert.match(item(h2.id), /<input type="checkbox" name="ids" value="\d+" form="bulk-form"/);
      assert.match(res.body, /<a href="\/admin\/comments">Comments \(\d+\)<\/a>/);

      const commenter = /href="(\/admin\/comments\?view=all&amp;commenter=[^"]+)">all by this commenter/.exec(item(r1.id))?.[1]?.replace(/&amp;/g, '&') ?? '';
      const byRita = await get(commenter);
      assert.equal(byRita.statusCode, 200);
      assert.deepEqual(queueOrder(byRita.body), [spammed.id, r1.id, regular.id]);
      assert.match(byRita.body, /Only the comments of <strong>Rita<\/strong> \(rita@example\.org\)/);

      const reported = await get('/admin/comments?view=reported');
      assert.deepEqual(queueOrder(reported.body), [r1.id]);
      const spam = await get('/admin/comments?view=spam');
      assert.deepEqual(queueOrder(spam.body), [spammed.id]);
      // Each view pages by keyset: the next page starts below the last id shown.
      const older = await get(`/admin/comments?view=all&before=${r1.id}`);
      assert.deepEqual(queueOrder(older.body).slice(0, 2), [regular.id, h1.id]);
    });

    it('approves in one click: state, history, reports resolved, outbox event, and the cached public pages purged', async () => {
      const c = await held({ comment: 'Approve me please', email: 'first@example.org' });
      await report(c.id, 'spam', 'reporter-one-key');
      const before = await t.app.inject({ url: storyPath });
      assert.doesNotMatch(before.body, /Approve me please/);
      const frontBefore = await t.app.inject({ url: '/' });
      const count = (body: string) => Number(/(\d+) comments?<\/a>/.exec(body)?.[1]);

      const res = await post(`/admin/comments/${c.id}/moderate`, { action: 'approve', back: '/admin/comments?view=pending' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/admin/comments?view=pending&done=approve#c-${c.id}`);
      const row = await t.deps.store.db.selectFrom('comments').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'approved');
      assert.equal(row.moderated_by, moderator().personId);
      assert.ok(row.moderated_at);
      const history = await historyOf(c.id);
      assert.deepEqual(history.map((h) => [h.action, h.actor_name]), [['created', 'Commenter'], ['approved', 'The moderator']]);
      assert.equal(await openReports(c.id), 0);
      const events = await eventsFor(c.id);
      assert.deepEqual(events.map((e) => e.topic), ['comment.created', 'comment.status-changed']);
      assert.deepEqual(JSON.parse(events[1]?.payload ?? '{}'), { commentId: c.id, storyId, from: 'pending', to: 'approved', actorId: moderator().personId });

      const page = await t.app.inject({ url: storyPath });
      assert.match(page.body, /Approve me please/);
      assert.doesNotMatch(page.body, /first@example\.org/);
      assert.equal(count((await t.app.inject({ url: '/' })).body), count(frontBefore.body) + 1);
      const notice = await get('/admin/comments?view=pending&done=approve');
      assert.match(notice.body, /Comment approved\./);
    });

    it('spams, trashes and restores single comments, and leaves the public page when it does', async () => {
      const c = await approved({ comment: 'Now you see me', email: 'seen@example.org' });
      assert.match((await t.app.inject({ url: storyPath })).body, /Now you see me/);
      assert.equal((await post(`/admin/comments/${c.id}/moderate`, { action: 'spam' })).statusCode, 303);
      assert.equal(await statusOf(c.id), 'spam');
      assert.doesNotMatch((await t.app.inject({ url: storyPath })).body, /Now you see me/);
      assert.equal((await post(`/admin/comments/${c.id}/moderate`, { action: 'trash' })).statusCode, 303);
      assert.equal(await statusOf(c.id), 'trash');
      // It was approved once: restoring brings it back approved.
      const restored = await post(`/admin/comments/${c.id}/moderate`, { action: 'restore', back: '/admin/comments?view=trash' });
      assert.equal(restored.headers.location, `/admin/comments?view=trash&done=restore#c-${c.id}`);
      assert.equal(await statusOf(c.id), 'approved');
      assert.match((await t.app.inject({ url: storyPath })).body, /Now you see me/);
      const h = await held({ email: 'never@example.org' });
      await post(`/admin/comments/${h.id}/moderate`, { action: 'trash' });
      await post(`/admin/comments/${h.id}/moderate`, { action: 'restore' });
      assert.equal(await statusOf(h.id), 'pending', 'never approved: back to the held comments');
      assert.deepEqual((await historyOf(c.id)).map((e) => e.action), ['created', 'approved', 'spammed', 'trashed', 'approved']);
      assert.deepEqual((await eventsFor(c.id)).map((e) => e.topic), ['comment.created', ...Array(4).fill('comment.status-changed')]);
    });

    it('applies bulk actions to the ticked comments in one go', async () => {
      const list = [await held({ email: 'b1@example.org' }), await held({ email: 'b2@example.org' }), await held({ email: 'b3@example.org' })];
      await report(list[0]!.id, 'off-topic', 'bulk-reporter');
      const res = await post('/admin/comments/bulk', { action: 'approve', ids: list.map((c) => String(c.id)), back: '/admin/comments' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/comments?done=approve&n=3');
      for (const c of list) {
        assert.equal(await statusOf(c.id), 'approved');
        assert.equal((await historyOf(c.id)).at(-1)?.action, 'approved');
      }
      assert.equal(await openReports(list[0]!.id), 0);
      const page = await t.app.inject({ url: storyPath });
      for (const c of list) assert.match(page.body, new RegExp(`id="comment-${c.id}"`));
      assert.match((await get('/admin/comments?done=approve&n=3')).body, /3 comments approved\./);

      const trash = await post('/admin/comments/bulk', { action: 'trash', ids: [String(list[0]!.id), '99999999'] });
      assert.equal(trash.headers.location, '/admin/comments?done=trash&n=1');
      assert.equal(await statusOf(list[0]!.id), 'trash');
      const none = await post('/admin/comments/bulk', { action: 'spam' });
      assert.equal(none.statusCode, 422);
      const bad = await post('/admin/comments/bulk', { action: 'explode', ids: String(list[1]!.id) });
      assert.equal(bad.statusCode, 422);
      assert.equal(await statusOf(list[1]!.id), 'approved');
    });

    it('edits the text: markdown re-rendered, links recounted, previous text kept in the history', async () => {
      const c = await approved({ comment: 'Original words', email: 'edit@example.org' });
      const res = await post(`/admin/comments/${c.id}/edit`, { comment: 'Edited with [a link](https://example.org) and **bold**' });
      assert.equal(res.statusCode, 303);
      const row = await t.deps.store.db.selectFrom('comments').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      assert.equal(row.link_count, 1);
      assert.match(row.body_html, /<strong>bold<\/strong>/);
      assert.ok(row.edited_at);
      const last = (await historyOf(c.id)).at(-1);
      assert.equal(last?.action, 'edited');
      assert.equal(JSON.parse(last?.details ?? '{}').previous, 'Original words');
      assert.equal((await eventsFor(c.id)).at(-1)?.topic, 'comment.edited');
      assert.match((await t.app.inject({ url: storyPath })).body, /<strong>bold<\/strong>/);

      const empty = await post(`/admin/comments/${c.id}/edit`, { comment: '   ' });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /id="edit-comment-error" class="field-error">Type the text first\./);
      const tooLong = 'x'.repeat(10_001);
      const long = await post(`/admin/comments/${c.id}/edit`, { comment: tooLong });
      assert.equal(long.statusCode, 422);
      assert.ok(long.body.includes(tooLong), 'the text is kept');

      const detail = await get(`/admin/comments/${c.id}`);
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /<strong>Edited<\/strong> by The moderator<details><summary>Previous text<\/summary><pre class="previous-text">Original words<\/pre>/);
    });

    it('replies as the newsroom: approved at once, signed by the staff member, threaded, and approving a held parent', async () => {
      const parent = await held({ comment: 'A question for the newsroom', email: 'asker@example.org' });
      const res = await post(`/admin/comments/${parent.id}/reply`, { reply: 'Thanks, we *checked*.' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/admin/comments/${parent.id}?done=reply`);
      const reply = await t.deps.store.db.selectFrom('comments').selectAll().where('parent_id', '=', parent.id).executeTakeFirstOrThrow();
      assert.equal(reply.status, 'approved');
      assert.equal(reply.staff_person_id, moderator().personId);
      assert.equal(reply.author_name, `The moderator, ${t.runtime.siteName}`);
      assert.equal(reply.author_email, 'moderator@example.org');
      assert.equal(reply.depth, 2);
      assert.equal(await statusOf(parent.id), 'approved');
      assert.deepEqual((await eventsFor(reply.id)).map((e) => e.topic), ['comment.created']);
      const page = await t.app.inject({ url: storyPath });
      const parentItem = page.body.slice(page.body.indexOf(`id="comment-${parent.id}"`));
      assert.match(parentItem, new RegExp(`^id="comment-${parent.id}"[\\s\\S]*?<ol class="children">\\s*<li id="comment-${reply.id}" class="comment depth-2"`));
      assert.match(page.body, /Thanks, we <em>checked<\/em>\./);
      assert.doesNotMatch(page.body, /moderator@example\.org|asker@example\.org/);

      const empty = await post(`/admin/comments/${parent.id}/reply`, { reply: '' });
      assert.equal(empty.statusCode, 422);
      await post(`/admin/comments/${parent.id}/moderate`, { action: 'spam' });
      const refused = await post(`/admin/comments/${parent.id}/reply`, { reply: 'To spam?' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /To spam\?<\/textarea>/);
    });

    it('shows the whole trail on the detail page: rules, reports (short key, no IP), actions by whom', async () => {
      const c = await held({ comment: 'Trail comment', email: 'trail@example.org' });
      await report(c.id, 'abuse', 'abcdef1234567890secret');
      await post(`/admin/comments/${c.id}/moderate`, { action: 'approve', back: `/admin/comments/${c.id}` });
      const detail = await getCommentForModeration(t.deps, moderator(), c.id);
      assert.equal(detail.reports[0]?.resolved_by, moderator().personId);
      const res = await get(`/admin/comments/${c.id}?done=approve`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Comment approved\./);
      assert.match(res.body, /<strong>Posted<\/strong> by Commenter · held, spam score \d+<ul><li>first-time-commenter: hold/);
      assert.match(res.body, /<strong>Approved<\/strong> by The moderator · pending → approved, 1 report\(s\) resolved/);
      assert.match(res.body, /<td>abuse<\/td><td>Rude<\/td><td><code>abcdef12<\/code><\/td>/);
      assert.doesNotMatch(res.body, /abcdef1234567890secret/);
      assert.match(res.body, /trail@example\.org/);
      assert.match(res.body, /<textarea id="edit-comment" name="comment"[^>]*>Trail comment<\/textarea>/);
      assert.match(res.body, /<textarea id="reply-text" name="reply"/);
    });

    it('refuses an author (403), a post without the CSRF token (403), and answers 404 for an unknown comment', async () => {
      const c = await held({ email: 'guard@example.org' });
      assert.equal((await get('/admin/comments', 'author')).statusCode, 403);
      assert.equal((await get(`/admin/comments/${c.id}`, 'author')).statusCode, 403);
      assert.equal((await post(`/admin/comments/${c.id}/moderate`, { action: 'approve' }, { role: 'author' })).statusCode, 403);
      const noCsrf = await post(`/admin/comments/${c.id}/moderate`, { action: 'approve' }, { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await post('/admin/comments/bulk', { action: 'approve', ids: String(c.id) }, { csrf: false })).statusCode, 403);
      assert.equal(await statusOf(c.id), 'pending');
      assert.equal((await get('/admin/comments/99999999')).statusCode, 404);
      assert.equal((await post('/admin/comments/99999999/moderate', { action: 'approve' })).statusCode, 404);
      assert.equal((await post('/admin/comments/99999999/edit', { comment: 'x' })).statusCode, 404);
      assert.equal((await post('/admin/comments/99999999/reply', { reply: 'x' })).statusCode, 404);
      assert.equal((await get('/admin/comments/nope')).statusCode, 400);
      assert.equal((await post(`/admin/comments/${c.id}/moderate`, { action: 'explode' })).statusCode, 422);
      assert.equal((await post(`/admin/comments/${c.id}/explode`, { action: 'approve' })).statusCode, 404);
      const signedOut = await t.app.inject({ url: '/admin/comments' });
      assert.equal(signedOut.statusCode, 303);
      assert.equal((await get('/admin/comments')).statusCode, 200);
      // A comment its author deleted stays as it is.
      const gone = await held({ email: 'gone@example.org' });
      await t.deps.store.db.updateTable('comments').set({ status: 'deleted' }).where('id', '=', gone.id).execute();
      assert.equal((await post(`/admin/comments/${gone.id}/moderate`, { action: 'approve' })).statusCode, 409);
      assert.equal((await post(`/admin/comments/${gone.id}/edit`, { comment: 'New words' })).statusCode, 409);
      assert.equal(await statusOf(gone.id), 'deleted');
      assert.doesNotMatch((await get(`/admin/comments/${gone.id}`)).body, /id="edit-comment"/);
      // An open redirect through `back` is not possible.
      const away = await post(`/admin/comments/${c.id}/moderate`, { action: 'hold', back: 'https://evil.example/' });
      assert.equal(away.headers.location, `/admin/comments/${c.id}?done=hold#c-${c.id}`);
    });

    it('never shows commenter emails on the public pages', async () => {
      const page = await t.app.inject({ url: storyPath });
      const front = await t.app.inject({ url: '/' });
      for (const body of [page.body, front.body]) assert.doesNotMatch(body, /@example\.org/);
      const queue = await get('/admin/comments?view=all');
      assert.match(queue.body, /@example\.org/);
    });
  });
}
