import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { configureCommentSettings, loadCommentSettings } from '../../src/modules/comments/index.js';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { eventually } from '../harness/wait.js';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`page cache across app nodes on ${kind}`, { skip }, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    before(async () => {
      nodeA = await createTestApp({ db: kind });
      nodeB = await createTestApp({ db: kind, database: nodeA.database });
      await useCommentSettings(nodeA.deps, { rules: openDoorRules });
    });
    after(async () => {
      await nodeB?.close();
      await nodeA?.close();
    });

    it("purges a node's cached story page when another node stores a comment", async () => {
      const story = await buildStory(nodeA.deps, { slug: 'shared-story' });
      const first = await nodeA.app.inject({ url: '/stories/shared-story' });
      assert.equal(first.statusCode, 200);
      assert.equal(nodeA.deps.pageCache.get('/stories/shared-story')?.etag, first.headers.etag);
      await buildComment(nodeB.deps, { storyId: story.id, comment: 'Posted through node B' });
      await eventually(async () => /Posted through node B/.test((await nodeA.app.inject({ url: '/stories/shared-story' })).body));
    });

    it("purges the front page when another process imports a story", async () => {
      await nodeA.app.inject({ url: '/' });
      await buildStory(nodeB.deps, { headline: 'Imported elsewhere' });
      await eventually(async () => /Imported elsewhere/.test((await nodeA.app.inject({ url: '/' })).body));
    });
  });
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`cached story pages and comment settings on ${kind}`, { skip }, () => {
    const clock = new FakeClock();
    let t: TestApp;
    before(async () => {
      // The follower would purge this node's own events a second time; these tests read the cache directly.
      t = await createTestApp({ db: kind, clock, followIntervalMs: 3_600_000 });
    });
    after(async () => {
      await t?.close();
    });

    it('lets a cached story page go stale by itself when its comments close (auto-close), with no purge', async () => {
      // Published 2026-11-26T12:00Z; the site closes comments after 2 days: at 2026-11-28T12:00Z.
      await useCommentSettings(t.deps, { closeAfterDays: 2 });
      await buildStory(t.deps, { slug: 'closing-soon' });
      const open = await t.app.inject({ url: '/stories/closing-soon' });
      assert.match(open.body, /id="commentform"/);
      assert.equal(t.deps.pageCache.get('/stories/closing-soon', clock.now().getTime())?.etag, open.headers.etag, 'cached');
      clock.advance(27 * 3_600_000 - 1); // 2026-11-28T11:59:59.999Z
      assert.equal((await t.app.inject({ url: '/stories/closing-soon' })).headers.etag, open.headers.etag, 'still the cached page');
      clock.advance(1);
      const closed = await t.app.inject({ url: '/stories/closing-soon' });
      assert.doesNotMatch(closed.body, /id="commentform"/);
      assert.match(closed.body, /Comments are closed\./);
    });

    it("purges every story page when an editor changes the site's comment settings", async () => {
      await useCommentSettings(t.deps, {});
      await buildStory(t.deps, { slug: 'settings-follow' });
      assert.match((await t.app.inject({ url: '/stories/settings-follow' })).body, /id="commentform"/);
      assert.ok(t.deps.pageCache.get('/stories/settings-follow', clock.now().getTime()));
      const { person: editor } = await createStaffMember(t.deps, commandLineActor, { name: 'Ed Itor', email: 'ed@example.org', role: 'editor', password: 'tide clock harbour 41' });
      const actor = { personId: editor.id, name: editor.name, role: 'editor' as const };
      await configureCommentSettings(t.deps, actor, { ...(await loadCommentSettings(t.deps)), closeAfterDays: 1 });
      assert.equal(t.deps.pageCache.get('/stories/settings-follow', clock.now().getTime()), undefined, 'purged at once');
      assert.match((await t.app.inject({ url: '/stories/settings-follow' })).body, /Comments are closed\./);
    });
  });
}
