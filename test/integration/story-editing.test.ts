import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError, ValidationError } from '../../src/errors.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { diffRevisions, parseStoryForm, restoreRevision, saveStory, type StoryFormInput } from '../../src/modules/stories/index.js';
import { createTestApp, FakeClock, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { eventually } from '../harness/wait.js';

const password = 'tide clock harbour 41';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const blank: StoryFormInput = { headline: '', slug: '', dek: '', byline: 'By Staff', dateline: '', body: 'Text.', related: '', sources: [] };
const draftOf = (fields: Partial<StoryFormInput>) => parseStoryForm({ ...blank, ...fields });

for (const { kind, skip } of await databaseMatrix()) {
  describe(`story editing and workflow on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = new FakeClock();
    const actors: Record<string, Actor> = {};
    before(async () => {
      t = await createTestApp({ db: kind, clock });
      for (const role of ['admin', 'editor', 'author', 'moderator'] as const) {
        const { person } = await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        actors[role] = { personId: person.id, name: person.name, role };
      }
    });
    after(() => t?.close());
    const actor = (role: string) => actors[role] as Actor;
    const count = async (table: 'stories' | 'story_revisions' | 'audit_log') =>
      Number((await t.deps.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('lets each role do exactly what the permission table says', async () => {
      const draft = await saveStory(t.deps, actor('author'), { draft: draftOf({ headline: 'Author draft' }), action: { kind: 'save' } });
      assert.equal(draft.status, 'draft');
      await assert.rejects(saveStory(t.deps, actor('moderator'), { draft: draftOf({ headline: 'No' }), action: { kind: 'save' } }), /does not allow/);
      await assert.rejects(saveStory(t.deps, actor('author'), { storyId: draft.id, draft: draftOf({ headline: 'Go' }), action: { kind: 'publish' } }), /does not allow/);
      const other = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Editor draft' }), action: { kind: 'save' } });
      await assert.rejects(
        saveStory(t.deps, actor('author'), { storyId: other.id, draft: draftOf({ headline: 'Mine now' }), action: { kind: 'save' } }),
        (e: Error) => e instanceof DomainError && e.code === 'AUTH_NOT_PERMITTED',
      );
      const edited = await saveStory(t.deps, actor('author'), { storyId: draft.id, draft: draftOf({ headline: 'Author draft, v2' }), action: { kind: 'save' } });
      assert.equal(edited.headline, 'Author draft, v2');
      const published = await saveStory(t.deps, actor('editor'), { storyId: draft.id, draft: draftOf({ headline: 'Author draft, v2' }), action: { kind: 'publish' } });
      assert.equal(published.status, 'published');
      await assert.rejects(
        saveStory(t.deps, actor('author'), { storyId: draft.id, draft: draftOf({ headline: 'After publication' }), action: { kind: 'save' } }),
        /only their own drafts/,
      );
    });

    it('shows administrators the audit log', async () => {
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email: 'admin@example.org', password }).toString() });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] as string;
      await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Audited <story>' }), action: { kind: 'save' } });
      const page = await t.app.inject({ url: '/admin/audit', headers: { cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<td>The editor<\/td><td>story.created<\/td>/);
      assert.match(page.body, /Audited &lt;story&gt;/);
    });

    it('keeps a revision and an audit entry for every save', async () => {
      const before = [await count('story_revisions'), await count('audit_log')];
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Counted' }), action: { kind: 'save' } });
      await saveStory(t.deps, actor('editor'), { storyId: s.id, draft: draftOf({ headline: 'Counted again' }), action: { kind: 'publish' } });
      assert.deepEqual([await count('story_revisions'), await count('audit_log')], [before[0] as number + 2, before[1] as number + 2]);
      const actions = await t.deps.store.db.selectFrom('audit_log').select('action').where('subject_id', '=', s.id).orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['story.created', 'story.published']);
    });

    it('shows "Updated" only for a substantive update of a published story', async () => {
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Updates', slug: 'updates' }), action: { kind: 'publish' } });
      clock.advance(60_000);
      await saveStory(t.deps, actor('editor'), { storyId: s.id, draft: draftOf({ headline: 'Updates (typo fixed)', slug: 'updates' }), action: { kind: 'save' } });
      assert.doesNotMatch((await t.app.inject({ url: '/stories/updates' })).body, /class="updated"/);
      clock.advance(60_000);
      await saveStory(t.deps, actor('editor'), { storyId: s.id, draft: draftOf({ headline: 'Updates (new facts)', slug: 'updates' }), action: { kind: 'save' }, substantive: true });
      const page = (await t.app.inject({ url: '/stories/updates' })).body;
      assert.match(page, /Updates \(new facts\)/);
      assert.match(page, new RegExp(`Updated <time datetime="${clock.now().toISOString()}" class="updated">`));
    });

    it('keeps the old address of a renamed story working as a 301', async () => {
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Old name', slug: 'old-name' }), action: { kind: 'publish' } });
      assert.equal((await t.app.inject({ url: '/stories/old-name' })).statusCode, 200);
      await saveStory(t.deps, actor('editor'), { storyId: s.id, draft: draftOf({ headline: 'New name', slug: 'new-name' }), action: { kind: 'save' } });
      const moved = await t.app.inject({ url: '/stories/old-name' });
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, '/stories/new-name');
      assert.equal((await t.app.inject({ url: '/stories/new-name' })).statusCode, 200);
      await assert.rejects(
        saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Squatter', slug: 'old-name' }), action: { kind: 'save' } }),
        (e: Error) => e instanceof ValidationError && /Another story uses the address/.test(e.fieldErrors.slug ?? ''),
      );
    });

    it('publishes a scheduled story on time, once, even across a restart', async () => {
      const at = new Date(clock.now().getTime() + 10 * 60_000).toISOString();
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Scheduled', slug: 'scheduled' }), action: { kind: 'schedule', at } });
      assert.equal(s.status, 'scheduled');
      await t.runtime.scheduler.tick();
      assert.equal((await t.app.inject({ url: '/stories/scheduled' })).statusCode, 404);
      assert.doesNotMatch((await t.app.inject({ url: '/' })).body, /Scheduled/);
      clock.advance(10 * 60_000);
      // A second app node on the same database, as after a restart: both run the scheduler at once.
      const other = await createTestApp({ db: kind, clock, database: t.database });
      try {
        // Two SQLite "nodes" in one process would block each other's event loop in SQLite's busy
        // wait, so there they run one after the other; PostgreSQL runs them truly at once.
        if (kind === 'postgres') await Promise.all([t.runtime.scheduler.tick(), other.runtime.scheduler.tick()]);
        else for (const node of [other, t]) await node.runtime.scheduler.tick();
      } finally {
        await other.close();
      }
      assert.equal((await t.app.inject({ url: '/stories/scheduled' })).statusCode, 200);
      // Whichever node published it, this node's cached front page follows (at once, or from the outbox).
      await eventually(async () => /Scheduled/.test((await t.app.inject({ url: '/' })).body));
      const published = await t.deps.store.db.selectFrom('audit_log').select('actor_name').where('subject_id', '=', s.id).where('action', '=', 'story.published').execute();
      assert.deepEqual(published.map((p) => p.actor_name), ['scheduler']);
      await assert.rejects(
        saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Past' }), action: { kind: 'schedule', at: '2000-01-01T00:00:00.000Z' } }),
        (e: Error) => e instanceof ValidationError && /time in the future/.test(e.fieldErrors.publish_at ?? ''),
      );
    });

    it('shows a readable diff between two revisions and restores one as a new revision', async () => {
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Rev one', slug: 'revs', body: 'Line A\nLine B\nLine C' }), action: { kind: 'publish' } });
      await saveStory(t.deps, actor('editor'), { storyId: s.id, draft: draftOf({ headline: 'Rev two', slug: 'revs', body: 'Line A\nLine B, changed\nLine C' }), action: { kind: 'save' } });
      const diff = await diffRevisions(t.deps, actor('editor'), { storyId: s.id, from: 1, to: 2 });
      assert.deepEqual(diff.fields.map((f) => f.field), ['Headline', 'Story']);
      assert.deepEqual(diff.fields[1]?.lines.filter((l) => l.op !== 'same'), [
        { op: 'removed', text: 'Line B' },
        { op: 'added', text: 'Line B, changed' },
      ]);
      const restored = await restoreRevision(t.deps, actor('editor'), { storyId: s.id, number: 1 });
      assert.equal(restored.headline, 'Rev one');
      assert.equal(restored.body_source, 'Line A\nLine B\nLine C');
      const revisions = await t.deps.store.db.selectFrom('story_revisions').select(['number', 'note']).where('story_id', '=', s.id).orderBy('number').execute();
      assert.deepEqual(revisions, [
        { number: 1, note: null },
        { number: 2, note: null },
        { number: 3, note: 'Restored revision 1' },
      ]);
      await assert.rejects(restoreRevision(t.deps, actor('author'), { storyId: s.id, number: 2 }), /only their own drafts/);
    });

    it('sets section and tags from the editor, shown on the story and its listings', async () => {
      await saveStory(t.deps, actor('editor'), {
        draft: draftOf({ headline: 'Filed under', slug: 'filed-under', section: 'Harbour', tags: 'strikes, ferries, strikes' }),
        action: { kind: 'publish' },
      });
      const page = (await t.app.inject({ url: '/stories/filed-under' })).body;
      assert.match(page, /href="\/sections\/harbour"/);
      assert.match(page, /href="\/tags\/strikes"/);
      assert.match(page, /href="\/tags\/ferries"/);
      assert.match((await t.app.inject({ url: '/tags/ferries' })).body, /Filed under/);
    });

    it('links the story to its authors, named in the editor or found in the byline', async () => {
      await saveStory(t.deps, actor('editor'), {
        draft: draftOf({ headline: 'Two bylines', slug: 'two-bylines', byline: 'By Amina Castell and Tomas Varga' }),
        action: { kind: 'publish' },
      });
      await saveStory(t.deps, actor('editor'), {
        draft: draftOf({ headline: 'Named authors', slug: 'named-authors', byline: 'By Staff', authors: 'Rosa Lindqvist, Dev Okafor' }),
        action: { kind: 'publish' },
      });
      assert.match((await t.app.inject({ url: '/authors/tomas-varga' })).body, /Two bylines/);
      assert.match((await t.app.inject({ url: '/authors/dev-okafor' })).body, /Named authors/);
      assert.doesNotMatch((await t.app.inject({ url: '/authors/staff' })).body, /Named authors/, 'named authors replace the byline');
    });

    it('lets only an admin remove a source from a published story, and audits it', async () => {
      const sources = [
        { title: 'Kept', outlet: '', url: 'https://example.org/kept', date: '' },
        { title: 'Dropped', outlet: '', url: 'https://example.org/dropped', date: '' },
      ];
      const s = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Sourced', sources }), action: { kind: 'publish' } });
      const without = draftOf({ headline: 'Sourced', slug: s.slug, sources: sources.slice(0, 1) });
      await assert.rejects(
        saveStory(t.deps, actor('editor'), { storyId: s.id, draft: without, action: { kind: 'save' } }),
        (e: Error) => e instanceof ValidationError && /only be removed by an administrator \(missing now: Dropped\)/.test(e.fieldErrors.sources ?? ''),
      );
      await saveStory(t.deps, actor('admin'), { storyId: s.id, draft: without, action: { kind: 'save' } });
      const audit = await t.deps.store.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', s.id).where('action', '=', 'source.removed').execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0]?.details ?? '', /example.org\/dropped/);
      // A draft's sources are the writer's own business until readers have seen them.
      const d = await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'Draft sourced', sources }), action: { kind: 'save' } });
      await saveStory(t.deps, actor('editor'), { storyId: d.id, draft: draftOf({ headline: 'Draft sourced', slug: d.slug, sources: [] }), action: { kind: 'save' } });
    });

    it('refuses bad editor input naming the fields, writing nothing', async () => {
      const before = [await count('stories'), await count('story_revisions')];
      assert.throws(
        () => parseStoryForm({ ...blank, headline: '', byline: '', body: ' ', slug: 'Bad Slug', sources: [{ title: '', outlet: '', url: 'ftp://x', date: '27/11' }] }),
        (e: Error) =>
          e instanceof ValidationError &&
          ['headline', 'byline', 'body', 'slug', 'sources.0.title', 'sources.0.url', 'sources.0.date'].every((f) => f in e.fieldErrors),
      );
      await assert.rejects(saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'R', related: 'no-such-story' }), action: { kind: 'save' } }), ValidationError);
      assert.deepEqual([await count('stories'), await count('story_revisions')], before);
    });

    it('runs the editor over HTTP: write, preview without saving, publish, with a 422 that keeps the text', async () => {
      const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email: 'editor@example.org', password }).toString() });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] as string;
      const editor = await t.app.inject({ url: '/admin/stories/new', headers: { cookie } });
      assert.equal(editor.statusCode, 200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';
      const post = (fields: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: '/admin/stories', headers: { ...formHeaders, cookie }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
      const before = await count('stories');
      const preview = await post({ headline: 'Via HTTP', byline: 'By E', body: '> "Quoted," she said.', action: 'preview' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /<blockquote>/);
      assert.equal(await count('stories'), before);
      const invalid = await post({ headline: '', byline: 'By E', body: 'Keep this text', action: 'save', 'sources[0][title]': 'S', 'sources[0][url]': 'nope' });
      assert.equal(invalid.statusCode, 422);
      assert.match(invalid.body, />Keep this text<\/textarea>/);
      assert.match(invalid.body, /Give the story a headline./);
      assert.match(invalid.body, /Give the address as http/);
      const saved = await post({
        headline: 'Via HTTP',
        byline: 'By E',
        body: 'Body',
        action: 'publish',
        'sources[0][title]': 'A source',
        'sources[0][url]': 'https://example.org/s',
        'sources[0][order]': '2',
        'sources[1][title]': 'First by position',
        'sources[1][url]': 'https://example.org/first',
        'sources[1][order]': '1',
      });
      assert.equal(saved.statusCode, 303);
      assert.match(saved.headers.location as string, /^\/admin\/stories\/\d+\/edit\?saved=1$/);
      const page = await t.app.inject({ url: '/stories/via-http' });
      assert.match(page.body, /<a href="https:\/\/example.org\/s" rel="noopener">A source<\/a>/);
      assert.ok(page.body.indexOf('First by position') < page.body.indexOf('>A source<'), 'sources follow their positions');
      const list = await t.app.inject({ url: '/admin/stories?status=published&q=via', headers: { cookie } });
      assert.match(list.body, /Via HTTP/);
      await saveStory(t.deps, actor('editor'), { draft: draftOf({ headline: 'In the harbour section', section: 'Harbour' }), action: { kind: 'save' } });
      const harbour = await t.deps.store.db.selectFrom('sections').select('id').where('slug', '=', 'harbour').executeTakeFirstOrThrow();
      const bySection = await t.app.inject({ url: `/admin/stories?section=${harbour.id}`, headers: { cookie } });
      assert.match(bySection.body, /In the harbour section/);
      assert.doesNotMatch(bySection.body, /Via HTTP/);
      const audit = await t.app.inject({ url: '/admin/audit', headers: { cookie } });
      assert.equal(audit.statusCode, 403, 'editors may not read the audit log');
      const noCsrf = await t.app.inject({ method: 'POST', url: '/admin/stories', headers: { ...formHeaders, cookie }, payload: 'headline=X&byline=Y&body=Z' });
      assert.equal(noCsrf.statusCode, 403);
    });
  });
}
