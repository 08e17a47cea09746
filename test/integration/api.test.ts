import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../src/errors.js';
import { commandLineActor, createApiToken, createStaffMember, revokeApiToken, type Actor } from '../../src/modules/people/index.js';
import { correctionOutput, errorOutput, meOutput, personOutput, sectionOutput, storyListOutput, storyOutput, tagOutput } from '../../src/modules/api/api.schemas.js';
import type { HttpMethod, OpenApiDocument } from '../../src/modules/api/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const password = 'tide clock harbour 41';
const roles = ['admin', 'editor', 'author', 'moderator'] as const;
type Role = (typeof roles)[number];
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const story = (fields: Record<string, unknown> = {}) => ({ headline: 'Harbour talks resume', byline: 'By Amina Castell', body: 'The talks resumed on Monday.', ...fields });

for (const { kind, skip } of await databaseMatrix()) {
  describe(`admin and content API on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    const actors = {} as Record<Role, Actor>;
    const tokens = {} as Record<Role, string>;
    before(async () => {
      t = await createTestApp({ db: kind, clock });
      for (const role of roles) {
        const { person } = await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        actors[role] = { personId: person.id, name: person.name, role };
        tokens[role] = (await createApiToken(t.deps, actors[role], { name: `${role} script` })).secret;
      }
    });
    after(() => t?.close());

    /** A JSON request to the API as `who` (a role's token, a raw Authorization header, or none). */
    const api = (method: 'GET' | 'POST' | 'PUT', url: string, o: { as?: Role; authorization?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
      t.app.inject({
        method,
        url,
        headers: {
          ...(o.as ? { authorization: `Bearer ${tokens[o.as]}` } : {}),
          ...(o.authorization !== undefined ? { authorization: o.authorization } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...o.headers,
        },
        ...(o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}),
      });
    const parse = <T extends z.ZodType>(schema: T, res: LightMyRequestResponse): z.output<T> => schema.parse(res.json());
    const expectError = (res: LightMyRequestResponse, status: number, code: string) => {
      assert.equal(res.statusCode, status, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(parse(errorOutput, res).error, code);
      return parse(errorOutput, res);
    };
    const signIn = async (role: Role) => {
      const res = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: `${role}@example.org`, password }) });
      return cookieOf(res.headers['set-cookie']);
    };

    it('creates a token in the admin, shows it once, stores only its hash, and refuses it once revoked', async () => {
      const cookie = await signIn('author');
      const page = await t.app.inject({ url: '/admin/tokens', headers: { cookie } });
      assert.equal(page.statusCode, 200);
      const csrf = csrfOf(page.body);
      const post = (url: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie }, payload: form(fields) });

      const blank = await post('/admin/tokens', { _csrf: csrf, name: '   ' });
      assert.equal(blank.statusCode, 422);
      assert.match(blank.body, /id="name-error" class="field-error">Name the token/);
      const tooLong = await post('/admin/tokens', { _csrf: csrf, name: 'x'.repeat(101) });
      assert.equal(tooLong.statusCode, 422);
      assert.match(tooLong.body, new RegExp(`value="${'x'.repeat(101)}"`));
      assert.equal((await post('/admin/tokens', { name: 'No CSRF' })).statusCode, 403);

      const created = await post('/admin/tokens', { _csrf: csrf, name: 'Wire <importer>' });
      assert.equal(created.statusCode, 200);
      assert.equal(created.headers['cache-control'], 'no-store');
      assert.match(created.body, /It is shown only this once/);
      assert.match(created.body, /Wire &lt;importer&gt;/);
      const secret = /id="new-token-value" type="text" readonly value="(rdt_[A-Za-z0-9_-]{43})"/.exec(created.body)?.[1];
      assert.ok(secret, 'the new token is on the page');

      const row = await t.deps.store.db.selectFrom('api_tokens').selectAll().where('name', '=', 'Wire <importer>').executeTakeFirstOrThrow();
      assert.equal(row.token_hash, sha256(secret));
      assert.equal(row.prefix, secret.slice(0, 12));
      assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(secret.slice(12))), 'the token itself is not stored');
      const list = await t.app.inject({ url: '/admin/tokens', headers: { cookie } });
      assert.ok(!list.body.includes(secret), 'the token is never shown again');
      assert.match(list.body, new RegExp(`<code>${secret.slice(0, 12)}…</code>`));

      const me = await api('GET', '/api/me', { authorization: `Bearer ${secret}` });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(parse(meOutput, me), {
        id: actors.author.personId,
        name: 'The author',
        role: 'author',
        permissions: ['admin.enter', 'story.create', 'story.edit-own-draft'],
      });
      const used = await t.deps.store.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(used.last_used_at, clock.now().toISOString());

      const revoked = await post(`/admin/tokens/${row.id}/revoke`, { _csrf: csrf });
      assert.equal(revoked.statusCode, 303);
      assert.equal(revoked.headers.location, '/admin/tokens?revoked=1');
      const refused = await api('GET', '/api/me', { authorization: `Bearer ${secret}` });
      expectError(refused, 401, 'API_TOKEN_INVALID');
      assert.equal(refused.headers['www-authenticate'], 'Bearer realm="readout", error="invalid_token"');
      assert.match((await t.app.inject({ url: '/admin/tokens', headers: { cookie } })).body, new RegExp(`id="token-${row.id}">.*revoked <time`));
      const audit = await t.deps.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'api-token.%').where('actor_id', '=', actors.author.personId).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action).slice(-2), ['api-token.created', 'api-token.revoked']);
    });

    it('lets people revoke only their own tokens, and admins anyone’s', async () => {
      const { token, secret } = await createApiToken(t.deps, actors.author, { name: 'Temporary' });
      await assert.rejects(revokeApiToken(t.deps, actors.editor, { tokenId: token.id }), (e: Error) => e instanceof DomainError && e.code === 'API_TOKEN_NOT_FOUND');
      assert.equal((await api('GET', '/api/me', { authorization: `Bearer ${secret}` })).statusCode, 200);
      const revoked = await revokeApiToken(t.deps, actors.admin, { tokenId: token.id });
      assert.equal(revoked.revoked_at, clock.now().toISOString());
      expectError(await api('GET', '/api/me', { authorization: `Bearer ${secret}` }), 401, 'API_TOKEN_INVALID');
    });

    it('records a token’s use at most once a minute', async () => {
      const { token, secret } = await createApiToken(t.deps, actors.editor, { name: 'Busy client' });
      const lastUsed = async () => (await t.deps.store.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow()).last_used_at;
      await api('GET', '/api/me', { authorization: `Bearer ${secret}` });
      const first = clock.now().toISOString();
      assert.equal(await lastUsed(), first);
      clock.advance(30_000);
      await api('GET', '/api/me', { authorization: `Bearer ${secret}` });
      assert.equal(await lastUsed(), first);
      clock.advance(30_000);
      await api('GET', '/api/me', { authorization: `Bearer ${secret}` });
      assert.equal(await lastUsed(), clock.now().toISOString());
    });

    it('answers 401 with a challenge without a valid token, and refuses the sign-in cookie', async () => {
      const none = await api('GET', '/api/stories', { headers: { accept: 'text/html' } });
      expectError(none, 401, 'AUTH_REQUIRED');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="readout"');
      for (const authorization of ['Bearer', 'Bearer garbage', `Basic ${Buffer.from('admin:x').toString('base64')}`, `Bearer rdt_${'A'.repeat(43)}`, `Bearer ${tokens.admin}x`]) {
        const res = await api('GET', '/api/stories', { authorization });
        expectError(res, 401, 'API_TOKEN_INVALID');
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="readout"/);
      }
      const cookie = await signIn('admin');
      assert.equal((await t.app.inject({ url: '/admin', headers: { cookie } })).statusCode, 200);
      expectError(await api('GET', '/api/stories', { headers: { cookie } }), 401, 'API_SESSION_COOKIE_REFUSED');
      expectError(await api('POST', '/api/stories', { headers: { cookie }, body: story() }), 401, 'API_SESSION_COOKIE_REFUSED');
      assert.equal((await api('GET', '/api/stories', { as: 'admin', headers: { cookie } })).statusCode, 200);
    });

    it('refuses the tokens of disabled people and of people without a role', async () => {
      const { person } = await createStaffMember(t.deps, commandLineActor, { name: 'Leaving Soon', email: 'leaving@example.org', role: 'editor', password });
      const { secret } = await createApiToken(t.deps, { personId: person.id, name: person.name, role: 'editor' }, { name: 'Script' });
      assert.equal((await api('GET', '/api/me', { authorization: `Bearer ${secret}` })).statusCode, 200);
      await t.deps.store.db.updateTable('people').set({ disabled_at: clock.now().toISOString() }).where('id', '=', person.id).execute();
      expectError(await api('GET', '/api/me', { authorization: `Bearer ${secret}` }), 401, 'API_TOKEN_INVALID');
      await t.deps.store.db.updateTable('people').set({ disabled_at: null, role: null }).where('id', '=', person.id).execute();
      expectError(await api('GET', '/api/me', { authorization: `Bearer ${secret}` }), 401, 'API_TOKEN_INVALID');
    });

    it('lets each role do what the permission table says, and no more', async () => {
      const draft = await api('POST', '/api/stories', { as: 'author', body: story({ headline: 'Author draft' }) });
      assert.equal(draft.statusCode, 201, draft.body);
      const mine = parse(storyOutput, draft);
      assert.equal(mine.status, 'draft');
      assert.equal(mine.createdBy, actors.author.personId);
      expectError(await api('POST', '/api/stories', { as: 'author', body: story({ headline: 'Straight out', action: { kind: 'publish' } }) }), 403, 'AUTH_NOT_PERMITTED');
      expectError(await api('PUT', `/api/stories/${mine.id}`, { as: 'author', body: story({ headline: 'Go', action: { kind: 'publish' } }) }), 403, 'AUTH_NOT_PERMITTED');
      const edited = await api('PUT', `/api/stories/${mine.id}`, { as: 'author', body: story({ headline: 'Author draft, v2' }) });
      assert.equal(parse(storyOutput, edited).headline, 'Author draft, v2');

      const theirs = parse(storyOutput, await api('POST', '/api/stories', { as: 'editor', body: story({ headline: 'Editor draft' }) }));
      expectError(await api('PUT', `/api/stories/${theirs.id}`, { as: 'author', body: story({ headline: 'Mine now' }) }), 403, 'AUTH_NOT_PERMITTED');
      assert.equal(parse(storyOutput, await api('GET', `/api/stories/${theirs.id}`, { as: 'author' })).mayEdit, false);

      expectError(await api('POST', '/api/stories', { as: 'moderator', body: story({ headline: 'Moderated' }) }), 403, 'AUTH_NOT_PERMITTED');
      expectError(await api('POST', '/api/stories', { as: 'moderator', body: 'not even JSON', headers: { 'content-type': 'text/plain' } }), 403, 'AUTH_NOT_PERMITTED');
      assert.equal((await api('GET', '/api/stories', { as: 'moderator' })).statusCode, 200);
      expectError(await api('POST', `/api/stories/${theirs.id}/corrections`, { as: 'author', body: { kind: 'correction', text: 'No.' } }), 403, 'AUTH_NOT_PERMITTED');
      for (const role of ['editor', 'author', 'moderator'] as const) expectError(await api('GET', '/api/people', { as: role }), 403, 'AUTH_NOT_PERMITTED');
      const people = await api('GET', '/api/people', { as: 'admin' });
      const staff = z.object({ people: z.array(personOutput) }).parse(people.json()).people;
      assert.ok(staff.some((p) => p.email === 'author@example.org' && p.role === 'author'));
      assert.doesNotMatch(people.body, /argon2|password/i);
    });

    it('creates, reads, lists, updates, corrects and schedules a story through the API', async () => {
      const createdRes = await api('POST', '/api/stories', {
        as: 'editor',
        body: story({
          headline: 'Port strike ends',
          slug: 'port-strike-ends',
          dek: 'Dockers vote to return.',
          dateline: 'ROTTERDAM',
          body: 'Dockers voted **yes**.',
          sources: [{ title: 'Union statement', outlet: 'FNV', url: 'https://example.org/fnv', date: '2026-11-26' }, { title: 'Port notice', url: 'https://example.org/port' }],
          action: { kind: 'publish' },
          note: 'First version',
        }),
      });
      assert.equal(createdRes.statusCode, 201, createdRes.body);
      const created = parse(storyOutput, createdRes);
      assert.equal(createdRes.headers.location, `/api/stories/${created.id}`);
      assert.equal(createdRes.headers['cache-control'], 'no-store');
      assert.equal(created.status, 'published');
      assert.equal(created.publishedAt, clock.now().toISOString());
      assert.equal(created.bodyHtml, '<p>Dockers voted <strong>yes</strong>.</p>\n');
      assert.deepEqual(created.sources, [
        { title: 'Union statement', outlet: 'FNV', url: 'https://example.org/fnv', date: '2026-11-26' },
        { title: 'Port notice', outlet: null, url: 'https://example.org/port', date: null },
      ]);
      assert.deepEqual(parse(storyOutput, await api('GET', `/api/stories/${created.id}`, { as: 'moderator' })), { ...created, mayEdit: false });
      assert.equal((await t.app.inject({ url: '/stories/port-strike-ends' })).statusCode, 200);

      const listed = parse(storyListOutput, await api('GET', '/api/stories?status=published&q=PORT%20strike', { as: 'author' }));
      assert.deepEqual(listed.stories.map((s) => s.id), [created.id]);
      assert.equal(listed.page, 1);
      assert.equal(listed.hasNext, false);
      assert.deepEqual(parse(storyListOutput, await api('GET', '/api/stories?status=draft&q=port', { as: 'author' })).stories, []);

      clock.advance(60_000);
      const { id: _id, ...rest } = created;
      const updatedRes = await api('PUT', `/api/stories/${created.id}`, {
        as: 'editor',
        body: { ...rest, headline: 'Port strike ends after vote', slug: 'port-strike-over', substantive: true },
      });
      assert.equal(updatedRes.statusCode, 200, updatedRes.body);
      const updated = parse(storyOutput, updatedRes);
      assert.equal(updated.headline, 'Port strike ends after vote');
      assert.equal(updated.updatedAt, clock.now().toISOString());
      assert.equal(updated.sources.length, 2, 'a story sent back as it was read keeps its sources');
      const moved = await t.app.inject({ url: '/stories/port-strike-ends' });
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, '/stories/port-strike-over');

      const correctionRes = await api('POST', `/api/stories/${created.id}/corrections`, { as: 'editor', body: { kind: 'correction', text: 'The vote was on *Tuesday*.' } });
      assert.equal(correctionRes.statusCode, 201, correctionRes.body);
      const correction = parse(correctionOutput, correctionRes);
      assert.deepEqual({ ...correction, id: 0 }, {
        id: 0,
        storyId: created.id,
        kind: 'correction',
        text: 'The vote was on *Tuesday*.',
        html: '<p>The vote was on <em>Tuesday</em>.</p>\n',
        createdAt: clock.now().toISOString(),
      });
      assert.match((await t.app.inject({ url: '/stories/port-strike-over' })).body, /The vote was on <em>Tuesday<\/em>/);

      const unpublished = parse(storyOutput, await api('PUT', `/api/stories/${created.id}`, { as: 'editor', body: { ...rest, slug: 'port-strike-over', action: { kind: 'unpublish' } } }));
      assert.equal(unpublished.status, 'unpublished');
      expectError(await api('POST', `/api/stories/${created.id}/corrections`, { as: 'editor', body: { kind: 'clarification', text: 'Too late.' } }), 409, 'CORRECTION_STORY_NOT_PUBLISHED');

      const at = '2026-12-01T08:00:00+02:00';
      const scheduled = parse(storyOutput, await api('POST', '/api/stories', { as: 'admin', body: story({ headline: 'Later', action: { kind: 'schedule', at } }) }));
      assert.equal(scheduled.status, 'scheduled');
      assert.equal(scheduled.publishedAt, '2026-12-01T06:00:00.000Z');
      assert.equal(scheduled.slug, 'later');
    });

    it('lists sections and tags, and never shows a commenter’s email address', async () => {
      const published = await buildStory(t.deps, { headline: 'Tagged', slug: 'tagged', section: 'Harbour News', tags: ['Strikes', 'Ports'] });
      await buildComment(t.deps, { storyId: published.id, email: 'secret-reader@example.net' });
      const sections = z.object({ sections: z.array(sectionOutput) }).parse((await api('GET', '/api/sections', { as: 'author' })).json()).sections;
      assert.deepEqual(sections.map((s) => [s.name, s.path]), [['Harbour News', '/sections/harbour-news']]);
      const tags = z.object({ tags: z.array(tagOutput) }).parse((await api('GET', '/api/tags', { as: 'moderator' })).json()).tags;
      assert.deepEqual(tags.map((t) => t.slug), ['ports', 'strikes']);
      const full = parse(storyOutput, await api('GET', `/api/stories/${published.id}`, { as: 'admin' }));
      assert.deepEqual([full.section?.slug, full.tags.map((t) => t.name)], ['harbour-news', ['Strikes', 'Ports']]);
      for (const url of ['/api/stories', `/api/stories/${published.id}`, '/api/people', '/api/sections', '/api/tags', '/api/me']) {
        assert.doesNotMatch((await api('GET', url, { as: 'admin' })).body, /secret-reader/, url);
      }
    });

    it('answers bad input with 400, 415 or 422 and field errors, never 500', async () => {
      const missing = expectError(await api('POST', '/api/stories', { as: 'editor', body: {} }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(missing.errors, { headline: 'is required', byline: 'is required', body: 'is required' });
      const wrongTypes = expectError(
        await api('POST', '/api/stories', { as: 'editor', body: story({ headline: 7, sources: [{ title: 'x' }], action: { kind: 'later' }, substantive: 'yes' }) }),
        422,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(wrongTypes.errors, {
        headline: 'must be text',
        'sources.0.url': 'is required',
        'action.kind': 'must have a "kind" of save, publish, schedule or unpublish',
      });
      const content = expectError(
        await api('POST', '/api/stories', { as: 'editor', body: story({ headline: ' ', slug: 'Not A Slug', sources: [{ title: 'Doc', url: 'ftp://example.org' }] }) }),
        422,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(Object.keys(content.errors ?? {}), ['headline', 'slug', 'sources.0.url']);
      const past = expectError(await api('POST', '/api/stories', { as: 'editor', body: story({ action: { kind: 'schedule', at: '2020-01-01T00:00:00Z' } }) }), 422, 'VALIDATION_FAILED');
      assert.match(past.errors?.['action.at'] ?? '', /in the future/);
      const badTime = expectError(await api('POST', '/api/stories', { as: 'editor', body: story({ action: { kind: 'schedule', at: 'tomorrow' } }) }), 422, 'VALIDATION_FAILED');
      assert.match(badTime.errors?.['action.at'] ?? '', /time zone/);
      const nul = expectError(await api('POST', '/api/stories', { as: 'editor', body: story({ body: 'A\u0000B' }) }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(nul.errors, { body: 'must not contain NUL characters' });
      const related = expectError(await api('POST', '/api/stories', { as: 'editor', body: story({ related: 'no-such-story' }) }), 422, 'VALIDATION_FAILED');
      assert.ok(related.errors?.related);

      expectError(await api('POST', '/api/stories', { as: 'editor', body: [story()] }), 400, 'BAD_REQUEST');
      expectError(await api('POST', '/api/stories', { as: 'editor', body: 'a string' }), 400, 'BAD_REQUEST');
      const broken = await t.app.inject({ method: 'POST', url: '/api/stories', headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/json' }, payload: '{"headline": ' });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().message, 'The request body is not valid JSON.');
      const proto = await t.app.inject({ method: 'POST', url: '/api/stories', headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
      assert.equal(proto.statusCode, 400);
      const formPost = await t.app.inject({ method: 'POST', url: '/api/stories', headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form(story()) });
      assert.equal(formPost.statusCode, 415);
      assert.equal((await api('POST', '/api/stories/1/corrections', { as: 'editor' })).statusCode, 400);

      const query = expectError(await api('GET', '/api/stories?status=lost&page=0', { as: 'editor' }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(Object.keys(query.errors ?? {}), ['status', 'page']);
      expectError(await api('GET', '/api/stories?page=99999999999', { as: 'editor' }), 422, 'VALIDATION_FAILED');
      expectError(await api('GET', `/api/stories?q=${encodeURIComponent('a\u0000')}`, { as: 'editor' }), 422, 'VALIDATION_FAILED');
      assert.equal((await api('GET', `/api/stories?q=${encodeURIComponent("100%_'\\")}`, { as: 'editor' })).statusCode, 200);
      const correction = expectError(await api('POST', '/api/stories/1/corrections', { as: 'editor', body: { kind: 'erratum', text: '' } }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(Object.keys(correction.errors ?? {}), ['kind']);
    });

    it('answers 404 for unknown stories and addresses', async () => {
      for (const id of ['999999', 'abc', '0', '99999999999999999999', '1.5']) {
        expectError(await api('GET', `/api/stories/${id}`, { as: 'editor' }), 404, 'STORY_NOT_FOUND');
      }
      expectError(await api('PUT', '/api/stories/999999', { as: 'editor', body: story() }), 404, 'STORY_NOT_FOUND');
      expectError(await api('POST', '/api/stories/999999/corrections', { as: 'editor', body: { kind: 'correction', text: 'Nothing.' } }), 404, 'STORY_NOT_FOUND');
      expectError(await api('GET', '/api/nothing-here', { headers: { accept: 'text/html' } }), 404, 'NOT_FOUND');
      expectError(await api('GET', '/api', {}), 404, 'NOT_FOUND');
    });

    it('serves an OpenAPI 3.1 document that describes every /api/ route, and only those', async () => {
      const res = await api('GET', '/api/openapi.json');
      assert.equal(res.statusCode, 200);
      const doc = res.json() as OpenApiDocument;
      assert.equal(doc.openapi, '3.1.0');
      assert.deepEqual(doc.servers, [{ url: testPublicUrl }]);
      assert.deepEqual(doc.components.securitySchemes.bearerToken, { ...doc.components.securitySchemes.bearerToken, type: 'http', scheme: 'bearer' });

      const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false }))
        .filter((r) => r.path.startsWith('/api/') || r.path === '/api')
        .flatMap((r) => r.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${r.path}`));
      assert.ok(registered.length >= 10, registered.join(', '));
      assert.deepEqual([...registered].sort(), [...documented].sort());

      const text = JSON.stringify(doc);
      for (const [, target] of text.matchAll(/"\$ref":"#\/components\/(\w+\/\w+)"/g)) {
        const [section, name] = (target as string).split('/') as [keyof OpenApiDocument['components'], string];
        assert.ok(doc.components[section][name], `${target} is defined`);
      }
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item) as [HttpMethod, NonNullable<(typeof item)[HttpMethod]>][]) {
          const isPublic = op.security?.length === 0;
          assert.equal(isPublic, path === '/api/openapi.json', `${method} ${path}: only the document is public`);
          if (!isPublic) assert.ok(op.responses['401'] && op.responses['403'], `${method} ${path} documents 401 and 403`);
          if (op.requestBody) assert.ok(op.responses['422'], `${method} ${path} documents 422`);
        }
      }
      assert.deepEqual(doc.components.schemas.StoryCreate?.required, ['headline', 'byline', 'body']);
    });
  });
}

/** The routes of `printRoutes({ commonPrefix: false })`: each line a path segment under its parent, with its methods. */
function registeredRoutes(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const routes: { path: string; methods: string[] }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    stack.length = (match[1] as string).length / 4;
    stack.push(match[2] as string);
    if (match[3]) routes.push({ path: stack.join(''), methods: match[3].split(', ') });
  }
  return routes;
}
