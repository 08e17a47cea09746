import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/db/database.js';
import { loadConfig } from '../../src/config/config.js';
import { projectRoot } from '../../src/platform/paths.js';
import { storyFile } from '../builders/stories.js';
import { createTestDatabase, databaseMatrix, type TestDatabase } from '../harness/databases.js';

/** Runs the real `readout` command (bin/readout.js on the build that `npm test` makes first) against a database. */
function readout(args: string[], databaseUrl: string) {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'readout.js'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, READOUT_LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

for (const { kind, skip } of await databaseMatrix()) {
  describe(`readout CLI on ${kind}`, { skip }, () => {
    let database: TestDatabase;
    let dir: string;
    let store: Store;
    before(async () => {
      database = await createTestDatabase(kind);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-cli-'));
      store = openStore(loadConfig({ DATABASE_URL: database.url }).database);
    });
    after(async () => {
      await store?.destroy();
      await database?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const stories = () => store.db.selectFrom('stories').select(['slug', 'headline']).orderBy('id').execute();

    it('migrates, then imports a story file and updates it on a second import', () => {
      assert.match(readout(['migrate'], database.url).out, /Applied migrations: 0001-initial/);
      assert.match(readout(['migrate'], database.url).out, /up to date/);
      const file = path.join(dir, 'story.md');
      fs.writeFileSync(file, storyFile({ headline: 'From a file', slug: 'from-a-file', sources: [{ title: 'S', url: 'https://example.org' }] }));
      const first = readout(['import-story', file], database.url);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /created "From a file" at http:\/\/localhost:3000\/stories\/from-a-file/);
      fs.writeFileSync(file, storyFile({ headline: 'From a file, revised', slug: 'from-a-file' }));
      const second = readout(['import-story', file], database.url);
      assert.equal(second.code, 0, second.err);
      assert.match(second.out, /updated "From a file, revised"/);
    });

    it('refuses an invalid file with a message naming the field, writing nothing', async () => {
      const before = await stories();
      const file = path.join(dir, 'bad.md');
      fs.writeFileSync(file, storyFile({ headline: 'Bad source', sources: [{ title: 'S', url: 'not a url' }] }));
      const result = readout(['import-story', file], database.url);
      assert.equal(result.code, 1);
      assert.match(result.err, /bad\.md: not imported: sources\[0\]\.url: must be an http:\/\/ or https:\/\/ URL/);
      assert.deepEqual(await stories(), before);
    });

    it('creates, lists, re-roles and resets staff accounts', () => {
      const created = readout(['user', 'create', '--name', 'Amina Castell', '--email', 'Amina@Example.org', '--role', 'editor'], database.url);
      assert.equal(created.code, 0, created.err);
      assert.match(created.out, /Created Amina Castell <amina@example.org> as editor./);
      assert.match(created.out, /One-time password \(must be changed at first sign-in\): \S{20}/);
      const list = readout(['user', 'list'], database.url);
      assert.match(list.out, /amina@example.org\teditor\tAmina Castell/);
      assert.match(readout(['user', 'set-role', 'amina@example.org', 'admin'], database.url).out, /is now admin/);
      assert.match(readout(['user', 'reset-password', 'amina@example.org'], database.url).out, /Signed Amina Castell out everywhere. One-time password/);
      const bad = readout(['user', 'set-role', 'amina@example.org', 'boss'], database.url);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /Choose one of: admin, editor, author, moderator./);
      const taken = readout(['user', 'create', '--name', 'Again', '--email', 'amina@example.org', '--role', 'author'], database.url);
      assert.match(taken.err, /Someone already has the email address amina@example.org./);
    });

    it('explains a missing file and an unknown command', () => {
      const missing = readout(['import-story', path.join(dir, 'nope.md')], database.url);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /nope\.md: cannot read the file \(ENOENT\)/);
      const unknown = readout(['frobnicate'], database.url);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /Unknown command "frobnicate"/);
    });
  });
}
