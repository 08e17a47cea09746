import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hashIp } from '../../src/lib/ip-hash.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';
import { seedCommentThreads, type SeededThreads } from '../builders/comment-threads.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { moderateOne } from '../../src/modules/comments/index.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';

const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };

/** The Cookie header a browser would send back after this response (name=value pairs only). */
function cookieFrom(res: { cookies: { name: string; value: string }[] }, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((p) => p.split('=') as [string, string]));
  for (const c of res.cookies) jar.set(c.name, c.value);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

let ipCounter = 10;
const nextIp = () => `198.51.100.${ipCounter++}`;

for (const { kind, skip } of await databaseMatrix()) {
  describe(`the reader side of comments on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    let storyId: number;
    const path = '/stories/harbour-talks';

    before(async () => {
      // The cache follower would purge again what this process already purged; keep it out of the way.
      t = await createTestApp({ db: kind, clock, followIntervalMs: 600_000 });
      storyId = (await buildStory(t.deps, { headline: 'Harbour talks', slug: 'harbour-talks' })).id;
    });
    after(() => t?.close());

    const post = (fields: Record<string, string | number>, o: { cookie?: string; json?: boolean } = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/comments',
        remoteAddress: nextIp(),
        headers: { ...formHeaders, ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.json ? { accept: 'application/json' } : {}) },
        payload: form({ author: 'Ann', email: `ann${ipCounter}@example.org`, url: '', comment_parent: 0, comment_post_ID: storyId, ...fields }),
      });
    const get = (url: string, cookie?: string) => t.app.inject({ url, headers: cookie ? { cookie } : {} });
    const postForm = (url: string, fields: Record<string, string>, cookie?: string, remoteAddress = '203.0.113.9') =>
      t.app.inject({ method: 'POST', url, remoteAddress, headers: { ...formHeaders, ...(cookie ? { cookie } : {}) }, payload: form(fields) });
    const comment = (id: number) => t.deps.store.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const history = (id: number) => t.deps.store.db.selectFrom('comment_history').selectAll().where('comment_id', '=', id).orderBy('id').execute();
    const outbox = (topic: string) => t.deps.store.db.selectFrom('outbox').select(['payload']).where('topic', '=', topic).execute();

    it('shows a held comment to its author alone, while the story page stays cached and never contains it', async () => {
      await useCommentSettings(t.deps, { rules: { holdFirstTimeCommenters: true } });
      const first = await get(path);
      assert.equal(first.statusCode, 200);
      const etag = first.headers.etag as string;

      const res = await post({ comment: 'Held words from a first-time reader' });
      assert.equal(res.statusCode, 303);
      const location = res.headers.location as string;
      const m = /^\/stories\/harbour-talks\?unapproved=(\d+)&moderation-hash=([\w-]+)#comment-\1$/.exec(location);
      assert.ok(m, location);
      const id = Number(m[1]);
      const owner = res.cookies.find((c) => c.name === 'readout_owner');
      assert.ok(owner && owner.httpOnly && owner.sameSite === 'Lax' && owner.path === '/' && Number(owner.maxAge) > 300 * 86_400);
      assert.match(owner.value, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(res.cookies.find((c) => c.name === 'readout_commented')?.value, '1');
      const stored = await comment(id);
      assert.equal(stored.status, 'pending');
      assert.equal(stored.owner_key_hash, createHash('sha256').update(owner.value).digest('hex'));
      const author = cookieFrom(res);

      const mine = await get(location.split('#')[0] as string, author);
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.headers['cache-control'], 'private, no-store');
      assert.match(mine.body, new RegExp(`<li id="comment-${id}"[\\s\\S]*?Your comment is awaiting moderation\\.[\\s\\S]*?Held words from a first-time reader`));

      // Another browser, the right address: nothing. The author with a wrong hash: nothing.
      const stranger = await get(location.split('#')[0] as string, 'readout_owner=' + 'A'.repeat(43));
      assert.equal(stranger.statusCode, 200);
      assert.doesNotMatch(stranger.body, /Held words/);
      assert.doesNotMatch((await get(location.split('#')[0] as string)).body, /Held words/);
      assert.doesNotMatch((await get(`${path}?unapproved=${id}&moderation-hash=wrong`, author)).body, /Held words/);

      // The public page: the same cached entry (same ETag, 304 on revalidation), without the comment.
      const again = await get(path, author);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], t.deps.config.pageCache.cacheControl);
      assert.doesNotMatch(again.body, /Held words|awaiting moderation/);
      assert.equal((await t.app.inject({ url: path, headers: { 'if-none-match': etag } })).statusCode, 304);

      // With JavaScript: /comments/mine answers the held comment to its author only, uncached.
      const json = await get(`/comments/mine?story=${storyId}`, author);
      assert.equal(json.headers['cache-control'], 'private, no-store');
      const body = json.json() as { held: { id: number; html: string }[]; editable: { id: number }[] };
      assert.deepEqual(body.held.map((h) => h.id), [id]);
      assert.match(body.held[0]?.html ?? '', /Your comment is awaiting moderation\./);
      assert.deepEqual(body.editable.map((e) => e.id), [id]);
      assert.deepEqual((await get(`/comments/mine?story=${storyId}`)).json(), { held: [], editable: [] });
      assert.deepEqual((await get(`/comments/mine?story=${storyId}`, 'readout_owner=' + 'B'.repeat(43))).json(), { held: [], editable: [] });

      // The JSON post answers the held comment with the note, for the script to show in place.
      const posted = await post({ comment: 'Second held words' }, { json: true, cookie: author });
      assert.equal(posted.statusCode, 201);
      assert.equal(posted.json().status, 'pending');
      assert.match(posted.json().html, /Your comment is awaiting moderation\./);
      assert.ok(!posted.cookies.some((c) => c.name === 'readout_owner'), 'an existing owner key is kept');
      assert.equal((await comment(posted.json().id)).owner_key_hash, stored.owner_key_hash);
    });

    it('lets the author edit and delete within the window from the same browser only', async () => {
      await useCommentSettings(t.deps, { rules: openDoorRules });
      const res = await post({ comment: 'Original text' }, { json: true });
      assert.equal(res.statusCode, 201);
      const id = res.json().id as number;
      const author = cookieFrom(res);
      const other = cookieFrom((await post({ comment: 'Someone else' }, { json: true })));

      const edit = await get(`/comments/${id}/edit`, author);
      assert.equal(edit.statusCode, 200);
      assert.equal(edit.headers['cache-control'], 'private, no-store');
      assert.match(edit.body, /<textarea id="comment"[^>]*>Original text<\/textarea>/);
      const refused = await get(`/comments/${id}/edit`, other);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Only the browser this comment was posted from can edit or delete it/);
      assert.equal((await postForm(`/comments/${id}/edit`, { comment: 'Hijack' }, other)).statusCode, 403);

      const empty = await postForm(`/comments/${id}/edit`, { comment: '   ' }, author);
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Please type your comment/);

      // The site's default rules (form timestamp, first-time commenter…) judge the posting, not an edit.
      await useCommentSettings(t.deps, {});
      const saved = await postForm(`/comments/${id}/edit`, { comment: 'Corrected *text*' }, author);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${path}#comment-${id}`);
      const page = await get(path);
      assert.match(page.body, new RegExp(`<li id="comment-${id}"[\\s\\S]*?\\(edited\\)[\\s\\S]*?<p>Corrected <em>text</em></p>`));
      assert.doesNotMatch(page.body, /Original text/);
      assert.equal((await comment(id)).status, 'approved');
      const trail = await history(id);
      assert.deepEqual(trail.map((h) => h.action), ['created', 'edited']);
      assert.equal(JSON.parse(trail[1]?.details ?? '{}').previous, 'Original text');
      assert.ok((await outbox('comment.edited')).some((r) => JSON.parse(r.payload).commentId === id));

      // Adding links beyond the limit sends an approved comment back to the queue.
      await useCommentSettings(t.deps, { rules: { ...openDoorRules, maxLinks: 2 } });
      const links = 'See https://a.example, https://b.example and https://c.example';
      assert.equal((await postForm(`/comments/${id}/edit`, { comment: links }, author)).statusCode, 303);
      const held = await comment(id);
      assert.equal(held.status, 'pending');
      assert.equal(held.link_count, 3);
      assert.ok((await outbox('comment.status-changed')).some((r) => JSON.parse(r.payload).commentId === id && JSON.parse(r.payload).to === 'pending'));
      assert.doesNotMatch((await get(path)).body, new RegExp(`id="comment-${id}"`));

      // Delete within the window.
      const deleted = await postForm(`/comments/${id}/delete`, {}, author);
      assert.equal(deleted.statusCode, 303);
      assert.equal((await comment(id)).status, 'deleted');
      assert.deepEqual((await history(id)).map((h) => h.action), ['created', 'edited', 'edited', 'deleted']);
      assert.equal((await postForm(`/comments/${id}/edit`, { comment: 'Back' }, author)).statusCode, 404);
    });

    it('refuses edits and deletes after the window with a clear 403', async () => {
      await useCommentSettings(t.deps, { editWindowMinutes: 10, rules: openDoorRules });
      const res = await post({ comment: 'Posted in time' }, { json: true });
      const id = res.json().id as number;
      const author = cookieFrom(res);
      assert.deepEqual((await get(`/comments/mine?story=${storyId}`, author)).json().editable.map((e: { id: number }) => e.id), [id]);
      clock.advance(10 * 60_000 + 1_000);
      const late = await postForm(`/comments/${id}/edit`, { comment: 'Too late' }, author);
      assert.equal(late.statusCode, 403);
      assert.match(late.body, /Comments can be edited or deleted for 10 minutes after posting/);
      assert.equal((await postForm(`/comments/${id}/delete`, {}, author)).statusCode, 403);
      assert.equal((await comment(id)).body_source, 'Posted in time');
      assert.deepEqual((await get(`/comments/mine?story=${storyId}`, author)).json().editable, []);
    });

    it('keeps replies to a deleted comment readable under a placeholder; a deleted comment without replies vanishes', async () => {
      await useCommentSettings(t.deps, { rules: openDoorRules });
      const story = await buildStory(t.deps, { headline: 'Placeholders', slug: 'placeholders' });
      const parentRes = await post({ comment: 'Parent that will go', comment_post_ID: story.id }, { json: true });
      const parentId = parentRes.json().id as number;
      const reply = await post({ comment: 'A reply that stays', comment_post_ID: story.id, comment_parent: parentId }, { json: true });
      const loneRes = await post({ comment: 'Lonely words', comment_post_ID: story.id }, { json: true });
      assert.equal((await postForm(`/comments/${parentId}/delete`, {}, cookieFrom(parentRes))).statusCode, 303);
      assert.equal((await postForm(`/comments/${loneRes.json().id}/delete`, {}, cookieFrom(loneRes))).statusCode, 303);
      const page = await get('/stories/placeholders');
      assert.match(page.body, new RegExp(`<li id="comment-${parentId}" class="comment depth-1 comment-deleted"[\\s\\S]*?This comment was deleted\\.[\\s\\S]*?<li id="comment-${reply.json().id}"`));
      assert.doesNotMatch(page.body, /Parent that will go|Lonely words/);
      assert.match(page.body, /One comment on/);
    });

    it('takes reports with a reason, one open report per reader, rate limited', async () => {
      await useCommentSettings(t.deps, { rules: openDoorRules });
      const ids: number[] = [];
      for (let i = 0; i < 11; i++) ids.push((await post({ comment: `Reportable ${i}` }, { json: true })).json().id as number);
      const id = ids[0] as number;
      const page = await get(path);
      assert.match(page.body, new RegExp(`<a rel="nofollow" class="comment-report-link" href="/comments/${id}/report">Report</a>`));
      const formPage = await get(`/comments/${id}/report`);
      assert.equal(formPage.statusCode, 200);
      assert.match(formPage.body, /name="reason" id="reason-abuse" value="abuse"/);
      const bad = await postForm(`/comments/${id}/report`, { reason: 'boring', note: 'keep me' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Please choose why you are reporting this comment/);
      assert.match(bad.body, />keep me<\/textarea>/);

      const ip = '203.0.113.50';
      const sent = await postForm(`/comments/${id}/report`, { reason: 'abuse', note: 'Insults another reader' }, undefined, ip);
      assert.equal(sent.statusCode, 200);
      assert.match(sent.body, /Your report has been sent to the moderators/);
      assert.equal((await postForm(`/comments/${id}/report`, { reason: 'spam', note: '' }, undefined, ip)).statusCode, 200);
      const reports = await t.deps.store.db.selectFrom('comment_reports').selectAll().where('comment_id', '=', id).execute();
      assert.equal(reports.length, 1, 'one open report per reader and comment');
      assert.equal(reports[0]?.reason, 'abuse');
      assert.equal(reports[0]?.reporter_key, hashIp(t.deps.ipSalt, ip));
      assert.deepEqual((await history(id)).map((h) => h.action), ['created', 'reported']);
      assert.equal((await outbox('comment.reported')).filter((r) => JSON.parse(r.payload).commentId === id).length, 1);

      // 10 reports an hour per reader: this reader has sent 2, 8 more pass, the next is refused.
      for (let i = 1; i <= 8; i++) assert.equal((await postForm(`/comments/${ids[i]}/report`, { reason: 'spam', note: '' }, undefined, ip)).statusCode, 200);
      const limited = await postForm(`/comments/${ids[9]}/report`, { reason: 'spam', note: '' }, undefined, ip);
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await postForm(`/comments/${ids[9]}/report`, { reason: 'spam', note: '' }, undefined, '203.0.113.51')).statusCode, 200);
      assert.equal((await get('/comments/999999/report')).statusCode, 404);
    });

    describe('a story with 1,000 comments', () => {
      let big: number;
      let seeded: SeededThreads;
      const bigPath = '/stories/long-thread';

      before(async () => {
        await useCommentSettings(t.deps, { perPage: 50, order: 'oldest', rules: openDoorRules });
        big = (await buildStory(t.deps, { headline: 'Long thread', slug: 'long-thread' })).id;
        seeded = await seedCommentThreads(t.deps.store.db, { storyId: big, count: 1_000, createdAt: '2026-11-26T13:00:00.000Z' });
      });

      /** Comment ids on a page, in document order, and which of them are top level. */
      const idsOn = (body: string) => [...body.matchAll(/<li id="comment-(\d+)" class="comment depth-(\d+)/g)].map((m) => ({ id: Number(m[1]), depth: Number(m[2]) }));
      const expectedPage = (roots: number[], page: number) => {
        const pageRoots = roots.slice((page - 1) * 50, page * 50);
        const ids = new Set(seeded.all.filter((c) => pageRoots.includes(c.id) || (c.root_id !== null && pageRoots.includes(c.root_id))).map((c) => c.id));
        return { pageRoots, ids };
      };

      it('shows exactly the right roots with their whole threads on page N, each page cached under its own address', async () => {
        assert.equal(seeded.roots.length, 300);
        const res = await get(`${bigPath}?cpage=3`);
        assert.equal(res.statusCode, 200);
        const shown = idsOn(res.body);
        const { pageRoots, ids } = expectedPage(seeded.roots, 3);
        assert.deepEqual(shown.filter((c) => c.depth === 1).map((c) => c.id), pageRoots);
        assert.deepEqual(new Set(shown.map((c) => c.id)), ids);
        assert.match(res.body, /1000 comments on “Long thread”/);
        assert.match(res.body, /<a class="comment-count" href="#comments">1000 comments<\/a>/);
        assert.match(res.body, new RegExp(`<link rel="canonical" href="${testPublicUrl}/stories/long-thread">`));
        assert.match(res.body, /<a class="next" rel="next" href="\/stories\/long-thread\?cpage=4#comments">/);
        assert.match(res.headers['surrogate-key'] as string, new RegExp(`\\bstory:${big}\\b`));
        const again = await get(`${bigPath}?cpage=3`);
        assert.equal(again.headers.etag, res.headers.etag);
        assert.notEqual((await get(bigPath)).headers.etag, res.headers.etag);
        assert.equal((await get(`${bigPath}?cpage=7`)).statusCode, 404);
        const last = idsOn((await get(`${bigPath}?cpage=6`)).body);
        assert.deepEqual(last.filter((c) => c.depth === 1).map((c) => c.id), seeded.roots.slice(250));
      });

      it('resolves /comment/:id to the page and anchor of the comment, newest first too', async () => {
        const deepReply = seeded.all.find((c) => c.depth === 3 && seeded.roots.indexOf(c.root_id as number) >= 100) as SeededThreads['all'][number];
        const page = Math.floor(seeded.roots.indexOf(deepReply.root_id as number) / 50) + 1;
        const res = await get(`/comment/${deepReply.id}`);
        assert.equal(res.statusCode, 302);
        assert.equal(res.headers.location, `${bigPath}?cpage=${page}#comment-${deepReply.id}`);
        assert.ok(idsOn((await get(res.headers.location.split('#')[0] as string)).body).some((c) => c.id === deepReply.id));
        assert.equal((await get(`/comment/${seeded.roots[0]}`)).headers.location, `${bigPath}#comment-${seeded.roots[0]}`);
        assert.equal((await get('/comment/99999999')).statusCode, 404);

        await useCommentSettings(t.deps, { perPage: 50, order: 'newest', rules: openDoorRules });
        t.deps.pageCache.purge([`story:${big}`]);
        const newest = [...seeded.roots].reverse();
        const newestPage = Math.floor(newest.indexOf(deepReply.root_id as number) / 50) + 1;
        assert.equal((await get(`/comment/${deepReply.id}`)).headers.location, `${bigPath}${newestPage > 1 ? `?cpage=${newestPage}` : ''}#comment-${deepReply.id}`);
        const first = idsOn((await get(bigPath)).body);
        assert.deepEqual(first.filter((c) => c.depth === 1).map((c) => c.id), newest.slice(0, 50));
        await useCommentSettings(t.deps, { perPage: 50, order: 'oldest', rules: openDoorRules });
        t.deps.pageCache.purge([`story:${big}`]);
      });

      it('replies to a comment on page 3 without JavaScript and with JSON', async () => {
        const target = seeded.roots[120] as number;
        const view = await get(`${bigPath}?replytocom=${target}`);
        assert.equal(view.statusCode, 200);
        assert.match(view.body, /Leave a Reply to <span class="reply-to-name">/);
        assert.match(view.body, new RegExp(`<input type="hidden" name="comment_parent" id="comment_parent" value="${target}">`));
        assert.ok(idsOn(view.body).some((c) => c.id === target));

        const json = await post({ comment: 'Reply on page 3', comment_post_ID: big, comment_parent: target }, { json: true });
        assert.equal(json.statusCode, 201);
        assert.equal(json.json().parentId, target);
        const plain = await post({ comment: 'Plain reply on page 3', comment_post_ID: big, comment_parent: target });
        assert.equal(plain.statusCode, 303);
        assert.match(plain.headers.location as string, new RegExp(`^${bigPath}\\?cpage=3#comment-\\d+$`));
        const page3 = await get(`${bigPath}?cpage=3`);
        assert.match(page3.body, /Reply on page 3/);
        assert.match(page3.body, /1002 comments on/);
      });

      it('places a thread where it was approved: a held one after those approved meanwhile, a removed one leaving a gap', async () => {
        const page7 = () => get(`${bigPath}?cpage=7`).then((r) => idsOn(r.body).filter((c) => c.depth === 1).map((c) => c.id));
        const first = (await buildComment(t.deps, { storyId: big, comment: 'Approved at once' })).id;
        await useCommentSettings(t.deps, { perPage: 50, order: 'oldest', rules: { ...openDoorRules, holdFirstTimeCommenters: true } });
        const held = await buildComment(t.deps, { storyId: big, comment: 'Held for a moderator' });
        assert.equal(held.status, 'pending');
        await useCommentSettings(t.deps, { perPage: 50, order: 'oldest', rules: openDoorRules });
        const second = (await buildComment(t.deps, { storyId: big, comment: 'Approved meanwhile' })).id;
        assert.deepEqual(await page7(), [first, second]);
        assert.equal((await get(`/comment/${held.id}`)).statusCode, 404);

        const moderator = await createStaffMember(t.deps, commandLineActor, { name: 'Mo', email: 'mo@example.org', role: 'moderator', password: 'tide clock harbour 41' });
        const actor = { personId: moderator.person.id, name: 'Mo', role: 'moderator' as const };
        await moderateOne(t.deps, actor, held.id, 'approve');
        assert.deepEqual(await page7(), [first, second, held.id], 'the held thread goes after those approved before it');
        assert.equal((await get(`/comment/${held.id}`)).headers.location, `${bigPath}?cpage=7#comment-${held.id}`);
        // Spamming a thread leaves its page one short; no later thread moves to another page.
        const onPage6 = seeded.roots[260] as number;
        await moderateOne(t.deps, actor, onPage6, 'spam');
        assert.equal(idsOn((await get(`${bigPath}?cpage=6`)).body).filter((c) => c.depth === 1).length, 49);
        assert.deepEqual(await page7(), [first, second, held.id]);
        // Back from spam, it takes its old place.
        await moderateOne(t.deps, actor, onPage6, 'approve');
        assert.ok(idsOn((await get(`${bigPath}?cpage=6`)).body).some((c) => c.id === onPage6));
      });

      it('sends each new comment to the page that /comment/N resolves to, oldest or newest first, a reply to a reply included', async () => {
        const located = async (res: { statusCode: number; headers: Record<string, unknown> }) => {
          assert.equal(res.statusCode, 303);
          const location = res.headers.location as string;
          const id = Number(/#comment-(\d+)$/.exec(location)?.[1]);
          assert.equal((await get(`/comment/${id}`)).headers.location, location, 'the page computed at posting is the page the comment is on');
          return { id, location };
        };
        const target = seeded.roots[120] as number;
        for (const order of ['oldest', 'newest'] as const) {
          await useCommentSettings(t.deps, { perPage: 50, order, rules: openDoorRules });
          const reply = await located(await post({ comment: `A reply, ${order} first`, comment_post_ID: big, comment_parent: target }));
          const nested = await located(await post({ comment: `A reply to the reply, ${order} first`, comment_post_ID: big, comment_parent: reply.id }));
          assert.equal(nested.location.split('#')[0], reply.location.split('#')[0]);
          const thread = await located(await post({ comment: `A new thread, ${order} first`, comment_post_ID: big }));
          if (order === 'newest') assert.equal(thread.location, `${bigPath}#comment-${thread.id}`);
        }
        await useCommentSettings(t.deps, { perPage: 50, order: 'oldest', rules: openDoorRules });
      });
    });
  });
}
