import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { moderateOne } from '../../src/modules/comments/index.js';
import { sendModerationDigest } from '../../src/modules/notifications/index.js';
import { commandLineActor, createStaffMember, setDisabled, type Actor } from '../../src/modules/people/index.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';
import { headerOf, startTestSmtp, type TestSmtp } from '../harness/smtp.js';
import { buildStory } from '../builders/stories.js';

const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };


const recipients = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
const linkIn = (text: string, path: string) => {
  const match = new RegExp(`${testPublicUrl.replace(/[.:/]/g, '\\$&')}${path}\\?token=[A-Za-z0-9_.-]+`).exec(text);
  assert.ok(match, `a ${path} link in:\n${text}`);
  return new URL(match[0]);
};

for (const { kind, skip } of await databaseMatrix()) {
  describe(`comment notifications by email on ${kind}`, { skip }, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    const clock = new FakeClock();
    let storyId: number;
    let otherStoryId: number;
    let thirdStoryId: number;
    let annCommentId: number;
    let replyMail: ParsedMail;
    let moderator: Actor;

    before(async () => {
      smtp = await startTestSmtp();
      t = await createTestApp({
        db: kind,
        clock,
        env: { SMTP_URL: smtp.url, READOUT_COMMENT_RATE_IP: 'off', READOUT_COMMENT_RATE_EMAIL: 'off' },
      });
      // Replies are approved at once unless they contain "holdme" (a blocked phrase holds them).
      await useCommentSettings(t.deps, { digest: 'hourly', rules: { ...openDoorRules, blockedPhrases: ['holdme'] } });
      storyId = (await buildStory(t.deps, { headline: 'Harbour talks resume', slug: 'harbour-talks' })).id;
      otherStoryId = (await buildStory(t.deps, { headline: 'Ferry timetable changes', slug: 'ferry-timetable' })).id;
      thirdStoryId = (await buildStory(t.deps, { headline: 'Council meets', slug: 'council-meets' })).id;
      const { person } = await createStaffMember(t.deps, commandLineActor, {
        name: 'Mona',
        email: 'mona@newsroom.example',
        role: 'moderator',
        password: 'tide clock harbour 41',
      });
      moderator = { personId: person.id, name: person.name, role: 'moderator' };
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    let n = 0;
    /** Posts the comment form as a browser would; answers with the new comment's id. */
    const post = async (o: { email: string; author?: string; parent?: number; story?: number; notify?: boolean; text?: string }) => {
      n++;
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: { ...formHeaders, accept: 'application/json' },
        payload: form({
          comment: o.text ?? `Comment ${n} from ${o.author ?? 'a reader'}`,
          author: o.author ?? 'Reader',
          email: o.email,
          url: '',
          comment_post_ID: o.story ?? storyId,
          comment_parent: o.parent ?? 0,
          ...(o.notify ? { subscribe_comments: 'subscribe' } : {}),
        }),
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number; status: string };
    };
    /** Runs the relay (the mail written with the comment) as the background job would, and returns what arrived meanwhile. */
    const deliver = async () => {
      const before = smtp.received.length;
      await t.runtime.relay.drain();
      return smtp.received.slice(before);
    };
    const address = (email: string) =>
      t.deps.store.db.selectFrom('subscriber_addresses').selectAll().where('email', '=', email).executeTakeFirst();

    it('shows the opt-in box on the comment form, and keeps it ticked when the form comes back with errors', async () => {
      const page = await t.app.inject({ url: '/stories/harbour-talks' });
      assert.match(page.body, /<input id="subscribe_comments" name="subscribe_comments" type="checkbox" value="subscribe">/);
      assert.match(page.body, /Notify me of follow-up comments by email\./);
      const bad = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: formHeaders,
        payload: form({ comment: 'Keep me', author: '', email: 'x@example.org', comment_post_ID: storyId, subscribe_comments: 'subscribe' }),
      });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /name="subscribe_comments" type="checkbox" value="subscribe" checked>/);
    });

    it('sends the double opt-in mail once, and nothing for a second subscription from the same unconfirmed address', async () => {
      annCommentId = (await post({ email: 'ann@example.org', author: 'Ann', notify: true })).id;
      const first = await deliver();
      assert.equal(first.length, 1);
      const mail = first[0]!;
      assert.deepEqual(recipients(mail), ['ann@example.org']);
      assert.match(mail.subject ?? '', /Please confirm/);
      assert.match(mail.text ?? '', /Harbour talks resume/);
      linkIn(mail.text ?? '', '/subscriptions/confirm');
      assert.match(headerOf(mail, 'List-Unsubscribe') ?? '', /^<http:\/\/localhost:3000\/unsubscribe\?token=[^>]+>$/);
      assert.equal(headerOf(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');

      await post({ email: 'ANN@example.org', author: 'Ann', story: otherStoryId, notify: true });
      await post({ email: 'ann@example.org', author: 'Ann', notify: true });
      assert.equal((await deliver()).length, 0, 'no second confirmation within 7 days');
      const subscriptions = await t.deps.store.db.selectFrom('comment_subscriptions').select('story_id').orderBy('story_id').execute();
      assert.deepEqual(
        subscriptions.map((s) => s.story_id),
        [storyId, otherStoryId].sort((a, b) => a - b),
      );
      assert.equal((await address('ann@example.org'))?.confirmed_at, null);
    });

    it('mails nothing about a reply before the address is confirmed', async () => {
      await post({ email: 'bob@example.org', author: 'Bob', parent: annCommentId });
      assert.deepEqual(await deliver(), []);
    });

    it('confirms only when the button is pressed, not when the link is fetched', async () => {
      const confirmMail = smtp.received.find((m) => recipients(m).includes('ann@example.org'))!;
      const link = linkIn(confirmMail.text ?? '', '/subscriptions/confirm');
      const page = await t.app.inject({ url: link.pathname + link.search });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /<form method="post" action="\/subscriptions\/confirm">/);
      assert.match(page.body, /<button type="submit">Confirm<\/button>/);
      assert.equal((await address('ann@example.org'))?.confirmed_at, null, 'a GET (a mail scanner) confirms nothing');

      const tampered = await t.app.inject({ method: 'POST', url: '/subscriptions/confirm', headers: formHeaders, payload: form({ token: 'x.y' }) });
      assert.equal(tampered.statusCode, 422);
      const token = link.searchParams.get('token')!;
      const res = await t.app.inject({ method: 'POST', url: '/subscriptions/confirm', headers: formHeaders, payload: form({ token }) });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Notifications confirmed/);
      assert.notEqual((await address('ann@example.org'))?.confirmed_at, null);
    });

    it('mails the parent comment’s author about an approved reply, with one-click unsubscribe headers and without the replier’s address', async () => {
      const reply = await post({ email: 'carol@example.org', author: 'Carol', parent: annCommentId, text: 'I disagree with Ann about the harbour.' });
      assert.equal(reply.status, 'approved');
      const mails = await deliver();
      assert.equal(mails.length, 1);
      replyMail = mails[0]!;
      assert.deepEqual(recipients(replyMail), ['ann@example.org']);
      assert.match(replyMail.subject ?? '', /^Carol replied to your comment on “Harbour talks resume”$/);
      assert.match(replyMail.text ?? '', /I disagree with Ann about the harbour\./);
      assert.ok((replyMail.text ?? '').includes(`${testPublicUrl}/comment/${reply.id}`));
      const unsubscribe = headerOf(replyMail, 'List-Unsubscribe') ?? '';
      assert.match(unsubscribe, /^<http:\/\/localhost:3000\/unsubscribe\?token=[^>]+>$/);
      assert.ok((replyMail.text ?? '').includes(unsubscribe.slice(1, -1)), 'the same link is in the text');
      assert.equal(headerOf(replyMail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      const raw = replyMail.headerLines.map((h) => h.line).join('\n') + (replyMail.text ?? '');
      assert.doesNotMatch(raw, /carol@example\.org/);

      // Her own reply to her own comment mails nothing.
      await post({ email: 'ann@example.org', author: 'Ann', parent: annCommentId });
      assert.deepEqual(await deliver(), []);
      // Confirming confirmed her other subscription too; a story she never ticked the box on mails nothing.
      const elsewhere = await post({ email: 'ann@example.org', author: 'Ann', story: otherStoryId });
      await post({ email: 'dave@example.org', author: 'Dave', story: otherStoryId, parent: elsewhere.id });
      const unticked = await post({ email: 'ann@example.org', author: 'Ann', story: thirdStoryId });
      await post({ email: 'dave@example.org', author: 'Dave', story: thirdStoryId, parent: unticked.id });
      const other = await deliver();
      assert.deepEqual(other.map((m) => [recipients(m), m.subject]), [[['ann@example.org'], 'Dave replied to your comment on “Ferry timetable changes”']]);
    });

    it('mails nothing about a held reply until a moderator approves it, then once', async () => {
      const held = await post({ email: 'erin@example.org', author: 'Erin', parent: annCommentId, text: 'holdme please' });
      assert.equal(held.status, 'pending');
      assert.deepEqual(await deliver(), []);
      await moderateOne(t.deps, moderator, held.id, 'approve');
      const mails = await deliver();
      assert.equal(mails.length, 1);
      assert.deepEqual(recipients(mails[0]!), ['ann@example.org']);
      assert.match(mails[0]!.subject ?? '', /^Erin replied/);
      // Held again and approved again: Ann was told already.
      await moderateOne(t.deps, moderator, held.id, 'hold');
      await moderateOne(t.deps, moderator, held.id, 'approve');
      assert.deepEqual(await deliver(), []);
      // Spam is never notified.
      const spam = await post({ email: 'frank@example.org', author: 'Frank', parent: annCommentId, text: 'holdme again' });
      await moderateOne(t.deps, moderator, spam.id, 'spam');
      assert.deepEqual(await deliver(), []);
    });

    it('unsubscribes with a one-click POST from a mail provider (no cookie, foreign or no Origin), and mails no more', async () => {
      const url = new URL((headerOf(replyMail, 'List-Unsubscribe') ?? '').slice(1, -1));
      const path = url.pathname + url.search;
      const page = await t.app.inject({ url: path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<button type="submit">Unsubscribe<\/button>/);

      // The cross-site check still guards every other form, and a forged token is refused.
      const forged = await t.app.inject({
        method: 'POST',
        url: '/unsubscribe?token=e30.AAAA',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(forged.statusCode, 422);
      const crossSiteComment = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
        payload: form({ comment: 'x', author: 'x', email: 'x@example.org', comment_post_ID: storyId }),
      });
      assert.equal(crossSiteComment.statusCode, 403);

      const res = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net', 'sec-fetch-site': 'cross-site' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /You will not get any more reply notifications for this story/);
      // Some providers send multipart/form-data and no Origin at all; repeating changes nothing.
      const multipart = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        payload: '--xyz\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--xyz--\r\n',
      });
      assert.equal(multipart.statusCode, 200);

      await post({ email: 'greta@example.org', author: 'Greta', parent: annCommentId });
      assert.deepEqual(await deliver(), []);
    });

    it('"never email me again" from the confirmation mail suppresses the address for good', async () => {
      await post({ email: 'hal@example.org', author: 'Hal', notify: true });
      const [confirmMail] = await deliver();
      assert.ok(confirmMail);
      const url = new URL((headerOf(confirmMail, 'List-Unsubscribe') ?? '').slice(1, -1));
      assert.ok((confirmMail.text ?? '').includes(url.href));
      const page = await t.app.inject({ url: url.pathname + url.search });
      assert.match(page.body, /Never email me again/);
      const res = await t.app.inject({ method: 'POST', url: url.pathname + url.search, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.statusCode, 200);
      assert.notEqual((await address('hal@example.org'))?.suppressed_at, null);

      // Even after the 7-day pause, and even if the old confirmation link is used, nothing more goes there.
      clock.advance(8 * 86_400_000);
      const hal = await post({ email: 'hal@example.org', author: 'Hal', notify: true });
      assert.deepEqual(await deliver(), []);
      const token = linkIn(confirmMail.text ?? '', '/subscriptions/confirm').searchParams.get('token')!;
      const confirmed = await t.app.inject({ method: 'POST', url: '/subscriptions/confirm', headers: formHeaders, payload: form({ token }) });
      assert.match(confirmed.body, /Notifications are off for this address/);
      await post({ email: 'ivy@example.org', author: 'Ivy', parent: hal.id });
      assert.deepEqual(await deliver(), []);

      // An unconfirmed (not suppressed) address gets a new confirmation only after 7 days.
      await post({ email: 'jo@example.org', author: 'Jo', notify: true });
      assert.equal((await deliver()).length, 1);
      clock.advance(6 * 86_400_000);
      await post({ email: 'jo@example.org', author: 'Jo', notify: true });
      assert.equal((await deliver()).length, 0);
      clock.advance(2 * 86_400_000);
      await post({ email: 'jo@example.org', author: 'Jo', notify: true });
      assert.equal((await deliver()).length, 1);
    });

    it('mails the digest of held comments to moderators only, at most hourly, honouring opt-outs, once across nodes', async () => {
      const staff = async (name: string, role: string) =>
        createStaffMember(t.deps, commandLineActor, { name, email: `${name.toLowerCase()}@newsroom.example`, role, password: 'tide clock harbour 41' });
      await staff('Ed', 'editor');
      await staff('Abe', 'author');
      await staff('Dora', 'moderator');
      await setDisabled(t.deps, commandLineActor, { email: 'dora@newsroom.example', disabled: true });

      await post({ email: 'nia@example.org', author: 'Nia', text: 'holdme for the digest' });
      clock.advance(2 * 3_600_000);
      // Two nodes at once: the conditional update lets exactly one send.
      const counts = await Promise.all([sendModerationDigest(t.deps, { everyMs: 3_600_000 }), sendModerationDigest(t.deps, { everyMs: 3_600_000 })]);
      assert.deepEqual(counts.sort(), [0, 2]);
      const mails = await deliver();
      assert.deepEqual(mails.map(recipients).flat().sort(), ['ed@newsroom.example', 'mona@newsroom.example']);
      const digest = mails[0]!;
      assert.match(digest.subject ?? '', /awaiting moderation/);
      assert.match(digest.text ?? '', /Nia on “Harbour talks resume”:\n {2}holdme for the digest/);
      assert.ok((digest.text ?? '').includes(`${testPublicUrl}/admin/comments`));
      assert.doesNotMatch(digest.text ?? '', /@example\.org/, 'no commenter addresses in mail');
      assert.equal(headerOf(digest, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');

      // Nothing new held: no digest, however long it has been.
      clock.advance(2 * 3_600_000);
      assert.equal(await t.runtime.digest.tick(), 0);

      // Ed opts out with one click; a new held comment goes to Mona alone, and not before the hour is up.
      const edMail = mails.find((m) => recipients(m).includes('ed@newsroom.example'))!;
      const optOut = new URL((headerOf(edMail, 'List-Unsubscribe') ?? '').slice(1, -1));
      const res = await t.app.inject({ method: 'POST', url: optOut.pathname + optOut.search, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.match(res.body, /You will not get the moderation digest any more/);
      await post({ email: 'kim@example.org', author: 'Kim', text: 'holdme three' });
      assert.equal(await t.runtime.digest.tick(), 1);
      const next = await deliver();
      assert.deepEqual(next.map(recipients), [['mona@newsroom.example']]);
      assert.match(next[0]!.subject ?? '', /^1 comment awaiting moderation/);
      await post({ email: 'lee@example.org', author: 'Lee', text: 'holdme four' });
      clock.advance(30 * 60_000);
      assert.equal(await t.runtime.digest.tick(), 0, 'hourly: not yet');
      clock.advance(31 * 60_000);
      assert.equal(await t.runtime.digest.tick(), 1);
      await useCommentSettings(t.deps, { digest: 'off', rules: { ...openDoorRules, blockedPhrases: ['holdme'] } });
      await post({ email: 'max@example.org', author: 'Max', text: 'holdme five' });
      clock.advance(2 * 3_600_000);
      assert.equal(await t.runtime.digest.tick(), 0, 'off');
      await deliver();
    });
  });
}
