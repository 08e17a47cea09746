import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';
import { freePort, httpRequest, ServerProcess } from '../harness/server-process.js';
import { eventually } from '../harness/wait.js';

/**
 * READOUT_WORKERS=2: two worker processes share the port (node:cluster). A comment posted through
 * one worker is on the story page at once whichever worker answers next: the workers pass their
 * purges to each other through the primary rather than waiting for the outbox follower.
 */
const storyPath = '/stories/harbour-authority-and-dockworkers-agree-to-resume-talks';

for (const { kind, skip } of await databaseMatrix()) {
  describe(`two worker processes on one port on ${kind}`, { skip }, () => {
    let database: TestDatabase | undefined;
    let server: ServerProcess | undefined;
    let admin: TestApp | undefined;
    after(async () => {
      await server?.kill('SIGTERM').catch(() => server?.kill('SIGKILL'));
      await admin?.close();
      await database?.drop();
    });

    it('serves from both workers and a comment reaches every cached copy at once', { timeout: 90_000 }, async () => {
      database = await createTestDatabase(kind);
      server = await ServerProcess.start({ databaseUrl: database.url, port: await freePort(), env: { READOUT_WORKERS: '2' } });
      const port = server.port;
      // The newsroom opens the doors (no first-time hold), from a process of its own like the CLI.
      admin = await createTestApp({ db: kind, database });
      await useCommentSettings(admin.deps, { rules: openDoorRules });

      // Fresh connections are spread over the workers; until both have a page cached with the new settings…
      const etags = new Set<string>();
      await eventually(async () => {
        const page = await httpRequest({ port, path: storyPath });
        if (page.status === 200 && /name="readout_form_token"/.test(page.body)) etags.add(String(page.headers.etag));
        return etags.size >= 2;
      }, 15_000);
      const page = await httpRequest({ port, path: storyPath });
      const storyId = Number(/name="comment_post_ID" value="(\d+)"/.exec(page.body)?.[1]);
      const token = (JSON.parse((await httpRequest({ port, path: '/comments/form-token' })).body) as { token: string }).token;

      const posted = await httpRequest({
        port,
        path: '/comments',
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: server.url },
        body: new URLSearchParams({
          comment: `Posted through one worker on ${kind}`,
          author: 'Reader',
          email: 'reader@example.org',
          comment_post_ID: String(storyId),
          comment_parent: '0',
          readout_form_token: token,
        }).toString(),
      });
      assert.equal(posted.status, 201, posted.body);
      assert.equal((JSON.parse(posted.body) as { status: string }).status, 'approved');
      for (let i = 0; i < 8; i++) {
        const again = await httpRequest({ port, path: storyPath });
        assert.match(again.body, new RegExp(`Posted through one worker on ${kind}`), `request ${i} got a stale page`);
      }
    });
  });
}
