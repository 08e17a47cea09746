import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError, ValidationError } from '../../src/errors.js';
import { commandLineActor, createStaffMember, resetPassword, setRole } from '../../src/modules/people/index.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`staff accounts and sign-in on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    const password = 'tide clock harbour 41';
    before(async () => {
      t = await createTestApp({ db: kind, clock });
      await createStaffMember(t.deps, commandLineActor, { name: 'Edith Editor', email: 'Edith@Example.org', role: 'editor', password });
    });
    after(() => t?.close());

    const signIn = (email: string, pass: string, ip = '127.0.0.1') =>
      t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email, password: pass }), remoteAddress: ip });

    it('signs in with a session cookie that is HttpOnly and SameSite=Lax, and shows the dashboard', async () => {
      const res = await signIn('edith@example.org', password);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin');
      const setCookie = String(res.headers['set-cookie']);
      assert.match(setCookie, /^readout_session=[^;]{20,}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
      const dashboard = await t.app.inject({ url: '/admin', headers: { cookie: cookieOf(res.headers['set-cookie']) } });
      assert.equal(dashboard.statusCode, 200);
      assert.match(dashboard.body, /Signed in as <strong>Edith Editor<\/strong> \(editor\)/);
      assert.equal(dashboard.headers['cache-control'], 'no-store');
    });

    it('gives one message for a wrong password and an unknown account, and writes no session', async () => {
      const wrong = await signIn('edith@example.org', 'not the password');
      const unknown = await signIn('nobody@example.org', password);
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401);
        assert.match(res.body, /The email address or password is not correct./);
        assert.equal(res.headers['set-cookie'], undefined);
      }
      assert.match(wrong.body, /value="edith@example.org"/);
    });

    it('sends visitors without a session to the sign-in page, and refuses their posts', async () => {
      const res = await t.app.inject({ url: '/admin' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/sign-in?next=%2Fadmin');
      const post = await t.app.inject({ method: 'POST', url: '/admin/sign-out', headers: formHeaders, payload: form({ _csrf: 'x' }) });
      assert.equal(post.statusCode, 401);
    });

    it('refuses a state-changing admin form without the session CSRF token', async () => {
      const cookie = cookieOf((await signIn('edith@example.org', password)).headers['set-cookie']);
      const res = await t.app.inject({ method: 'POST', url: '/admin/sign-out-everywhere', headers: { ...formHeaders, cookie }, payload: form({}) });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /This form has expired or did not come from this site/);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 200);
    });

    it('refuses a sign-in posted from another site', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/sign-in',
        headers: { ...formHeaders, origin: 'https://evil.example' },
        payload: form({ email: 'edith@example.org', password }),
      });
      assert.equal(res.statusCode, 403);
    });

    it('signs out this session, and everywhere', async () => {
      const first = cookieOf((await signIn('edith@example.org', password)).headers['set-cookie']);
      const second = cookieOf((await signIn('edith@example.org', password)).headers['set-cookie']);
      const page = (await t.app.inject({ url: '/admin', headers: { cookie: first } })).body;
      const out = await t.app.inject({ method: 'POST', url: '/admin/sign-out', headers: { ...formHeaders, cookie: first }, payload: form({ _csrf: csrfOf(page) }) });
      assert.equal(out.statusCode, 200);
      assert.match(out.body, /You are signed out./);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie: first } })).statusCode, 303);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie: second } })).statusCode, 200);
      const third = cookieOf((await signIn('edith@example.org', password)).headers['set-cookie']);
      const page3 = (await t.app.inject({ url: '/admin', headers: { cookie: third } })).body;
      const everywhere = await t.app.inject({
        method: 'POST',
        url: '/admin/sign-out-everywhere',
        headers: { ...formHeaders, cookie: third },
        payload: form({ _csrf: csrfOf(page3) }),
      });
      assert.match(everywhere.body, /signed out on every device/);
      for (const cookie of [second, third]) assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 303);
    });

    it('makes a person with a one-time password choose a new one first', async () => {
      const { temporaryPassword } = await resetPassword(t.deps, commandLineActor, { email: 'edith@example.org' });
      const res = await signIn('edith@example.org', temporaryPassword);
      assert.equal(res.headers.location, '/admin/password');
      const cookie = cookieOf(res.headers['set-cookie']);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).headers.location, '/admin/password');
      const page = await t.app.inject({ url: '/admin/password', headers: { cookie } });
      assert.match(page.body, /Choose your own before you continue/);
      const change = (fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: '/admin/password', headers: { ...formHeaders, cookie }, payload: form({ _csrf: csrfOf(page.body), ...fields }) });
      const bad = await change({ current: 'wrong', next: 'short', confirm: 'other' });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /This is not your current password./);
      assert.match(bad.body, /Use at least 12 characters./);
      assert.match(bad.body, /The two new passwords are not the same./);
      const good = await change({ current: temporaryPassword, next: password, confirm: password });
      assert.equal(good.statusCode, 303);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 200);
    });

    it('throttles repeated failures per account, with a message saying when to try again', async () => {
      await createStaffMember(t.deps, commandLineActor, { name: 'Target', email: 'target@example.org', role: 'author', password });
      for (let i = 0; i < 5; i++) assert.equal((await signIn('target@example.org', `wrong ${i}`, `192.0.2.${i}`)).statusCode, 401);
      const blocked = await signIn('target@example.org', password, '192.0.2.99');
      assert.equal(blocked.statusCode, 429);
      assert.match(blocked.body, /Too many failed sign-ins for this account. Try again in 15 minutes./);
      clock.advance(15 * 60 * 1000 + 1);
      assert.equal((await signIn('target@example.org', password, '192.0.2.99')).statusCode, 303);
    });

    it('throttles repeated failures from one address across accounts', async () => {
      for (let i = 0; i < 20; i++) await signIn(`someone${i}@example.org`, 'wrong', '198.51.100.7');
      const blocked = await signIn('edith@example.org', password, '198.51.100.7');
      assert.equal(blocked.statusCode, 429);
      assert.match(blocked.body, /from your network/);
      clock.advance(15 * 60 * 1000 + 1);
    });

    it('checks account rules in the domain: unique email, valid role, the last admin stays', async () => {
      await assert.rejects(
        createStaffMember(t.deps, commandLineActor, { name: 'Dup', email: 'EDITH@example.org', role: 'author' }),
        (e: Error) => e instanceof DomainError && e.code === 'PERSON_EMAIL_TAKEN',
      );
      await assert.rejects(
        createStaffMember(t.deps, commandLineActor, { name: 'X', email: 'x@example.org', role: 'boss' }),
        (e: Error) => e instanceof ValidationError && /Choose one of/.test(e.fieldErrors.role ?? ''),
      );
      const editor = { personId: 1, name: 'Edith', role: 'editor' as const };
      await assert.rejects(createStaffMember(t.deps, editor, { name: 'Y', email: 'y@example.org', role: 'author' }), /does not allow/);
      await createStaffMember(t.deps, commandLineActor, { name: 'Only Admin', email: 'admin@example.org', role: 'admin', password });
      await assert.rejects(setRole(t.deps, commandLineActor, { email: 'admin@example.org', role: 'editor' }), /last administrator/);
    });

    it('ends sessions after 14 days without use', async () => {
      const cookie = cookieOf((await signIn('edith@example.org', password)).headers['set-cookie']);
      clock.advance(13 * 24 * 60 * 60 * 1000);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 200);
      clock.advance(13 * 24 * 60 * 60 * 1000);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 200, 'renewed by use');
      clock.advance(15 * 24 * 60 * 60 * 1000);
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 303);
    });
  });
}
