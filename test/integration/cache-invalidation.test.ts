import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { createTestApp, type TestApp } from '../harness/app.js';
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
