import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadCommentSettings } from '../../src/modules/comments/comment-settings.js';
import { settingFields } from '../../src/modules/comments/comment-settings.form.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const password = 'tide clock harbour 41';
const url = '/admin/comments/settings';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`comment settings screen on ${kind}`, { skip }, () => {
    let t: TestApp;
    const cookies: Record<string, string> = {};

    before(async () => {
      t = await createTestApp({ db: kind });
      for (const role of ['editor', 'author', 'moderator'] as const) {
        await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: new URLSearchParams({ email: `${role}@example.org`, password }).toString() });
        cookies[role] = String(signIn.headers['set-cookie']).split(';')[0] as string;
      }
    });
    after(() => t?.close());

    const page = (role = 'editor') => t.app.inject({ url, headers: { cookie: cookies[role]! } });
    const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

    /** The form as the page fills it, with `changes` applied (a checkbox: '' leaves it out). */
    async function formWith(changes: Record<string, string>): Promise<URLSearchParams> {
      const body = (await page()).body;
      const form = new URLSearchParams({ _csrf: csrfOf(body) });
      for (const f of settingFields) {
        const id = `setting-${f.name.replace(/\./g, '-')}`;
        let value: string;
        if (f.kind === 'checkbox') value = new RegExp(`id="${id}"[^>]* checked`).test(body) ? 'on' : '';
        else if (f.kind === 'lines') value = new RegExp(`id="${id}"[^>]*>([^<]*)</textarea>`).exec(body)?.[1] ?? '';
        else if (f.kind === 'choice') value = new RegExp(`<select id="${id}"[\\s\\S]*?<option value="([^"]+)" selected`).exec(body)?.[1] ?? '';
        else value = new RegExp(`id="${id}"[^>]* value="([^"]*)"`).exec(body)?.[1] ?? '';
        if (f.name in changes) value = changes[f.name]!;
        if (value !== '' || f.kind !== 'checkbox') form.set(f.name, value);
      }
      return form;
    }

    it('shows every setting with its label and help text, to editors only', async () => {
      const res = await page();
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      for (const f of settingFields) {
        const id = `setting-${f.name.replace(/\./g, '-')}`;
        assert.match(res.body, new RegExp(`<label for="${id}">`), `a label for ${f.name}`);
        assert.match(res.body, new RegExp(`id="${id}-hint" class="hint">[^<]+`), `help for ${f.name}`);
      }
      assert.match(res.body, /<input id="setting-rules-holdFirstTimeCommenters" name="rules.holdFirstTimeCommenters" type="checkbox" value="on" checked/);
      assert.match(res.body, /<textarea id="setting-rules-spamIpRanges" name="rules.spamIpRanges"/);
      assert.match(res.body, /name="_csrf"/);
      assert.equal((await page('author')).statusCode, 403);
      assert.equal((await page('moderator')).statusCode, 403);
      assert.equal((await t.app.inject({ url })).statusCode, 303, 'signed out: to the sign-in page');
    });

    it('re-renders the form with 422, the input kept and each problem named, saving nothing', async () => {
      const form = await formWith({
        'rules.spamIpRanges': '203.0.113.0/24\nnot-an-ip',
        'rules.spamDomains': 'example.com\nbad domain',
        'rules.maxLinks': 'lots',
        perPage: '2',
        'rules.blockedPhrases': 'keep <this> text',
      });
      const res = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.editor! }, payload: form.toString() });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /The settings were not saved/);
      assert.match(res.body, /Entry 2, “not-an-ip”, is not an IP address or CIDR range/);
      assert.match(res.body, /Entry 2, “bad domain”, is not a domain/);
      assert.match(res.body, /“lots” is not a whole number; give one between 0 and 100\./);
      assert.match(res.body, /Give a whole number between 5 and 500\./);
      assert.match(res.body, />203\.0\.113\.0\/24\nnot-an-ip<\/textarea>/);
      assert.match(res.body, />keep &lt;this&gt; text<\/textarea>/, 'kept, and escaped');
      assert.match(res.body, /id="setting-rules-maxLinks"[^>]* value="lots"[^>]* aria-invalid="true"/);
      assert.deepEqual((await loadCommentSettings(t.deps)).rules.spamIpRanges, []);
    });

    it('refuses a spam score below the hold score', async () => {
      const form = await formWith({ 'rules.holdScore': '8', 'rules.spamScore': '6' });
      const res = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.editor! }, payload: form.toString() });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /The spam score must not be below the hold score \(8\)\./);
    });

    it('saves valid settings, writes an audit entry naming the changes, and the rules take effect', async () => {
      const form = await formWith({
        'rules.holdFirstTimeCommenters': '',
        'rules.maxLinks': '5',
        'rules.blockedPhrases': 'Ferry mafia\n\n  ferry mafia  \nsecond phrase',
        'rules.spamDomains': '@Junk.Example',
        'rules.spamIpRanges': '2001:db8::/32\n::ffff:198.51.100.0/120',
        order: 'newest',
        closeAfterDays: '30',
      });
      const res = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.editor! }, payload: form.toString() });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${url}?saved=1`);
      const s = await loadCommentSettings(t.deps);
      assert.equal(s.rules.holdFirstTimeCommenters, false);
      assert.equal(s.rules.maxLinks, 5);
      assert.deepEqual(s.rules.blockedPhrases, ['Ferry mafia', 'ferry mafia', 'second phrase']);
      assert.deepEqual(s.rules.spamDomains, ['junk.example']);
      assert.deepEqual(s.rules.spamIpRanges, ['2001:db8::/32', '::ffff:198.51.100.0/120']);
      assert.equal(s.order, 'newest');
      assert.equal(s.closeAfterDays, 30);
      assert.equal(s.rules.holdScore, 5, 'untouched settings keep their values');
      const saved = await t.app.inject({ url: `${url}?saved=1`, headers: { cookie: cookies.editor! } });
      assert.match(saved.body, /The comment settings were saved\./);
      assert.match(saved.body, /<input id="setting-rules-holdFirstTimeCommenters" name="rules.holdFirstTimeCommenters" type="checkbox" value="on" aria-describedby/);
      const audit = await t.deps.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'comment-settings.changed').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actor_name, 'The editor');
      assert.equal(audit[0]?.subject_type, 'settings');
      const changes = (JSON.parse(audit[0]!.details) as { changes: { setting: string; from: unknown; to: unknown }[] }).changes;
      assert.deepEqual(
        changes.map((c) => c.setting).sort(),
        ['closeAfterDays', 'order', 'rules.blockedPhrases', 'rules.holdFirstTimeCommenters', 'rules.maxLinks', 'rules.spamDomains', 'rules.spamIpRanges'],
      );
      assert.deepEqual(changes.find((c) => c.setting === 'rules.maxLinks'), { setting: 'rules.maxLinks', from: 2, to: 5 });
      // The new rules apply to the next post.
      const story = await buildStory(t.deps, { slug: 'settings-take-effect' });
      const posted = await t.app.inject({
        method: 'POST',
        url: '/comments',
        remoteAddress: '2001:db8::5',
        headers: { ...formHeaders, accept: 'application/json' },
        payload: new URLSearchParams({ comment: 'Hello there', author: 'Ann', email: 'ann@example.org', comment_post_ID: String(story.id) }).toString(),
      });
      assert.equal(posted.json().status, 'spam');
      // Saving the same again changes nothing and writes no audit entry.
      const again = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.editor! }, payload: (await formWith({})).toString() });
      assert.equal(again.headers.location, `${url}?saved=0`);
      assert.equal((await t.deps.store.db.selectFrom('audit_log').select('id').where('action', '=', 'comment-settings.changed').execute()).length, 1);
    });

    it('refuses a post without the CSRF token or by someone without the permission', async () => {
      const form = await formWith({ 'rules.maxLinks': '9' });
      form.delete('_csrf');
      const noCsrf = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.editor! }, payload: form.toString() });
      assert.equal(noCsrf.statusCode, 403);
      const authorPage = await t.app.inject({ url: '/admin', headers: { cookie: cookies.author! } });
      form.set('_csrf', csrfOf(authorPage.body));
      const byAuthor = await t.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: cookies.author! }, payload: form.toString() });
      assert.equal(byAuthor.statusCode, 403);
      assert.notEqual((await loadCommentSettings(t.deps)).rules.maxLinks, 9);
    });
  });
}
