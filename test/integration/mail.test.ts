import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { startTestSmtp, type TestSmtp } from '../harness/smtp.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const password = 'tide clock harbour 41';
const linkIn = (text: string) => /http:\/\/localhost:3000\/admin\/reset-password\?token=([\w-]+)/.exec(text)?.[1];

for (const { kind, skip } of await databaseMatrix()) {
  describe(`password reset mail through the outbox on ${kind}`, { skip }, () => {
    let smtp: TestSmtp;
    let t: TestApp;
    const clock = new FakeClock();
    before(async () => {
      smtp = await startTestSmtp();
      t = await createTestApp({ db: kind, clock, env: { SMTP_URL: smtp.url } });
      await createStaffMember(t.deps, commandLineActor, { name: 'Rita Reporter', email: 'rita@example.org', role: 'author', password });
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });
    const forgot = (email: string) => t.app.inject({ method: 'POST', url: '/admin/forgot-password', headers: formHeaders, payload: form({ email }) });
    const pending = async () =>
      Number((await t.deps.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('topic', '=', 'mail.requested').where('handled_at', 'is', null).executeTakeFirstOrThrow()).n);

    it('answers the same for unknown addresses and writes no mail for them', async () => {
      const unknown = await forgot('nobody@example.org');
      assert.equal(unknown.statusCode, 200);
      assert.match(unknown.body, /If nobody@example.org belongs to a staff account, a link/);
      assert.equal(await pending(), 0);
    });

    it('mails a one-use link over SMTP that sets a new password and ends old sessions', async () => {
      const old = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'rita@example.org', password }) });
      const oldCookie = String(old.headers['set-cookie']).split(';')[0] as string;
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie: oldCookie } })).statusCode, 200);
      await forgot('RITA@example.org');
      assert.equal(await t.runtime.relay.drain(), 1);
      assert.equal(smtp.received.length, 1);
      const mail = smtp.received[0];
      assert.equal(mail?.subject, 'Reset your newsroom password');
      assert.match(String(mail?.to && 'text' in mail.to ? mail.to.text : ''), /rita@example.org/);
      const token = linkIn(mail?.text ?? '');
      assert.ok(token);
      const row = await t.deps.store.db.selectFrom('outbox').select(['payload', 'handled_at']).where('topic', '=', 'mail.requested').executeTakeFirstOrThrow();
      assert.ok(row.handled_at);
      assert.doesNotMatch(row.payload, /reset-password/, 'the link is not kept after delivery');

      const page = await t.app.inject({ url: `/admin/reset-password?token=${token}` });
      assert.match(page.body, /Choose a new password/);
      const weak = await t.app.inject({ method: 'POST', url: '/admin/reset-password', headers: formHeaders, payload: form({ token: token as string, next: 'short', confirm: 'short' }) });
      assert.equal(weak.statusCode, 422);
      const next = 'lantern quay ninety 7';
      const done = await t.app.inject({ method: 'POST', url: '/admin/reset-password', headers: formHeaders, payload: form({ token: token as string, next, confirm: next }) });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Your password is set/);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie: oldCookie } })).statusCode, 303, 'old session ended');
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'rita@example.org', password: next }) });
      assert.equal(signIn.statusCode, 303);
      const again = await t.app.inject({ method: 'POST', url: '/admin/reset-password', headers: formHeaders, payload: form({ token: token as string, next: 'another good one 42', confirm: 'another good one 42' }) });
      assert.equal(again.statusCode, 422);
      assert.match(again.body, /expired or was already used/);
    });

    it('retries a refused delivery later and sends it exactly once', async () => {
      const before = smtp.received.length;
      smtp.failNext = 1;
      await forgot('rita@example.org');
      assert.equal(await t.runtime.relay.drain(), 0);
      const failed = await t.deps.store.db.selectFrom('outbox').select(['attempts', 'last_error', 'handled_at']).where('topic', '=', 'mail.requested').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(failed.attempts, 1);
      assert.match(failed.last_error ?? '', /Try again later/);
      assert.equal(failed.handled_at, null);
      assert.equal(await t.runtime.relay.drain(), 0, 'not before its back-off has passed');
      clock.advance(60_000);
      assert.equal(await t.runtime.relay.drain(), 1);
      assert.equal(await t.runtime.relay.drain(), 0);
      assert.equal(smtp.received.length, before + 1);
    });

    it('lets an admin invite staff by email, change roles and disable accounts', async () => {
      await createStaffMember(t.deps, commandLineActor, { name: 'Ada Admin', email: 'ada@example.org', role: 'admin', password });
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'ada@example.org', password }) });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] as string;
      const page = await t.app.inject({ url: '/admin/people', headers: { cookie } });
      assert.equal(page.statusCode, 200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const post = (url: string, fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie }, payload: form({ _csrf: csrf, ...fields }) });
      const bad = await post('/admin/people', { name: 'Nina', email: 'not-an-email', role: 'author' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Give a valid email address./);
      assert.match(bad.body, /value="Nina"/);
      const before = smtp.received.length;
      const invited = await post('/admin/people', { name: 'Nina New', email: 'nina@example.org', role: 'author' });
      assert.match(invited.body, /Invitation sent to nina@example.org./);
      await t.runtime.relay.drain();
      assert.equal(smtp.received.length, before + 1);
      const token = linkIn(smtp.received.at(-1)?.text ?? '');
      const next = 'harbour lights 2026 x';
      const set = await t.app.inject({ method: 'POST', url: '/admin/reset-password', headers: formHeaders, payload: form({ token: token ?? '', next, confirm: next }) });
      assert.equal(set.statusCode, 200);
      const nina = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'nina@example.org', password: next }) });
      assert.equal(nina.headers.location, '/admin');
      assert.match((await post('/admin/people/role', { email: 'nina@example.org', role: 'editor' })).body, /Nina New is now editor./);
      const ninaCookie = String(nina.headers['set-cookie']).split(';')[0] as string;
      assert.match((await post('/admin/people/disable', { email: 'nina@example.org' })).body, /is disabled and signed out/);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie: ninaCookie } })).statusCode, 303);
      const selfLock = await post('/admin/people/disable', { email: 'ada@example.org' });
      assert.equal(selfLock.statusCode, 409);
      assert.match(selfLock.body, /last administrator/);
      const editorView = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'rita@example.org', password: 'lantern quay ninety 7' }) });
      const ritaCookie = String(editorView.headers['set-cookie']).split(';')[0] as string;
      assert.equal((await t.app.inject({ url: '/admin/people', headers: { cookie: ritaCookie } })).statusCode, 403);
    });

    it('limits reset mails to three an hour per account', async () => {
      clock.advance(2 * 60 * 60_000);
      for (let i = 0; i < 5; i++) await forgot('rita@example.org');
      assert.equal(await pending(), 3);
    });
  });
}

describe('mail without SMTP_URL', () => {
  it('is written as an .eml file under the data folder', async () => {
    const t = await createTestApp({ db: 'sqlite' });
    try {
      await createStaffMember(t.deps, commandLineActor, { name: 'Eve Editor', email: 'eve@example.org', role: 'editor', password });
      await t.app.inject({ method: 'POST', url: '/admin/forgot-password', headers: formHeaders, payload: form({ email: 'eve@example.org' }) });
      assert.equal(await t.runtime.relay.drain(), 1);
      const dir = t.deps.config.mail.outboxDir;
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
      assert.equal(files.length, 1);
      const eml = fs.readFileSync(path.join(dir, files[0] as string), 'utf8');
      assert.match(eml, /^To: eve@example.org$/m);
      assert.match(eml, /^Subject: Reset your newsroom password$/m);
      assert.ok(linkIn(eml.replace(/=\n/g, '')));
    } finally {
      await t.close();
    }
  });
});
