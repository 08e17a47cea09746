import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/db/database.js';
import { loadConfig } from '../../src/config/config.js';
import { emailKey } from '../../src/lib/email-key.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';
import { freePort, httpRequest, ServerProcess } from '../harness/server-process.js';
import { startTestSmtp, type TestSmtp } from '../harness/smtp.js';
import { eventually } from '../harness/wait.js';

/**
 * Acceptance (issue 4, point 5): all mail goes through the outbox, so a crash never loses a reply
 * notification and never sends one twice, or one for a comment that was not stored. A real server
 * process stores a reply whose notification is due; the notification is written to the outbox but
 * cannot be sent yet (the mail server is not up), and the process is killed with SIGKILL. After a
 * restart, with the mail server up, the notification arrives exactly once.
 */

const storySlug = 'harbour-authority-and-dockworkers-agree-to-resume-talks';
const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();

for (const { kind, skip } of await databaseMatrix()) {
  describe(`reply notification across a kill -9 on ${kind}`, { skip }, () => {
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    let smtp: TestSmtp | undefined;
    const servers: ServerProcess[] = [];

    after(async () => {
      for (const server of servers) await server.kill('SIGKILL').catch(() => {});
      await store?.destroy();
      await smtp?.close();
      await database?.drop();
    });

    it('sends the notification exactly once after a restart, and none for a comment that was not stored', { timeout: 120_000 }, async () => {
      database = await createTestDatabase(kind);
      const port = await freePort();
      // Nothing listens here until after the kill: the mail can be written to the outbox but not sent.
      const smtpPort = await freePort();
      const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, READOUT_COMMENT_RATE_IP: 'off', READOUT_COMMENT_RATE_EMAIL: 'off' };
      const first = await ServerProcess.start({ databaseUrl: database.url, port, env });
      servers.push(first);
      store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      const db = store.db;
      await useCommentSettings({ store }, { rules: openDoorRules });

      const page = await httpRequest({ port, path: `/stories/${storySlug}` });
      const storyId = Number(/name="comment_post_ID" value="(\d+)"/.exec(page.body)?.[1]);
      assert.ok(storyId > 0);
      const post = (fields: Record<string, string | number>) =>
        httpRequest({
          port,
          path: '/comments',
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form({ url: '', comment_post_ID: storyId, comment_parent: 0, ...fields }),
        });

      // Ann's comment, and her confirmed subscription to the story (the opt-in itself is tested in
      // test/integration/notifications.test.ts).
      const ann = await post({ comment: 'The harbour deal is overdue.', author: 'Ann', email: 'ann@example.org' });
      assert.equal(ann.status, 201, ann.body);
      const annId = (JSON.parse(ann.body) as { id: number }).id;
      const salt = (await db.selectFrom('settings').select('value').where('key', '=', 'ip_salt').executeTakeFirstOrThrow()).value;
      const key = emailKey(salt, 'ann@example.org');
      const now = new Date().toISOString();
      await db.insertInto('subscriber_addresses').values({ email_key: key, email: 'ann@example.org', created_at: now, confirmed_at: now }).execute();
      await db.insertInto('comment_subscriptions').values({ email_key: key, story_id: storyId, created_at: now }).execute();

      // Bob's reply is stored; its notification is derived into the outbox and its sending fails.
      const reply = await post({ comment: 'Overdue, and still welcome.', author: 'Bob', email: 'bob@example.org', comment_parent: annId });
      assert.equal(reply.status, 201, reply.body);
      const replyId = (JSON.parse(reply.body) as { id: number }).id;
      const pendingMail = () =>
        db
          .selectFrom('outbox')
          .selectAll()
          .where('topic', '=', 'mail.requested')
          .where('payload', 'like', '%ann@example.org%')
          .execute();
      await eventually(async () => (await pendingMail()).some((r) => r.attempts >= 1), 10_000);
      const [written] = await pendingMail();
      assert.ok(written);
      assert.equal(written.handled_at, null, 'written to the outbox, not sent');

      // A reply refused by validation is not stored, so nothing about it may ever be mailed.
      const refused = await post({ comment: 'Never stored', author: '', email: 'carol@example.org', comment_parent: annId });
      assert.equal(refused.status, 422);

      const exit = await first.kill('SIGKILL');
      assert.equal(exit.signal, 'SIGKILL');

      smtp = await startTestSmtp({ port: smtpPort });
      const second = await ServerProcess.start({ databaseUrl: database.url, port, env });
      servers.push(second);
      // The row is retried after its back-off (10 s after the failed attempt).
      await eventually(async () => (await pendingMail()).every((r) => r.handled_at !== null) && smtp!.received.length > 0, 30_000);

      const toAnn = smtp.received.filter((m) => JSON.stringify(m.to).includes('ann@example.org'));
      assert.equal(toAnn.length, 1, 'exactly once');
      assert.match(toAnn[0]!.subject ?? '', /^Bob replied to your comment/);
      assert.ok((toAnn[0]!.text ?? '').includes(`/comment/${replyId}`));
      assert.equal(smtp.received.length, 1, 'nothing else was sent: no mail about the refused comment');
      assert.equal(await db.selectFrom('comments').select('id').where('body_source', '=', 'Never stored').executeTakeFirst(), undefined);
      assert.equal((await pendingMail()).length, 1);
      await second.kill('SIGTERM');
    });
  });
}
