import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../src/db/schema.js';
import { DomainError, ValidationError } from '../../src/errors.js';
import { appendCorrection, correctionsPageSize, removeCorrection } from '../../src/modules/corrections/index.js';
import { commandLineActor, createStaffMember, roles, type Actor } from '../../src/modules/people/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const minutes = (n: number) => n * 60 * 1000;

const rejectsWith = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

for (const { kind, skip } of await databaseMatrix()) {
  describe(`corrections on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    const password = 'tide clock harbour 41';
    const actors = {} as Record<Role, Actor>;
    const sessions = {} as Record<Role, { cookie: string; csrf: string }>;

    before(async () => {
      t = await createTestApp({ db: kind, clock });
      for (const role of roles) {
        const name = `${role[0]?.toUpperCase()}${role.slice(1)} Person`;
        const { person } = await createStaffMember(t.deps, commandLineActor, { name, email: `${role}@example.org`, role, password });
        actors[role] = { personId: person.id, name, role };
        const signedIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: `${role}@example.org`, password }) });
        const cookie = cookieOf(signedIn.headers['set-cookie']);
        sessions[role] = { cookie, csrf: csrfOf((await t.app.inject({ url: '/admin', headers: { cookie } })).body) };
      }
    });
    after(() => t?.close());

    const count = async (table: 'corrections' | 'audit_log' | 'outbox') =>
      Number((await t.deps.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const counts = () => Promise.all([count('corrections'), count('audit_log'), count('outbox')]);
    const get = (url: string, role?: Role) => t.app.inject({ url, headers: role ? { cookie: sessions[role].cookie } : {} });
    const post = (url: string, role: Role, fields: Record<string, string>, csrf = true) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...formHeaders, cookie: sessions[role].cookie },
        payload: form({ ...(csrf ? { _csrf: sessions[role].csrf } : {}), ...fields }),
      });
    const jsonLdOf = (page: string) => {
      const blocks = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1] ?? '') as Record<string, unknown>);
      const articles = blocks.filter((b) => b['@type'] === 'NewsArticle');
      assert.equal(articles.length, 1);
      return articles[0] as Record<string, unknown> & { correction?: Record<string, unknown>[]; citation?: Record<string, unknown>[] };
    };

    it('lets editors and admins append, refuses authors and moderators, and lets only admins remove, with a reason', async () => {
      const story = await buildStory(t.deps, { slug: 'permissions-story' });
      const input = { storyId: story.id, kind: 'correction' as const, text: 'An earlier version gave the *wrong* date.' };
      const before = await counts();
      for (const role of ['author', 'moderator'] as const) {
        await assert.rejects(appendCorrection(t.deps, actors[role], input), rejectsWith('AUTH_NOT_PERMITTED'), role);
      }
      assert.deepEqual(await counts(), before);

      const appended = await appendCorrection(t.deps, actors.editor, input);
      assert.equal(appended.body_html, '<p>An earlier version gave the <em>wrong</em> date.</p>\n');
      assert.equal(appended.author_id, actors.editor.personId);
      assert.equal(appended.removed_at, null);
      const byAdmin = await appendCorrection(t.deps, actors.admin, { ...input, kind: 'clarification', text: 'The talks are informal.' });

      await assert.rejects(removeCorrection(t.deps, actors.editor, { correctionId: appended.id, reason: 'Wrong' }), rejectsWith('AUTH_NOT_PERMITTED'));
      await assert.rejects(
        removeCorrection(t.deps, actors.admin, { correctionId: appended.id, reason: '   ' }),
        (e: unknown) => e instanceof ValidationError && /Give the reason/.test(e.fieldErrors.reason ?? ''),
      );
      clock.advance(minutes(5));
      const removed = await removeCorrection(t.deps, actors.admin, { correctionId: appended.id, reason: 'Posted on the wrong story.' });
      await assert.rejects(removeCorrection(t.deps, actors.admin, { correctionId: appended.id, reason: 'Again' }), rejectsWith('CORRECTION_ALREADY_REMOVED'));
      await assert.rejects(removeCorrection(t.deps, actors.admin, { correctionId: 999_999, reason: 'x' }), rejectsWith('CORRECTION_NOT_FOUND'));

      const row = await t.deps.store.db.selectFrom('corrections').selectAll().where('id', '=', appended.id).executeTakeFirstOrThrow();
      assert.equal(row.body_source, input.text, 'the row and its text stay');
      assert.equal(row.removed_at, clock.now().toISOString());
      assert.equal(row.removed_by, actors.admin.personId);
      assert.equal(row.removal_reason, 'Posted on the wrong story.');
      assert.deepEqual(removed, row);

      const audit = await t.deps.store.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'correction').orderBy('id').execute();
      assert.deepEqual(
        audit.map((a) => [a.action, a.subject_id, a.actor_id, JSON.parse(a.details)]),
        [
          ['correction.appended', appended.id, actors.editor.personId, { storyId: story.id, kind: 'correction' }],
          ['correction.appended', byAdmin.id, actors.admin.personId, { storyId: story.id, kind: 'clarification' }],
          ['correction.removed', appended.id, actors.admin.personId, { storyId: story.id, reason: 'Posted on the wrong story.' }],
        ],
      );
      const events = await t.deps.store.db.selectFrom('outbox').selectAll().where('topic', 'like', 'correction.%').orderBy('id').execute();
      assert.deepEqual(
        events.map((e) => [e.topic, JSON.parse(e.payload)]),
        [
          ['correction.appended', { correctionId: appended.id, storyId: story.id }],
          ['correction.appended', { correctionId: byAdmin.id, storyId: story.id }],
          ['correction.removed', { correctionId: appended.id, storyId: story.id }],
        ],
      );
    });

    it('runs the desk over HTTP: editors append with the form, admins remove with a reason, others are refused', async () => {
      const story = await buildStory(t.deps, { slug: 'desk-story', headline: 'Ferry timetable changes' });
      const desk = `/admin/stories/${story.id}/corrections`;

      const page = await get(desk, 'editor');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /Story: <strong>Ferry timetable changes<\/strong> \(published\)/);
      assert.match(page.body, /This story has no corrections./);
      assert.match(page.body, new RegExp(`<form method="post" action="${desk}" class="admin-form" novalidate>\\n<input type="hidden" name="_csrf" value="${sessions.editor.csrf}">`));
      assert.match(page.body, /<select id="kind" name="kind" required>/);
      assert.match(page.body, /<textarea id="text" name="text" rows="6" maxlength="4000" required aria-describedby="text-hint">/);

      const appended = await post(desk, 'editor', { kind: 'correction', text: 'The 7:40 ferry leaves at 7:45, not 7:40.' });
      assert.equal(appended.statusCode, 303);
      const id = Number(/#correction-(\d+)$/.exec(appended.headers.location as string)?.[1]);
      assert.equal(appended.headers.location, `${desk}#correction-${id}`);

      const editorView = (await get(desk, 'editor')).body;
      assert.match(editorView, new RegExp(`<li id="correction-${id}" class="desk-correction">`));
      assert.match(editorView, /The 7:40 ferry leaves at 7:45, not 7:40./);
      assert.match(editorView, /by Editor Person/);
      assert.doesNotMatch(editorView, /Remove from the story/, 'editors get no remove form');

      for (const role of ['author', 'moderator'] as const) {
        const before = await counts();
        assert.equal((await get(desk, role)).statusCode, 403, role);
        assert.equal((await post(desk, role, { kind: 'correction', text: 'Nope' })).statusCode, 403, role);
        assert.equal((await post(`/admin/corrections/${id}/remove`, role, { reason: 'Nope' })).statusCode, 403, role);
        assert.deepEqual(await counts(), before);
      }
      assert.equal((await post(`/admin/corrections/${id}/remove`, 'editor', { reason: 'Nope' })).statusCode, 403);
      assert.equal((await get(desk)).headers.location, `/admin/sign-in?next=${encodeURIComponent(desk)}`);

      const adminView = (await get(desk, 'admin')).body;
      assert.match(adminView, new RegExp(`<form method="post" action="/admin/corrections/${id}/remove" class="admin-form removal-form" novalidate>`));
      const before = await counts();
      const noReason = await post(`/admin/corrections/${id}/remove`, 'admin', { reason: '  ' });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /Give the reason for removing this correction; it is kept with it./);
      assert.match(noReason.body, new RegExp(`<textarea id="reason-${id}" name="reason"[^>]* aria-invalid="true" aria-describedby="reason-${id}-error reason-${id}-hint">`));
      assert.deepEqual(await counts(), before);

      const removed = await post(`/admin/corrections/${id}/remove`, 'admin', { reason: 'Timetable was right after all.' });
      assert.equal(removed.statusCode, 303);
      assert.equal(removed.headers.location, `${desk}#correction-${id}`);
      const afterRemoval = (await get(desk, 'editor')).body;
      assert.match(afterRemoval, new RegExp(`<li id="correction-${id}" class="desk-correction is-removed">`));
      assert.match(afterRemoval, /<strong>Removed<\/strong> <time datetime="[^"]+">[^<]+<\/time> by Admin Person. Reason: Timetable was right after all./);
      const storyPage = (await get('/stories/desk-story')).body;
      assert.doesNotMatch(storyPage, /7:45, not 7:40|class="story-corrections"/);
      assert.equal((await post(`/admin/corrections/${id}/remove`, 'admin', { reason: 'Twice' })).statusCode, 409);
    });

    it('shows a dated box on the story, newest first, and lists every shown correction on /corrections', async () => {
      const story = await buildStory(t.deps, { slug: 'box-story', headline: 'Harbour dredging to start' });
      const first = await appendCorrection(t.deps, actors.editor, { storyId: story.id, kind: 'correction', text: 'The dredging starts in **March**, not May.' });
      clock.advance(minutes(30));
      const second = await appendCorrection(t.deps, actors.editor, { storyId: story.id, kind: 'clarification', text: 'The budget figure covers two years.' });
      const gone = await appendCorrection(t.deps, actors.editor, { storyId: story.id, kind: 'correction', text: 'Withdrawn note' });
      await removeCorrection(t.deps, actors.admin, { correctionId: gone.id, reason: 'Duplicate' });

      const page = (await get('/stories/box-story')).body;
      assert.match(
        page,
        /<\/header>\n<section id="corrections" class="story-corrections" aria-labelledby="corrections-title">\n<h2 id="corrections-title">Corrections and clarifications<\/h2>/,
      );
      const ids = [...page.matchAll(/<li id="correction-(\d+)"/g)].map((m) => Number(m[1]));
      assert.deepEqual(ids, [second.id, first.id], 'newest first, removed one left out');
      assert.match(page, new RegExp(`<strong class="correction-kind">Clarification</strong>, <time datetime="${second.created_at}">`));
      assert.match(page, /<p>The dredging starts in <strong>March<\/strong>, not May.<\/p>/);
      assert.doesNotMatch(page, /Withdrawn note|Duplicate/);

      const list = await get('/corrections');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /<link rel="canonical" href="http:\/\/localhost:3000\/corrections">/);
      assert.match(list.body, new RegExp(`<a href="/stories/box-story#correction-${second.id}">Harbour dredging to start</a>`));
      assert.match(list.body, new RegExp(`<a href="/stories/box-story#correction-${first.id}">Harbour dredging to start</a>`));
      assert.ok(list.body.indexOf(`#correction-${second.id}`) < list.body.indexOf(`#correction-${first.id}`), 'newest first');
      assert.doesNotMatch(list.body, /Withdrawn note/);
      assert.match(String(list.headers['surrogate-key']), new RegExp(`(^| )corrections( |$).*story:${story.id}`));
      assert.equal(list.headers['cache-control'], t.deps.config.pageCache.cacheControl);
    });

    it('describes every story page in NewsArticle JSON-LD with citations and corrections, safe from its headline', async () => {
      const story = await buildStory(t.deps, {
        slug: 'json-ld-story',
        headline: 'Port </script><script>alert(1)</script> talks & "more"',
        dek: 'A dek.',
        byline: 'By Amina Castell',
        published: '2026-11-27T07:30:00Z',
        sources: [{ title: 'Readout of the call', outlet: 'Harbour Authority', url: 'https://example.org/readout', date: '2026-11-26' }],
      });
      const plain = jsonLdOf((await get('/stories/json-ld-story')).body);
      assert.equal(plain.correction, undefined);
      const correction = await appendCorrection(t.deps, actors.editor, { storyId: story.id, kind: 'correction', text: 'The call was on *Tuesday*.' });

      const page = (await get('/stories/json-ld-story')).body;
      assert.doesNotMatch(page, /<script>alert/);
      const data = jsonLdOf(page);
      assert.equal(data['@type'], 'NewsArticle');
      assert.equal(data.headline, 'Port </script><script>alert(1)</script> talks & "more"');
      assert.equal(data.description, 'A dek.');
      assert.equal(data.datePublished, '2026-11-27T07:30:00.000Z');
      assert.equal(data.dateModified, '2026-11-27T07:30:00.000Z');
      assert.equal(data.url, 'http://localhost:3000/stories/json-ld-story');
      assert.deepEqual(data.author, [{ '@type': 'Person', name: 'Amina Castell', url: 'http://localhost:3000/authors/amina-castell' }]);
      assert.deepEqual({ ...(data.publisher as object), logo: undefined }, { '@type': 'NewsMediaOrganization', name: 'The Readout Ledger', url: 'http://localhost:3000/', logo: undefined });
      assert.deepEqual(data.citation, [
        {
          '@type': 'CreativeWork',
          name: 'Readout of the call',
          url: 'https://example.org/readout',
          publisher: { '@type': 'Organization', name: 'Harbour Authority' },
          datePublished: '2026-11-26',
        },
      ]);
      assert.deepEqual(data.correction, [
        {
          '@type': 'CorrectionComment',
          name: 'Correction',
          text: 'The call was on Tuesday.',
          datePublished: correction.created_at,
          url: `http://localhost:3000/stories/json-ld-story#correction-${correction.id}`,
        },
      ]);
    });

    it('purges the cached story page and corrections list when a correction is appended or removed', async () => {
      const story = await buildStory(t.deps, { slug: 'cached-story' });
      const first = await get('/stories/cached-story');
      const again = await get('/stories/cached-story');
      assert.equal(again.headers.etag, first.headers.etag);
      assert.ok(t.deps.pageCache.get('/stories/cached-story'), 'the story page is cached');
      await get('/corrections');
      assert.ok(t.deps.pageCache.get('/corrections'), 'the corrections list is cached');

      const desk = `/admin/stories/${story.id}/corrections`;
      const appended = await post(desk, 'editor', { kind: 'clarification', text: 'Cache-busting clarification.' });
      assert.equal(appended.statusCode, 303);
      const id = Number(/#correction-(\d+)$/.exec(appended.headers.location as string)?.[1]);
      const updated = await get('/stories/cached-story');
      assert.notEqual(updated.headers.etag, first.headers.etag);
      assert.match(updated.body, /<h2 id="corrections-title">Clarification<\/h2>[\s\S]*Cache-busting clarification./);
      assert.match((await get('/corrections')).body, /Cache-busting clarification./);
      const conditional = await t.app.inject({ url: '/stories/cached-story', headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(conditional.statusCode, 200, 'the old ETag no longer matches');

      assert.equal((await post(`/admin/corrections/${id}/remove`, 'admin', { reason: 'Not needed.' })).statusCode, 303);
      assert.doesNotMatch((await get('/stories/cached-story')).body, /Cache-busting clarification./);
      assert.doesNotMatch((await get('/corrections')).body, /Cache-busting clarification./);
    });

    it('refuses bad input with a clear 4xx, keeps the text, and writes nothing', async () => {
      const story = await buildStory(t.deps, { slug: 'bad-input-story' });
      const draft = await buildStory(t.deps, { slug: 'bad-input-draft', status: 'draft' });
      const scheduled = await buildStory(t.deps, { slug: 'bad-input-later', published: '2099-01-01T00:00:00Z' });
      const desk = `/admin/stories/${story.id}/corrections`;
      const before = await counts();

      const empty = await post(desk, 'editor', { kind: 'correction', text: '  \r\n ' });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /<span id="text-error" class="field-error">Write the text of the correction.<\/span>/);
      assert.match(empty.body, /Nothing was changed. Please correct the fields marked below./);

      const long = `Too long <b>${'x'.repeat(4_000)}`;
      const tooLong = await post(desk, 'editor', { kind: 'clarification', text: long });
      assert.equal(tooLong.statusCode, 422);
      assert.match(tooLong.body, /Keep it to 4,000 characters or fewer \(this text has 4,012\)./);
      assert.ok(tooLong.body.includes(`aria-describedby="text-error text-hint">\nToo long &lt;b&gt;${'x'.repeat(4_000)}</textarea>`), 'the text is kept, escaped');
      assert.match(tooLong.body, /<option value="clarification" selected>/);

      const badKind = await post(desk, 'editor', { kind: 'retraction', text: 'Kept text' });
      assert.equal(badKind.statusCode, 422);
      assert.match(badKind.body, /Choose whether this is a correction or a clarification./);
      assert.match(badKind.body, />\nKept text<\/textarea>/);

      for (const unpublished of [draft, scheduled]) {
        const res = await post(`/admin/stories/${unpublished.id}/corrections`, 'editor', { kind: 'correction', text: 'Kept text' });
        assert.equal(res.statusCode, 409);
        assert.match(res.body, /Only a published story can be corrected; edit a draft or scheduled story instead./);
        assert.match((await get(`/admin/stories/${unpublished.id}/corrections`, 'editor')).body, /Only a published story can be corrected. This story is/);
      }
      await assert.rejects(
        appendCorrection(t.deps, actors.editor, { storyId: draft.id, kind: 'correction', text: 'x' }),
        rejectsWith('CORRECTION_STORY_NOT_PUBLISHED'),
      );

      const unknown = await post('/admin/stories/999999/corrections', 'editor', { kind: 'correction', text: 'Kept text' });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /There is no story with this id./);
      assert.equal((await get('/admin/stories/999999/corrections', 'editor')).statusCode, 404);
      assert.equal((await get('/admin/stories/not-a-number/corrections', 'editor')).statusCode, 404);
      assert.equal((await post('/admin/corrections/999999/remove', 'admin', { reason: 'x' })).statusCode, 404);

      const noCsrf = await post(desk, 'editor', { kind: 'correction', text: 'Kept text' }, false);
      assert.equal(noCsrf.statusCode, 403);
      assert.match(noCsrf.body, /This form has expired or did not come from this site./);
      const wrongCsrf = await post(desk, 'editor', { _csrf: 'x'.repeat(43), kind: 'correction', text: 'Kept text' }, false);
      assert.equal(wrongCsrf.statusCode, 403);
      const noSession = await t.app.inject({ method: 'POST', url: desk, headers: formHeaders, payload: form({ kind: 'correction', text: 'x' }) });
      assert.equal(noSession.statusCode, 401);
      const crossSite = await t.app.inject({
        method: 'POST',
        url: desk,
        headers: { ...formHeaders, origin: 'https://evil.example', cookie: sessions.editor.cookie },
        payload: form({ _csrf: sessions.editor.csrf, kind: 'correction', text: 'x' }),
      });
      assert.equal(crossSite.statusCode, 403);
      const repeated = await t.app.inject({
        method: 'POST',
        url: desk,
        headers: { ...formHeaders, cookie: sessions.editor.cookie },
        payload: `_csrf=${encodeURIComponent(sessions.editor.csrf)}&kind=correction&text=a&text=b`,
      });
      assert.equal(repeated.statusCode, 400);
      const tooLongReason = await post(`/admin/corrections/999999/remove`, 'admin', { reason: 'r'.repeat(501) });
      assert.equal(tooLongReason.statusCode, 404, 'an unknown correction is named before the reason is re-shown');

      assert.deepEqual(await counts(), before);
      assert.doesNotMatch((await get('/stories/bad-input-story')).body, /class="story-corrections"/);
    });

    it('pages the corrections list, 50 a page, newest first', async () => {
      const story = await buildStory(t.deps, { slug: 'many-corrections' });
      for (let i = 0; i < correctionsPageSize + 1; i++) {
        clock.advance(1_000);
        await appendCorrection(t.deps, actors.editor, { storyId: story.id, kind: 'correction', text: `Paged note ${i}` });
      }
      const first = (await get('/corrections')).body;
      assert.equal((first.match(/class="listed-correction"/g) ?? []).length, 50);
      assert.match(first, /Paged note 50<\/p>/);
      assert.doesNotMatch(first, /Paged note 0<\/p>/);
      assert.match(first, /<a rel="next" href="\/corrections\?page=2">Older corrections<\/a>/);
      const second = await get('/corrections?page=2');
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /<link rel="canonical" href="http:\/\/localhost:3000\/corrections\?page=2">/);
      assert.match(second.body, /Paged note 0<\/p>/);
      assert.match(second.body, /<a rel="prev" href="\/corrections">Newer corrections<\/a>/);
      assert.equal((await get('/corrections?page=abc')).statusCode, 200, 'a bad page number means page 1');
    });
  });
}
