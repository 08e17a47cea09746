import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { openStore, type Store } from '../../src/db/database.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';
import { freePort, httpRequest, ServerProcess, type ExitInfo, type HttpResponse } from '../harness/server-process.js';

/**
 * Acceptance: a comment acknowledged with 303 (form) or 201 (JSON) survives `kill -9` of the
 * server one instant later. The real server runs as its own process; 16 clients post at once;
 * the server is SIGKILLed the moment the target number of acknowledgements has arrived (or after
 * a time limit), with requests still in flight; after a restart on the same database every
 * acknowledged comment must be there with its exact text, in the database and on the story page.
 */

const clients = 16;
/** Kill once this many comments were acknowledged… */
const killAfterAcks = 200;
/** …or after this long, whichever comes first. */
const maxPostingMs = 3_000;
/** A hard cap per client, in case acknowledgements come faster than anyone expects. */
const maxPostsPerClient = 1_000;
const storySlug = 'harbour-authority-and-dockworkers-agree-to-resume-talks';
const storyPath = `/stories/${storySlug}`;

interface Ack {
  id: number;
  text: string;
  via: 303 | 201;
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`kill -9 of the server on ${kind}`, { skip }, () => {
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    const servers: ServerProcess[] = [];

    after(async () => {
      for (const server of servers) await server.kill('SIGKILL').catch(() => {});
      await store?.destroy();
      await database?.drop();
    });

    it('keeps every comment acknowledged with 303 or 201 before the kill', { timeout: 120_000 }, async (t) => {
      database = await createTestDatabase(kind);
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      const first = await ServerProcess.start({ databaseUrl: database.url, port });
      servers.push(first);

      // The sample story is seeded on first start of an empty database.
      const page = await httpRequest({ port, path: storyPath });
      assert.equal(page.status, 200, `GET ${storyPath}`);
      const storyId = Number(/name="comment_post_ID" value="(\d+)"/.exec(page.body)?.[1]);
      assert.ok(storyId > 0, 'the story page has the comment form with the story id');
      // Every comment must be approved at once (this is about durability, not moderation): the
      // server reads the comment settings on each post, so storing them now is enough.
      store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
      // One page of comments holds them all (at most 500 top-level comments a page), so the reload below sees every one.
      await useCommentSettings({ store }, { perPage: 500, rules: openDoorRules });

      // --- Post concurrently, and kill -9 the moment enough comments were acknowledged. ---
      const tag = `k9${randomBytes(4).toString('hex')}`;
      const acks: Ack[] = [];
      const unexpected: string[] = [];
      let inFlight = 0;
      let inFlightAtKill = 0;
      let failedAfterKill = 0;
      let sent = 0;
      let killed: Promise<ExitInfo> | undefined;
      const killNow = () => {
        if (killed) return;
        inFlightAtKill = inFlight;
        killed = first.kill('SIGKILL');
        killed.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
      };
      const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
      const timer = setTimeout(killNow, maxPostingMs);
      const startedAt = Date.now();

      const client = async (c: number) => {
        const json = c % 2 === 0;
        for (let n = 1; !killed && n <= maxPostsPerClient; n++) {
          const text = `Durability ${tag} client ${c} comment ${n} on ${kind}`;
          sent++;
          inFlight++;
          let res: HttpResponse;
          try {
            res = await httpRequest({
              port,
              path: '/comments',
              method: 'POST',
              agent,
              timeoutMs: 10_000,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                origin: publicUrl,
                ...(json ? { accept: 'application/json' } : {}),
              },
              body: new URLSearchParams({
                comment: text,
                author: `Reader ${c}`,
                email: `reader${c}@example.org`,
                url: c % 4 === 1 ? `https://example.org/reader${c}` : '',
                comment_post_ID: String(storyId),
                comment_parent: '0',
              }).toString(),
            });
          } catch (error) {
            // Requests in flight when the server died fail; only an acknowledgement is a promise.
            if (killed) failedAfterKill++;
            else unexpected.push(`client ${c} post ${n} failed before the kill: ${(error as Error).message}`);
            continue;
          } finally {
            inFlight--;
          }
          const id = acknowledgedId(res, json);
          if (id === undefined) {
            unexpected.push(`client ${c} post ${n}: ${res.status} ${res.headers.location ?? ''} ${res.body.slice(0, 300)}`);
            continue;
          }
          acks.push({ id, text, via: json ? 201 : 303 });
          if (acks.length >= killAfterAcks) killNow();
        }
      };
      await Promise.all(Array.from({ length: clients }, (_, c) => client(c + 1)));
      clearTimeout(timer);
      killNow(); // only if every client hit maxPostsPerClient first
      const exit = await (killed as Promise<ExitInfo>);
      agent.destroy();
      const postingMs = Date.now() - startedAt;

      assert.equal(exit.signal, 'SIGKILL', `the server died of SIGKILL (exit ${JSON.stringify(exit)})`);
      assert.deepEqual(unexpected, [], 'every response before the kill was an acknowledgement');
      assert.ok(inFlightAtKill > 0, 'requests were in flight when the server was killed');
      assert.ok(acks.some((a) => a.via === 303), 'some comments were acknowledged with 303');
      assert.ok(acks.some((a) => a.via === 201), 'some comments were acknowledged with 201');
      assert.equal(new Set(acks.map((a) => a.id)).size, acks.length, 'every acknowledgement names its own comment id');

      // --- Restart on the same database and look for every acknowledged comment. ---
      const second = await ServerProcess.start({ databaseUrl: database.url, port });
      servers.push(second);

      const rows = await store.db
        .selectFrom('comments')
        .select(['id', 'story_id', 'status', 'body_source'])
        .where('story_id', '=', storyId)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const missingInDb = acks.filter((a) => {
        const row = byId.get(a.id);
        return !row || row.body_source !== a.text || row.status !== 'approved';
      });
      assert.deepEqual(missingInDb, [], 'every acknowledged comment is in the database with its exact text');

      const reloaded = await httpRequest({ port, path: storyPath });
      assert.equal(reloaded.status, 200);
      const missingOnPage = acks.filter((a) => !reloaded.body.includes(`id="comment-${a.id}"`) || !reloaded.body.includes(a.text));
      assert.deepEqual(missingOnPage, [], 'every acknowledged comment is on the story page after the restart');

      const ours = rows.filter((r) => r.body_source.includes(tag));
      const ackedIds = new Set(acks.map((a) => a.id));
      const committedUnacked = ours.filter((r) => !ackedIds.has(r.id)).length;
      t.diagnostic(
        `${kind}: ${sent} posts sent by ${clients} clients in ${postingMs} ms; ${acks.length} acknowledged ` +
          `(${acks.filter((a) => a.via === 303).length} by 303, ${acks.filter((a) => a.via === 201).length} by 201); ` +
          `SIGKILL with ${inFlightAtKill} in flight, ${failedAfterKill} failed; after restart ${acks.length - missingInDb.length} ` +
          `verified in the database and ${acks.length - missingOnPage.length} on the page; ` +
          `plus ${committedUnacked} committed whose acknowledgement was lost in the kill (allowed)`,
      );
    });
  });
}

/** The comment id a response acknowledges: 303 to `…#comment-N`, or 201 JSON `{ id: N, url: '…#comment-N' }`. */
function acknowledgedId(res: HttpResponse, json: boolean): number | undefined {
  if (!json && res.status === 303) {
    const m = /#comment-(\d+)$/.exec(res.headers.location ?? '');
    return m && res.headers.location === `${storyPath}#comment-${m[1]}` ? Number(m[1]) : undefined;
  }
  if (json && res.status === 201) {
    const body = JSON.parse(res.body) as { id?: unknown; url?: unknown };
    return typeof body.id === 'number' && body.url === `${storyPath}#comment-${body.id}` ? body.id : undefined;
  }
  return undefined;
}
