import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { approveComment } from '../../src/modules/comments/index.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { deliverWebhook } from '../../src/modules/webhooks/index.js';
import { appendEvent } from '../../src/platform/outbox.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { databaseMatrix } from '../harness/databases.js';

const password = 'tide clock harbour 41';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string | number | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  return params.toString();
};
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const secretOf = (page: string) => /id="new-secret-value" type="text" readonly value="([^"]+)"/.exec(page)?.[1] ?? '';
const allEvents = ['comment.created', 'comment.held', 'comment.approved', 'comment.reported'];

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: records every request and answers with the queued status codes (200 once empty). */
async function startReceiver() {
  const received: Received[] = [];
  /** Every body ever received (never cleared). */
  const bodies: string[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      bodies.push(received[received.length - 1]!.body);
      const status = answers.shift() ?? 200;
      if (status >= 300 && status < 400) res.setHeader('location', '/moved');
      res.writeHead(status, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/readout`,
    received,
    bodies,
    answers,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver does (docs/webhooks.md), written here independently of the server's code. */
function verify(secret: string, r: Received): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${r.headers['x-readout-timestamp']}.${r.body}`).digest('hex')}`;
  return r.headers['x-readout-signature'] === expected;
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`webhooks on ${kind}`, { skip }, () => {
    let t: TestApp;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const clock = new FakeClock();
    const session: Record<string, { cookie: string; csrf: string }> = {};
    let admin: Actor;
    let storyId: number;
    let posts = 0;

    before(async () => {
      t = await createTestApp({ db: kind, clock });
      receiver = await startReceiver();
      for (const role of ['admin', 'author'] as const) {
        const { person } = await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        if (role === 'admin') admin = { personId: person.id, name: person.name, role };
        const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: `${role}@example.org`, password }) });
        const cookie = cookieOf(signIn.headers['set-cookie']);
        const dashboard = await t.app.inject({ url: '/admin', headers: { cookie } });
        session[role] = { cookie, csrf: csrfOf(dashboard.body) };
      }
      storyId = (await buildStory(t.deps, { headline: 'Harbour <works> resume', slug: 'harbour-works' })).id;
    });
    after(async () => {
      await receiver?.close();
      await t?.close();
    });
    beforeEach(() => {
      receiver.received.length = 0;
      receiver.answers.length = 0;
    });

    const as = (role: string) => session[role] as { cookie: string; csrf: string };
    const adminPost = (url: string, fields: Record<string, string | string[]> = {}, role = 'admin') =>
      t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: as(role).cookie }, payload: form({ _csrf: as(role).csrf, ...fields }) });
    const adminGet = (url: string, role = 'admin') => t.app.inject({ url, headers: { cookie: as(role).cookie } });
    /** The webhook.requested rows were written with the comment event; the relay delivers them. */
    const deliver = async () => {
      await t.runtime.relay.drain();
    };
    /** Posts a comment as a reader over HTTP; returns the stored comment's id and status. */
    const postComment = async (o: { email?: string } = {}) => {
      posts++;
      const res = await t.app.inject({
        method: 'POST',
        url: '/comments',
        headers: formHeaders,
        remoteAddress: `198.51.100.${posts}`,
        payload: form({ comment: `Comment number ${posts} about the harbour works.`, author: `Reader ${posts}`, email: o.email ?? `reader${posts}@example.org`, url: '', comment_post_ID: storyId, comment_parent: 0 }),
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return t.deps.store.db.selectFrom('comments').select(['id', 'status']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    };
    const createHook = async (events: string[] = allEvents, url = receiver.url) => {
      const res = await adminPost('/admin/webhooks', { url, description: 'Comments channel', events });
      assert.equal(res.statusCode, 200);
      const secret = secretOf(res.body);
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      const { id } = await t.deps.store.db.selectFrom('webhooks').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      return { id, secret };
    };
    const disableAll = () => t.deps.store.db.updateTable('webhooks').set({ active: 0 }).execute();
    const deliveries = (webhookId: number) =>
      t.deps.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id').execute();

    it('lets administrators only manage webhooks, and links the screen from their dashboard', async () => {
      assert.equal((await adminGet('/admin/webhooks', 'author')).statusCode, 403);
      const refused = await adminPost('/admin/webhooks', { url: receiver.url, events: allEvents }, 'author');
      assert.equal(refused.statusCode, 403);
      assert.doesNotMatch((await adminGet('/admin', 'author')).body, /href="\/admin\/webhooks"/);
      assert.match((await adminGet('/admin')).body, /href="\/admin\/webhooks"/);
      const page = await adminGet('/admin/webhooks');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /No webhooks yet/);
      const noCsrf = await t.app.inject({ method: 'POST', url: '/admin/webhooks', headers: { ...formHeaders, cookie: as('admin').cookie }, payload: form({ url: receiver.url, events: allEvents }) });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await t.deps.store.db.selectFrom('webhooks').select('id').execute()).length, 0);
    });

    it('re-renders a bad form with 422, keeping what was typed and naming each bad field', async () => {
      const res = await adminPost('/admin/webhooks', { url: 'ftp://example.org/hook', description: 'Chat <ops>', events: ['comment.held'] });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /<input id="url" name="url" type="url" value="ftp:\/\/example.org\/hook"/);
      assert.match(res.body, /value="Chat &lt;ops&gt;"/);
      assert.match(res.body, /<span id="url-error" class="field-error">Use an http:\/\/ or https:\/\/ address.<\/span>/);
      assert.match(res.body, /id="event-comment.held" name="events" value="comment.held" checked>/);
      assert.match(res.body, /id="event-comment.created" name="events" value="comment.created">/);
      const none = await adminPost('/admin/webhooks', { url: 'https://chat.example.org/x', description: '' });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /Choose at least one event to send./);
      assert.match(none.body, /value="https:\/\/chat.example.org\/x"/);
      for (const url of ['not a url', 'javascript:alert(1)', 'https://user:pw@chat.example.org/']) {
        assert.equal((await adminPost('/admin/webhooks', { url, events: allEvents })).statusCode, 422, url);
      }
      assert.equal((await t.deps.store.db.selectFrom('webhooks').select('id').execute()).length, 0);
    });

    it('creates a webhook, shows its secret once, and audits it without the secret', async () => {
      const { id, secret } = await createHook();
      const detail = await adminGet(`/admin/webhooks/${id}`);
      assert.equal(detail.statusCode, 200);
      assert.ok(!detail.body.includes(secret), 'the secret is not shown again');
      assert.ok(!(await adminGet('/admin/webhooks')).body.includes(secret));
      const audit = await t.deps.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'webhook.created').executeTakeFirstOrThrow();
      assert.equal(audit.subject_type, 'webhook');
      assert.equal(audit.subject_id, id);
      assert.ok(!audit.details.includes(secret) && !audit.details.includes('/hooks/readout'), audit.details);
      await disableAll();
    });

    it('delivers a held comment as comment.created and comment.held, signed, with no email address', async () => {
      const { id, secret } = await createHook();
      const comment = await postComment();
      assert.equal(comment.status, 'pending', 'a first-time commenter is held by default');
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.headers['x-readout-event']).sort(), ['comment.created', 'comment.held']);
      for (const r of receiver.received) {
        assert.ok(verify(secret, r), 'the receiver verifies the signature with the secret');
        assert.ok(!verify(`${secret}x`, r));
        assert.equal(r.url, '/hooks/readout');
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['user-agent'], 'Readout-Webhooks');
        assert.equal(r.headers['x-readout-timestamp'], String(Math.floor(clock.now().getTime() / 1000)));
        const body = JSON.parse(r.body);
        assert.equal(body.event, r.headers['x-readout-event']);
        assert.equal(String(body.deliveryId), r.headers['x-readout-delivery']);
        assert.equal(body.comment.id, comment.id);
        assert.equal(body.comment.status, 'pending');
        assert.equal(body.comment.authorName, `Reader ${posts}`);
        assert.equal(body.comment.excerpt, `Comment number ${posts} about the harbour works.`);
        assert.equal(body.comment.permalink, `${testPublicUrl}/comment/${comment.id}`);
        assert.deepEqual(body.story, { id: storyId, headline: 'Harbour <works> resume', url: `${testPublicUrl}/stories/harbour-works` });
        assert.ok(!/@/.test(r.body) && !/email|ip_?hash|ipHash/i.test(r.body), r.body);
      }
      const log = await deliveries(id);
      assert.equal(log.length, 2);
      assert.ok(log.every((d) => d.status_code === 200 && d.error === null && d.attempt === 1));
      const page = await adminGet(`/admin/webhooks/${id}`);
      assert.equal((page.body.match(/<tr class="delivery ok">/g) ?? []).length, 2);
      assert.match(page.body, /<td><code>comment.held<\/code><\/td>/);
      await disableAll();
    });

    it('announces an approved comment as created and approved, a moderator approval, and a report', async () => {
      const { secret } = await createHook();
      const held = await postComment();
      await deliver();
      receiver.received.length = 0;
      await useCommentSettings(t.deps, { rules: openDoorRules });
      const approved = await postComment();
      assert.equal(approved.status, 'approved');
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.headers['x-readout-event']).sort(), ['comment.approved', 'comment.created']);
      receiver.received.length = 0;

      await approveComment(t.deps, admin, held.id);
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.headers['x-readout-event']), ['comment.approved']);
      assert.equal(JSON.parse(receiver.received[0]!.body).comment.status, 'approved');
      receiver.received.length = 0;

      // A reader reports the approved comment through the report form.
      const report = await t.app.inject({
        method: 'POST',
        url: `/comments/${approved.id}/report`,
        headers: formHeaders,
        payload: form({ reason: 'abuse', note: 'Insults another reader' }),
      });
      assert.equal(report.statusCode, 200);
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.headers['x-readout-event']), ['comment.reported']);
      assert.ok(receiver.received.every((r) => verify(secret, r)));
      await useCommentSettings(t.deps);
      await disableAll();
    });

    it('sends only the events a webhook subscribed to, and nothing for a comment the rules sent to spam', async () => {
      const { id } = await createHook(['comment.held']);
      await postComment();
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.headers['x-readout-event']), ['comment.held']);
      receiver.received.length = 0;
      await useCommentSettings(t.deps, { rules: { ...openDoorRules, spamEmails: ['spammer@example.net'] } });
      await adminPost(`/admin/webhooks/${id}`, { url: receiver.url, description: 'All', events: allEvents });
      const spam = await postComment({ email: 'spammer@example.net' });
      assert.equal(spam.status, 'spam');
      await deliver();
      assert.equal(receiver.received.length, 0);
      await useCommentSettings(t.deps);
      await disableAll();
    });

    it('retries a receiver that answers 500 after the back-off, logging both attempts', async () => {
      const { id, secret } = await createHook(['comment.created']);
      const changed = await adminPost(`/admin/webhooks/${id}`, { url: receiver.url, description: 'Held only', events: ['comment.held'] });
      assert.equal(changed.statusCode, 303);
      assert.ok(await t.deps.store.db.selectFrom('audit_log').select('id').where('action', '=', 'webhook.changed').where('subject_id', '=', id).executeTakeFirst());
      receiver.answers.push(500);
      await postComment();
      await deliver();
      assert.equal(receiver.received.length, 1);
      await t.runtime.relay.drain();
      assert.equal(receiver.received.length, 1, 'not retried before the back-off');
      clock.advance(10_001);
      await t.runtime.relay.drain();
      assert.equal(receiver.received.length, 2);
      const [first, second] = receiver.received as [Received, Received];
      assert.equal(first.headers['x-readout-delivery'], second.headers['x-readout-delivery'], 'a retry carries the same delivery id');
      assert.ok(verify(secret, first) && verify(secret, second));
      assert.equal(second.headers['x-readout-timestamp'], String(Math.floor(clock.now().getTime() / 1000)));
      const log = await deliveries(id);
      assert.deepEqual(
        log.map((d) => [d.outbox_id, d.attempt, d.status_code, d.error]),
        [
          [Number(first.headers['x-readout-delivery']), 1, 500, 'HTTP 500'],
          [Number(first.headers['x-readout-delivery']), 2, 200, null],
        ],
      );
      const page = (await adminGet(`/admin/webhooks/${id}`)).body;
      assert.ok(page.indexOf('HTTP 200') < page.indexOf('HTTP 500'), 'latest first');
      const row = await t.deps.store.db.selectFrom('outbox').selectAll().where('id', '=', Number(first.headers['x-readout-delivery'])).executeTakeFirstOrThrow();
      assert.ok(row.handled_at);
      await disableAll();
    });

    it('does not follow redirects, and logs a refused connection', async () => {
      const { id } = await createHook(['comment.held']);
      receiver.answers.push(302);
      await postComment();
      await deliver();
      assert.deepEqual(receiver.received.map((r) => r.url), ['/hooks/readout']);
      assert.deepEqual((await deliveries(id)).map((d) => [d.status_code, d.error]), [[302, 'redirect not followed']]);
      await disableAll();

      const closed = await startReceiver();
      await closed.close();
      const dead = await createHook(['comment.held'], closed.url);
      await postComment();
      await deliver();
      const log = await deliveries(dead.id);
      assert.equal(log.length, 1);
      assert.equal(log[0]!.status_code, null);
      assert.match(log[0]!.error ?? '', /ECONNREFUSED/);
      await disableAll();
    });

    it('gives up on a receiver that does not answer in time, logging the attempt', async () => {
      const sockets = new Set<Socket>();
      const silent = http.createServer(() => undefined); // reads the request, never answers
      silent.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const { id } = await createHook(['comment.held'], `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`);
        const deps = { db: t.deps.store.db, log: t.deps.log, clock, publicUrl: testPublicUrl, timeoutMs: 200 };
        const started = Date.now();
        await assert.rejects(deliverWebhook(deps, { webhookId: id, event: 'webhook.test', occurredAt: clock.now().toISOString() }, { id: 999_999, attempts: 2 }), /no answer within 0.2 s/);
        assert.ok(Date.now() - started < 2_000);
        const log = await deliveries(id);
        assert.deepEqual(log.map((d) => [d.outbox_id, d.attempt, d.status_code, d.error]), [[999_999, 3, null, 'no answer within 0.2 s']]);
        assert.ok(log[0]!.duration_ms >= 190, String(log[0]!.duration_ms));
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
        await disableAll();
      }
    });

    it('sends nothing to a disabled webhook, and drops deliveries queued before it was disabled', async () => {
      const { id } = await createHook();
      const off = await adminPost(`/admin/webhooks/${id}/active`, { active: '0' });
      assert.equal(off.statusCode, 303);
      assert.match((await adminGet(`/admin/webhooks/${id}`)).body, /<strong id="webhook-status">disabled<\/strong>/);
      await postComment();
      await deliver();
      assert.equal(receiver.received.length, 0);

      assert.equal((await adminPost(`/admin/webhooks/${id}/active`, { active: '1' })).statusCode, 303);
      const queued = await t.deps.store.db.transaction().execute((trx) =>
        appendEvent(trx, { topic: 'webhook.requested', payload: { webhookId: id, event: 'webhook.test', occurredAt: clock.now().toISOString() }, now: clock.now().toISOString() }),
      );
      await adminPost(`/admin/webhooks/${id}/active`, { active: '0' });
      await deliver();
      assert.equal(receiver.received.length, 0);
      const row = await t.deps.store.db.selectFrom('outbox').selectAll().where('id', '=', queued.id).executeTakeFirstOrThrow();
      assert.ok(row.handled_at, 'dropped: handled without a delivery');
      assert.equal((await deliveries(id)).length, 0);
      const actions = await t.deps.store.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'webhook').where('subject_id', '=', id).execute();
      assert.deepEqual(actions.map((a) => a.action), ['webhook.created', 'webhook.disabled', 'webhook.enabled', 'webhook.disabled']);
    });

    it('sends a signed test delivery, and signs with the new secret after a rotation', async () => {
      const { id, secret } = await createHook();
      assert.equal((await adminPost(`/admin/webhooks/${id}/test`)).statusCode, 303);
      await t.runtime.relay.drain();
      assert.equal(receiver.received.length, 1);
      const test = receiver.received[0]!;
      assert.equal(test.headers['x-readout-event'], 'webhook.test');
      assert.ok(verify(secret, test));
      assert.equal(JSON.parse(test.body).webhook.id, id);

      const rotated = await adminPost(`/admin/webhooks/${id}/rotate`);
      assert.equal(rotated.statusCode, 200);
      const fresh = secretOf(rotated.body);
      assert.match(fresh, /^whsec_/);
      assert.notEqual(fresh, secret);
      await adminPost(`/admin/webhooks/${id}/test`);
      await t.runtime.relay.drain();
      const again = receiver.received[1]!;
      assert.ok(verify(fresh, again) && !verify(secret, again));
      await disableAll();
    });

    it('deletes a webhook with its log, dropping queued deliveries', async () => {
      const { id } = await createHook();
      await adminPost(`/admin/webhooks/${id}/test`);
      await t.runtime.relay.drain();
      assert.equal((await deliveries(id)).length, 1);
      const queued = await t.deps.store.db.transaction().execute((trx) =>
        appendEvent(trx, { topic: 'webhook.requested', payload: { webhookId: id, event: 'webhook.test', occurredAt: clock.now().toISOString() }, now: clock.now().toISOString() }),
      );
      const res = await adminPost(`/admin/webhooks/${id}/delete`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/webhooks?done=deleted');
      assert.equal((await adminGet(`/admin/webhooks/${id}`)).statusCode, 404);
      await t.runtime.relay.drain();
      assert.equal(receiver.received.length, 1);
      assert.ok((await t.deps.store.db.selectFrom('outbox').select('handled_at').where('id', '=', queued.id).executeTakeFirstOrThrow()).handled_at);
      assert.equal((await deliveries(id)).length, 0);
      assert.ok(await t.deps.store.db.selectFrom('audit_log').select('id').where('action', '=', 'webhook.deleted').where('subject_id', '=', id).executeTakeFirst());
    });

    it('never sent an email address in any body', () => {
      assert.ok(receiver.bodies.length >= 15, `${receiver.bodies.length} bodies`);
      for (const body of receiver.bodies) assert.ok(!/@|example\.org/.test(body), body);
    });
  });
}
