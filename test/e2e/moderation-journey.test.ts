// The comment journey of issue 4 in Chromium, with the site's default rules and a real SMTP server:
// a first-time commenter (JavaScript on) asks for reply notifications and is held, seeing her comment
// in place as awaiting moderation while nobody else does; she confirms the opt-in mail; a moderator
// signs in and approves her from the queue; a second reader (JavaScript off) replies, is held too,
// and is approved from the queue; the reply notification arrives at the SMTP server with the
// one-click unsubscribe headers. The relay is drained by the test where the background job would run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { buildStory } from '../builders/stories.js';
import { databaseMatrix } from '../harness/databases.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { headerOf, startTestSmtp, type TestSmtp } from '../harness/smtp.js';
import { eventually } from '../harness/wait.js';
import { SignInPage } from './pages/sign-in-page.js';
import { useBrowserSuite, type BrowserSuite } from './support/suite.js';

const noChromium = skipUnless(probeChromium());
const password = 'tide clock harbour 41';
const moderator = { name: 'Mo Moderator', email: 'mo@example.org', role: 'moderator' } as const;
const ann = { author: 'Ann Reader', email: 'ann.reader@example.net', comment: 'The readout leaves out who asked for the call.' };
const bob = { author: 'Bob Islander', email: 'bob@example.com', comment: 'It was the union, according to the radio.' };

async function statusOf(suite: BrowserSuite, id: number): Promise<string> {
  return (await suite.t.deps.store.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

/** Mail the relay has sent to `to` so far (the test drains the relay as the background job would). */
async function mailTo(suite: BrowserSuite, smtp: TestSmtp, to: string) {
  await suite.t.runtime.relay.drain();
  return smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((a) => a.address === to));
}

/** The moderator approves one comment from the "needs attention" queue by its button. */
async function approveFromQueue(queue: Page, baseUrl: string, id: number): Promise<void> {
  await queue.goto(`${baseUrl}/admin/comments`);
  const item = queue.locator(`#c-${id}`);
  await item.waitFor();
  await Promise.all([queue.waitForURL(/done=approve/), item.getByRole('button', { name: 'Approve', exact: true }).click()]);
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`the comment journey in Chromium on ${kind}`, { skip: skip ?? noChromium }, () => {
    let smtp: TestSmtp | undefined;
    const env: Record<string, string> = {};
    // Registered before the suite's own hooks: the app is built with the SMTP server's address.
    before(async () => {
      smtp = await startTestSmtp();
      env.SMTP_URL = smtp.url;
    });
    after(async () => {
      await smtp?.close();
    });
    const suite = useBrowserSuite(kind, { env });
    let path = '';
    before(async () => {
      await createStaffMember(suite.t.deps, commandLineActor, { ...moderator, password });
      path = `/stories/${(await buildStory(suite.t.deps, { headline: 'Harbour talks resume', slug: 'harbour-talks-resume' })).slug}`;
    });

    it('holds a first-time commenter, lets the moderator approve her, and mails her the approved reply', async () => {
      const mail = smtp as TestSmtp;

      // Ann, with JavaScript, asks to be notified and posts: she sees her comment in place, held.
      const annStory = await suite.openStory(path, { javaScript: true });
      await annStory.fillForm({ author: ann.author, email: ann.email, comment: ann.comment });
      await annStory.page.getByLabel('Notify me of follow-up comments by email.').check();
      const posted = await annStory.post();
      assert.equal(posted.status(), 201);
      const annId = ((await posted.json()) as { id: number; status: string }).id;
      assert.equal(await statusOf(suite, annId), 'pending');
      await annStory.comment(annId).locator('.comment-awaiting-moderation', { hasText: 'Your comment is awaiting moderation.' }).waitFor();
      // After a reload it is still there for her (fetched per browser), and nowhere for anyone else.
      await annStory.reload();
      await annStory.comment(annId).locator('.comment-awaiting-moderation').waitFor();
      const stranger = await suite.openStory(path, { javaScript: true });
      assert.equal(await stranger.comment(annId).count(), 0, 'a held comment is shown to its author only');

      // The one opt-in mail; she confirms with the button behind its link.
      await eventually(async () => (await mailTo(suite, mail, ann.email)).length === 1);
      const [optIn] = await mailTo(suite, mail, ann.email);
      assert.ok(optIn);
      assert.equal(headerOf(optIn, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click', 'even the opt-in mail has one-click unsubscribe');
      const confirmUrl = /To confirm, open this link and press "Confirm":\s+(\S+)/.exec(optIn.text ?? '')?.[1];
      assert.ok(confirmUrl, `a link in the opt-in mail:\n${optIn.text}`);
      const confirmPage = annStory.page;
      await confirmPage.goto(confirmUrl.replace(/^https?:\/\/[^/]+/, suite.baseUrl));
      await Promise.all([confirmPage.waitForLoadState(), confirmPage.getByRole('button', { name: 'Confirm' }).click()]);
      await confirmPage.getByText(/confirmed/i).first().waitFor();

      // The moderator signs in on the way to the queue and approves Ann.
      const { page: queue } = await suite.newPage({ javaScript: true });
      const signIn = new SignInPage(queue, suite.baseUrl);
      await signIn.gotoVia('/admin/comments');
      await signIn.signInAndFollow(moderator.email, password, '/admin/comments');
      assert.match(await queue.locator(`#c-${annId}`).innerText(), /first-time/i, 'the queue gives the rule that held her');
      await approveFromQueue(queue, suite.baseUrl, annId);
      assert.equal(await statusOf(suite, annId), 'approved');

      // Bob, without JavaScript, replies to Ann: he is a first-time commenter too, and is held.
      const bobStory = await suite.openStory(path, { javaScript: false });
      await bobStory.comment(annId).waitFor();
      await Promise.all([bobStory.page.waitForURL(/replytocom=/), bobStory.replyLinkOf(annId).click()]);
      await bobStory.fillForm({ author: bob.author, email: bob.email, comment: bob.comment });
      const replied = await bobStory.post();
      assert.equal(replied.status(), 303);
      const bobId = Number(/#comment-(\d+)$/.exec(replied.headers().location ?? '')?.[1]);
      await bobStory.page.waitForURL(/unapproved=/);
      await bobStory.comment(bobId).locator('.comment-awaiting-moderation').waitFor();
      assert.equal(await statusOf(suite, bobId), 'pending');
      assert.equal((await mailTo(suite, mail, ann.email)).length, 1, 'no reply mail while the reply is held');

      // The moderator approves Bob's reply; Ann gets the notification, with one-click unsubscribe.
      await approveFromQueue(queue, suite.baseUrl, bobId);
      await eventually(async () => (await mailTo(suite, mail, ann.email)).length === 2);
      const notification = (await mailTo(suite, mail, ann.email))[1];
      assert.ok(notification);
      assert.match(notification.text ?? '', new RegExp(bob.author));
      assert.match(notification.text ?? '', new RegExp(`/comment/${bobId}`));
      assert.ok(!(notification.text ?? '').includes(bob.email), "the replier's address is never in the mail");
      assert.match(headerOf(notification, 'List-Unsubscribe') ?? '', /^<https?:\/\/.+\/unsubscribe\?token=.+>$/);
      assert.equal(headerOf(notification, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.equal((await mailTo(suite, mail, bob.email)).length, 0, 'Bob asked for nothing and gets nothing');

      // Everyone now sees the thread: Bob's reply under Ann's comment.
      const reader = await suite.openStory(path, { javaScript: false });
      await reader.repliesOf(annId).filter({ hasText: bob.comment }).waitFor();
    });
  });
}
