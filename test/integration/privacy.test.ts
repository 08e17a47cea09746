import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { emailKey } from '../../src/lib/email-key.js';
import { signToken } from '../../src/lib/signing.js';
import { insertHistory } from '../../src/modules/comments/index.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { eraseExpiredIpData } from '../../src/modules/privacy/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const day = 24 * 60 * 60 * 1000;

for (const { kind, skip } of await databaseMatrix()) {
  describe(`commenter privacy on ${kind}`, { skip }, () => {
    let t: TestApp;
    let storyId: number;
    const clock = new FakeClock();
    const storyUrl = '/stories/harbour-vote';
    let ipCounter = 0;
    const nextIp = () => `198.51.100.${++ipCounter}`;

    before(async () => {
      t = await createTestApp({ db: kind, clock });
      await useCommentSettings(t.deps, { rules: openDoorRules });
      storyId = (await buildStory(t.deps, { headline: 'Harbour vote', slug: 'harbour-vote' })).id;
    });
    after(() => t?.close());

    const db = () => t.deps.store.db;
    const comment = async (fields: { email: string; comment?: string; author?: string; parentId?: number; status?: 'approved' | 'pending' }) => {
      const c = await buildComment(t.deps, { storyId, ip: nextIp(), ...fields });
      const status = fields.status ?? 'approved';
      if (c.status !== status) await db().updateTable('comments').set({ status }).where('id', '=', c.id).execute();
      return { ...c, status };
    };
    const requestLink = (email: string, ip = nextIp()) =>
      t.app.inject({ method: 'POST', url: '/privacy/comments', headers: formHeaders, payload: form({ email }), remoteAddress: ip });
    const privacyMails = async () =>
      (await db().selectFrom('outbox').selectAll().where('topic', '=', 'mail.requested').execute()).filter((r) => JSON.parse(r.payload).purpose === 'privacy-link');
    /** The privacy link of the newest message to `to`, read from the .eml file the relay wrote. */
    const mailedLink = async (to: string) => {
      await t.runtime.relay.drain();
      const dir = t.deps.config.mail.outboxDir;
      const mails = await Promise.all(fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => simpleParser(fs.readFileSync(path.join(dir, f)))));
      const mine = mails.filter((m) => m.text?.includes('/privacy/comments/manage') && JSON.stringify(m.to).toLowerCase().includes(to.toLowerCase()));
      const text = mine.at(-1)?.text ?? '';
      const link = /https?:\/\/\S+\/privacy\/comments\/manage\?token=\S+/.exec(text)?.[0];
      assert.ok(link, `no privacy link mailed to ${to}`);
      return new URL(link);
    };

    it('draws each commenter a local avatar whose id reveals neither the address nor its key', async () => {
      const a = await comment({ email: 'Avatar.Person@example.org', comment: 'Avatar one' });
      await comment({ email: 'avatar.person@example.org ', comment: 'Avatar two' });
      await comment({ email: 'someone.else@example.org', comment: 'Avatar three' });
      const page = await t.app.inject({ url: storyUrl });
      assert.equal(page.statusCode, 200);
      const avatars = [...page.body.matchAll(/<img class="avatar" src="\/avatars\/([A-Za-z0-9_-]{16})\.svg" alt="" width="40" height="40" loading="lazy">/g)].map((m) => m[1] as string);
      assert.equal(avatars.length, 3);
      assert.equal(avatars[0], avatars[1], 'the same address (any case) has the same avatar');
      assert.notEqual(avatars[0], avatars[2]);
      const id = avatars[0] as string;
      const key = emailKey(t.deps.ipSalt, 'avatar.person@example.org');
      assert.equal(a.email_key, key);
      assert.ok(!key.includes(id) && !id.includes(key.slice(0, 8)), 'the avatar id is not (part of) the email key');
      for (const algo of ['md5', 'sha256']) {
        const plain = createHash(algo).update('avatar.person@example.org').digest();
        assert.ok(!plain.toString('hex').includes(id) && !plain.toString('base64url').includes(id), `not a plain ${algo} of the address (Gravatar)`);
      }
      assert.ok(!page.body.includes(key), 'the email key is never rendered');
      assert.ok(!/avatar\.person@example\.org/i.test(page.body));

      const svg = await t.app.inject({ url: `/avatars/${id}.svg` });
      assert.equal(svg.statusCode, 200);
      assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
      assert.equal(svg.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(svg.body, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>(<rect [^>]*\/>|<g [^>]*>|<\/g>)+<\/svg>\n$/);
      assert.doesNotMatch(svg.body, /script|href|on\w+=|style|foreignObject/i);
      assert.equal((await t.app.inject({ url: `/avatars/${id}.svg` })).body, svg.body, 'deterministic');
      assert.notEqual((await t.app.inject({ url: `/avatars/${avatars[2]}.svg` })).body, svg.body);
      assert.equal((await t.app.inject({ url: '/avatars/default.svg' })).statusCode, 200);
      for (const bad of ['/avatars/abc.svg', `/avatars/${id}.png`, `/avatars/${id}x.svg`, '/avatars/..%2F..%2Fetc.svg', `/avatars/${id.slice(0, 15)}<.svg`]) {
        assert.equal((await t.app.inject({ url: bad })).statusCode, 404, bad);
      }
    });

    it('answers every request for a link the same way, and mails only an address with comments that is not suppressed', async () => {
      await comment({ email: 'has.comments@example.org', comment: 'I was here' });
      await comment({ email: 'suppressed@example.org', comment: 'Never mail me' });
      await db()
        .insertInto('subscriber_addresses')
        .values({ email_key: emailKey(t.deps.ipSalt, 'suppressed@example.org'), email: 'suppressed@example.org', created_at: clock.now().toISOString(), suppressed_at: clock.now().toISOString() })
        .execute();
      const before = (await privacyMails()).length;
      const known = await requestLink('has.comments@example.org');
      const unknown = await requestLink('nobody@example.org');
      const suppressed = await requestLink('suppressed@example.org');
      for (const res of [known, unknown, suppressed]) {
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.match(res.body, /If this address has comments here, we have sent it a link/);
      }
      assert.equal(known.body, unknown.body);
      assert.equal(known.body, suppressed.body);
      const mails = (await privacyMails()).slice(before);
      assert.equal(mails.length, 1);
      assert.equal(JSON.parse(mails[0]!.payload).to, 'has.comments@example.org');

      const bad = await requestLink('not an address');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /<span id="email-error" class="field-error">Please enter a valid email address/);
      assert.match(bad.body, /value="not an address"/);
      const page = await t.app.inject({ url: storyUrl });
      assert.match(page.body, /<a href="\/privacy\/comments" class="privacy-link">Manage your comments<\/a>/);
    });

    it('limits requests per address and per client with 429 and Retry-After', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await requestLink('limited@example.org')).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const ip = '203.0.113.77';
      const fromOne: number[] = [];
      for (let i = 0; i < 11; i++) fromOne.push((await requestLink(`reader${i}@example.net`, ip)).statusCode);
      assert.deepEqual(fromOne, [...Array(10).fill(200), 429]);
      const limited = await requestLink('another@example.net', ip);
      assert.equal(limited.statusCode, 429);
      assert.match(String(limited.headers['retry-after']), /^\d+$/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.match(limited.body, /Please wait a while and try again/);
      assert.match(limited.body, /value="another@example.net"/);
    });

    it('exports, then erases, a commenter through the mailed link, keeping replies readable', async () => {
      const erin = 'Erin.Private@example.org';
      const top = await comment({ email: erin, author: 'Erin Private', comment: 'Erin says the vote was rigged' });
      const reply = await comment({ email: 'replier@example.org', author: 'Rita Replier', comment: 'Rita answers Erin', parentId: top.id });
      const held = await comment({ email: erin, author: 'Erin Private', comment: 'Erin second thought, held', status: 'pending' });
      const key = emailKey(t.deps.ipSalt, erin);
      await db().transaction().execute((trx) =>
        insertHistory(trx, { commentId: top.id, action: 'edited', actor: 'commenter', details: { previous: 'Erin old text before edit' }, now: clock.now().toISOString() }),
      );
      await db().insertInto('subscriber_addresses').values({ email_key: key, email: erin, created_at: clock.now().toISOString(), confirmed_at: clock.now().toISOString() }).execute();
      await db().insertInto('comment_subscriptions').values({ email_key: key, story_id: storyId, created_at: clock.now().toISOString() }).execute();
      const cached = await t.app.inject({ url: storyUrl });
      assert.match(cached.body, /Erin says the vote was rigged/);

      assert.equal((await requestLink(erin.toUpperCase())).statusCode, 200);
      const link = await mailedLink(erin.toUpperCase());
      const token = link.searchParams.get('token') as string;
      const q = `?token=${encodeURIComponent(token)}`;

      const manage = await t.app.inject({ url: `${link.pathname}${link.search}` });
      assert.equal(manage.statusCode, 200);
      assert.equal(manage.headers['cache-control'], 'no-store');
      assert.match(manage.body, /2 comments were posted here with your email address/);
      assert.match(manage.body, /Download my comments/);
      assert.ok(!manage.body.toLowerCase().includes(erin.toLowerCase()));

      const exported = await t.app.inject({ url: `/privacy/comments/export${q}` });
      assert.equal(exported.statusCode, 200);
      assert.match(String(exported.headers['content-disposition']), /^attachment; filename="comments-\d{4}-\d{2}-\d{2}\.json"$/);
      assert.equal(exported.headers['cache-control'], 'no-store');
      const data = exported.json();
      assert.deepEqual(
        data.comments.map((c: Record<string, unknown>) => [c.id, c.status, c.text, c.name, (c.story as { headline: string }).headline, (c.story as { url: string }).url, c.inReplyTo]),
        [
          [top.id, 'approved', 'Erin says the vote was rigged', 'Erin Private', 'Harbour vote', `${testPublicUrl}${storyUrl}`, null],
          [held.id, 'pending', 'Erin second thought, held', 'Erin Private', 'Harbour vote', `${testPublicUrl}${storyUrl}`, null],
        ],
      );
      assert.equal(data.comments[0].postedAt, top.created_at);

      const confirm = await t.app.inject({ url: `/privacy/comments/erase${q}` });
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /<form method="post" action="\/privacy\/comments\/erase"/);
      assert.equal(await db().selectFrom('comments').select('id').where('email_key', '=', key).execute().then((r) => r.length), 2, 'GET changes nothing');

      // A reply notification to Erin still waiting in the outbox: it must never go out after the erasure.
      const queued = await db()
        .insertInto('outbox')
        .values({ topic: 'mail.requested', payload: JSON.stringify({ to: 'erin.private@EXAMPLE.org', subject: 'New reply', text: 'Rita answered', purpose: 'reply-notification' }), created_at: clock.now().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const erased = await t.app.inject({ method: 'POST', url: '/privacy/comments/erase', headers: formHeaders, payload: form({ token }) });
      assert.equal(erased.statusCode, 200);
      assert.match(erased.body, /2 comments were erased/);

      const page = await t.app.inject({ url: storyUrl });
      const item = page.body.slice(page.body.indexOf(`id="comment-${top.id}"`));
      assert.match(item, /^id="comment-\d+"[\s\S]*?<b class="fn">\[deleted\]<\/b>[\s\S]*?<p>\[deleted\]<\/p>[\s\S]*?<ol class="children">\s*<li id="comment-(\d+)"/);
      assert.match(page.body, /Rita answers Erin/);
      assert.match(item, /src="\/avatars\/default\.svg"/);
      assert.doesNotMatch(page.body, /Erin says the vote was rigged|Erin Private/);

      const rows = await db().selectFrom('comments').selectAll().where('id', 'in', [top.id, held.id]).execute();
      for (const r of rows) {
        assert.equal(r.author_name, '[deleted]');
        assert.equal(r.author_email, '');
        assert.equal(r.author_url, null);
        assert.equal(r.body_source, '[deleted]');
        assert.equal(r.body_html, '<p>[deleted]</p>');
        assert.equal(r.ip_hash, null);
        assert.equal(r.user_agent, '');
        assert.equal(r.email_key, '');
        assert.equal(r.owner_key_hash, null);
      }
      assert.deepEqual(rows.map((r) => r.status).sort(), ['approved', 'pending'], 'states stay, so threads stay whole');
      assert.equal((await db().selectFrom('comments').select('status').where('id', '=', reply.id).executeTakeFirstOrThrow()).status, 'approved');
      const everything = JSON.stringify(await db().selectFrom('comments').selectAll().execute()).toLowerCase();
      assert.ok(!everything.includes('erin.private@example.org') && !everything.includes(key.toLowerCase()) && !everything.includes('erin says'));
      const history = await db().selectFrom('comment_history').selectAll().where('comment_id', 'in', [top.id, held.id]).orderBy('id').execute();
      assert.ok(!JSON.stringify(history).toLowerCase().includes('erin'), 'no text or name left in the history');
      const erasedEntries = history.filter((h) => h.action === 'erased');
      assert.equal(erasedEntries.length, 2);
      assert.ok(erasedEntries.every((h) => h.actor_name === 'Commenter' && h.actor_id === null && h.details === '{}'));
      assert.equal((await db().selectFrom('subscriber_addresses').selectAll().where('email_key', '=', key).execute()).length, 0);
      assert.equal((await db().selectFrom('comment_subscriptions').selectAll().where('email_key', '=', key).execute()).length, 0);
      const outbox = await db().selectFrom('outbox').selectAll().execute();
      assert.ok(!JSON.stringify(outbox).toLowerCase().includes('erin.private@example.org'), 'the outbox forgets mail to the address');
      const cancelled = outbox.find((r) => r.id === queued.id)!;
      assert.ok(cancelled.handled_at !== null && /cancelled/.test(cancelled.last_error ?? ''), 'unsent mail to the address is cancelled');
      assert.ok(outbox.some((r) => r.topic === 'mail.requested' && JSON.parse(r.payload).to === 'has.comments@example.org'), "others' mail is untouched");
      const events = await db().selectFrom('outbox').selectAll().where('topic', '=', 'comment.commenter-erased').execute();
      assert.deepEqual(JSON.parse(events.at(-1)!.payload), { storyIds: [storyId] });

      const again = await t.app.inject({ url: `${link.pathname}${link.search}` });
      assert.match(again.body, /There are no comments posted with this address here/);
    });

    it('refuses an altered or expired link with a clear page, changing nothing', async () => {
      await comment({ email: 'frank@example.org', comment: 'Frank keeps his comment' });
      const key = emailKey(t.deps.ipSalt, 'frank@example.org');
      const forged = signToken('not the site secret', 'privacy', { emailKey: key, exp: clock.now().getTime() + day });
      const otherPurpose = signToken(t.deps.ipSalt, 'unsubscribe', { emailKey: key, exp: clock.now().getTime() + day });
      const expired = signToken(t.deps.ipSalt, 'privacy', { emailKey: key, exp: clock.now().getTime() - 1 });
      for (const token of [forged, otherPurpose, '', 'garbage', `${forged}x`]) {
        const res = await t.app.inject({ url: `/privacy/comments/manage?token=${encodeURIComponent(token)}` });
        assert.equal(res.statusCode, 400, token);
        assert.match(res.body, /This link is not valid/);
        assert.match(res.body, /<a href="\/privacy\/comments">Ask for a new link<\/a>/);
        const post = await t.app.inject({ method: 'POST', url: '/privacy/comments/erase', headers: formHeaders, payload: form({ token }) });
        assert.equal(post.statusCode, 400);
      }
      for (const url of ['/privacy/comments/manage', '/privacy/comments/export', '/privacy/comments/erase']) {
        const res = await t.app.inject({ url: `${url}?token=${encodeURIComponent(expired)}` });
        assert.equal(res.statusCode, 410, url);
        assert.match(res.body, /This link has expired/);
      }
      assert.equal((await t.app.inject({ method: 'POST', url: '/privacy/comments/erase', headers: formHeaders, payload: form({ token: expired }) })).statusCode, 410);
      // A real link stops working after 24 hours.
      await requestLink('frank@example.org');
      const link = await mailedLink('frank@example.org');
      assert.equal((await t.app.inject({ url: `${link.pathname}${link.search}` })).statusCode, 200);
      clock.advance(day + 1_000);
      assert.equal((await t.app.inject({ url: `${link.pathname}${link.search}` })).statusCode, 410);
      const frank = await db().selectFrom('comments').selectAll().where('email_key', '=', key).execute();
      assert.equal(frank.length, 1);
      assert.equal(frank[0]!.body_source, 'Frank keeps his comment');
    });

    it('lets an administrator, and only them, anonymise a commenter after a confirm step', async () => {
      const password = 'harbour tide lantern 77';
      await createStaffMember(t.deps, commandLineActor, { name: 'Ada Admin', email: 'ada@newsroom.example', role: 'admin', password });
      await createStaffMember(t.deps, commandLineActor, { name: 'Mo Moderator', email: 'mo@newsroom.example', role: 'moderator', password });
      const signIn = async (email: string) =>
        cookieOf(
          (await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email, password }), remoteAddress: nextIp() })).headers[
            'set-cookie'
          ],
        );
      const gus = await comment({ email: 'gus@example.org', author: 'Gus Named', comment: 'Gus thinks the harbour should stay' });
      await comment({ email: 'gus@example.org', author: 'Gus Named', comment: 'Gus, held', status: 'pending' });
      const key = gus.email_key;
      const url = `/admin/commenters/${key}/anonymise`;

      const mo = await signIn('mo@newsroom.example');
      assert.equal((await t.app.inject({ url, headers: { cookie: mo } })).statusCode, 403);
      assert.equal((await t.app.inject({ url })).statusCode, 303, 'signed out: to the sign-in page');

      const ada = await signIn('ada@newsroom.example');
      const queue = await t.app.inject({ url: `/admin/comments?view=all&commenter=${key}`, headers: { cookie: ada } });
      assert.equal(queue.statusCode, 200);
      assert.ok(queue.body.includes(`<a href="${url}" class="danger">Anonymise this commenter…</a>`), 'the queue links an admin to it');
      const moQueue = await t.app.inject({ url: `/admin/comments?view=all&commenter=${key}`, headers: { cookie: mo } });
      assert.ok(!moQueue.body.includes(url), 'not offered to a moderator');
      const confirm = await t.app.inject({ url, headers: { cookie: ada } });
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Their 2 comments keep their text/);
      assert.match(confirm.body, new RegExp(`<form method="post" action="${url}"`));
      assert.equal((await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: ada }, payload: form({ _csrf: 'wrong' }) })).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: mo }, payload: form({ _csrf: csrfOf(confirm.body) }) })).statusCode, 403);
      const done = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: ada }, payload: form({ _csrf: csrfOf(confirm.body) }) });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /2 comments are now shown as “Anonymous”/);

      const rows = await db().selectFrom('comments').selectAll().where('story_id', '=', storyId).where('body_source', 'like', 'Gus%').orderBy('id').execute();
      assert.deepEqual(rows.map((r) => [r.author_name, r.author_email, r.email_key, r.ip_hash, r.status]), [
        ['Anonymous', '', '', null, 'approved'],
        ['Anonymous', '', '', null, 'pending'],
      ]);
      const history = await db().selectFrom('comment_history').selectAll().where('comment_id', '=', gus.id).where('action', '=', 'anonymised').execute();
      assert.equal(history.length, 1);
      assert.equal(history[0]!.actor_name, 'Ada Admin');
      const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'commenter.anonymised').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_name, 'Ada Admin');
      assert.ok(!audit[0]!.details.includes('gus@example.org') && !audit[0]!.details.includes(key));
      const page = await t.app.inject({ url: storyUrl });
      assert.match(page.body, /<b class="fn">Anonymous<\/b>/);
      assert.match(page.body, /Gus thinks the harbour should stay/);
      assert.equal((await t.app.inject({ url, headers: { cookie: ada } })).statusCode, 404, 'nothing left to anonymise');
    });

    it('erases IP hashes, user agents and reporter keys after the retention window, in batches', async () => {
      // Earlier tests' comments are out of the way: erased by a first pass a month later.
      clock.advance(31 * day);
      assert.ok((await t.runtime.ipRetention.run())!.sentMails >= 2, "earlier tests' privacy mails lose their recipient");
      const mails = await db().selectFrom('outbox').select('payload').where('topic', '=', 'mail.requested').execute();
      assert.ok(mails.length >= 2 && mails.every((m) => JSON.parse(m.payload).to === '' && !m.payload.includes('@')));
      const start = clock.now();
      const old = [];
      for (let i = 0; i < 5; i++) old.push(await comment({ email: `old${i}@example.org`, comment: `Old comment ${i}` }));
      await db().insertInto('comment_reports').values({ comment_id: old[0]!.id, reason: 'spam', note: null, reporter_key: 'reporter-hash', created_at: start.toISOString() }).execute();
      await db().insertInto('sign_in_attempts').values({ key: 'ip:old-attempt', attempted_at: start.toISOString() }).execute();
      clock.advance(29 * day);
      const recent = await comment({ email: 'recent@example.org', comment: 'Recent comment' });
      assert.ok(recent.ip_hash);

      const early = await t.runtime.ipRetention.run();
      assert.equal(early?.comments, 0, 'nothing is older than 30 days yet');
      clock.advance(2 * day);
      // Bounded batches: two rows a statement and at most two statements a pass, so five old comments take two passes.
      const counts = await eraseExpiredIpData(t.deps, clock.now(), { batchSize: 2, maxBatches: 2 });
      assert.deepEqual(counts, { comments: 4, reports: 1, signInAttempts: 1, sentMails: 0 });
      assert.deepEqual(await t.runtime.ipRetention.run(), { comments: 1, reports: 0, signInAttempts: 0, sentMails: 0 });
      const after = await db().selectFrom('comments').select(['id', 'ip_hash', 'user_agent', 'created_at']).execute();
      const cutoff = new Date(clock.now().getTime() - 30 * day).toISOString();
      for (const r of after) {
        if (r.created_at < cutoff) assert.ok(r.ip_hash === null && r.user_agent === '', `comment ${r.id} keeps no IP data`);
      }
      assert.notEqual(after.find((r) => r.id === recent.id)?.ip_hash, null, 'a comment within the window keeps its IP hash');
      const report = await db().selectFrom('comment_reports').selectAll().where('comment_id', '=', old[0]!.id).executeTakeFirstOrThrow();
      assert.equal(report.reporter_key, '');
      assert.equal((await db().selectFrom('sign_in_attempts').selectAll().where('key', '=', 'ip:old-attempt').execute()).length, 0);
      assert.deepEqual(await t.runtime.ipRetention.run(), { comments: 0, reports: 0, signInAttempts: 0, sentMails: 0 }, 'a second pass finds nothing');
    });
  });
}
