// Every public page type (and the newsroom pages a moderator uses most) is valid HTML according to
// the Nu Html Checker (vnu, the W3C checker), and the site's style sheet valid CSS: vnu runs once with the machine's Java over all of them
// (the JVM is slow to start). SQLite only: the
// pages are rendered by the same views on both databases, so their HTML is the same.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { probeJava, skipUnless, vnuJarPath } from '../harness/services.js';
import { fetchPages, seedQualitySite, type FetchedPage } from './pages.js';

/** One message of vnu's `--format json` output. */
interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** Warnings (never errors) that we accept, each with why: the message and where it is (its extract). */
const acceptedWarnings: { message: RegExp; extract: RegExp; reason: string }[] = [
  {
    message: /^Article lacks heading/,
    extract: /<article id="div-comment-\d+" class="comment-body">/,
    reason:
      "Each comment is an <article> as in WordPress's comment markup (DESIGN.md §1), named by its author line, not a heading: " +
      'a heading per comment would flood the outline that screen-reader users move through (the section has its "Comments" heading).',
  },
];

/** Runs vnu once over the files; resolves to its messages (it reports on stdout with --stdout). */
function runVnu(files: string[]): Promise<VnuMessage[]> {
  return new Promise((resolve, reject) => {
    // A larger thread stack, as vnu's documentation advises for long documents.
    const child = spawn('java', ['-Xss1024k', '-jar', vnuJarPath, '--format', 'json', '--stdout', '--exit-zero-always', '--also-check-css', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`vnu exited with ${code}: ${err}`));
      try {
        resolve((JSON.parse(out) as { messages: VnuMessage[] }).messages);
      } catch (error) {
        reject(new Error(`vnu printed no JSON (${(error as Error).message}): ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

describe("HTML validity of every public page type, the moderator's pages and the site CSS (Nu Html Checker, SQLite)", { skip: skipUnless(probeJava()) }, () => {
  let t: TestApp;
  let dir: string;
  let pages: FetchedPage[];
  const fileOf = new Map<string, string>();

  before(async () => {
    t = await createTestApp({ db: 'sqlite', clock: new FakeClock(), followIntervalMs: 3_600_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-vnu-'));
    const site = await seedQualitySite(t);
    pages = await fetchPages(t, [...site.pages, ...site.adminPages]);
  });
  after(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks pages that show every component (the seeded data is what it claims to be)', () => {
    const story = pages.find((p) => p.name === 'story, comments open')?.html ?? '';
    const components = [
      'class="dek"',
      'class="byline-authors"',
      'class="dateline"',
      'class="kicker"',
      'class="featured-image"',
      'class="story-sources"',
      'class="story-corrections"',
      'class="related-story"',
      'class="story-tags"',
      'class="comment depth-3"',
      'comment-deleted',
      'Nadia Okafor, The Readout Ledger',
      'class="navigation comment-navigation"',
      'id="commentform"',
    ];
    assert.deepEqual(components.filter((c) => !story.includes(c)), [], 'missing on the story page');
    assert.match(pages.find((p) => p.name === 'story, comments closed')?.html ?? '', /Comments are closed\./);
    assert.match(pages.find((p) => p.name === 'held comment, to its author')?.html ?? '', /comment-awaiting-moderation/);
    assert.match(pages.find((p) => p.name === 'comment form refused (422)')?.html ?? '', /class="field-error"/);
    assert.match(pages.find((p) => p.name === 'search results')?.html ?? '', /<mark>ferry<\/mark>/i, 'the search page shows highlighted results');
  });

  it('reports no errors and no unexplained warnings on any page or in the style sheet', async () => {
    const files = pages.map((page, i) => {
      const file = path.join(dir, `page-${String(i).padStart(2, '0')}.html`);
      fs.writeFileSync(file, page.html);
      fileOf.set(`file:${file}`, `${page.name} (${page.method ?? 'GET'} ${page.url})`);
      return file;
    });
    // The site's style sheet too, in the same run (vnu checks CSS files with --also-check-css).
    const css = fileURLToPath(new URL('../../src/client/site.css', import.meta.url));
    fileOf.set(`file:${css}`, 'src/client/site.css');
    // A page with a known error, to prove the run checks what it is given (and reports it by file).
    const canary = path.join(dir, 'canary.html');
    fs.writeFileSync(canary, '<!DOCTYPE html><html lang="en"><head><title>Canary</title></head><body><p><div>Block in a paragraph</div></p></body></html>');
    const messages = await runVnu([...files, css, canary]);
    const fromCanary = messages.filter((m) => m.url === `file:${canary}`);
    assert.ok(
      fromCanary.some((m) => m.type === 'error' && /No “p” element in scope/.test(m.message)),
      `vnu missed the canary's error: ${JSON.stringify(fromCanary)}`,
    );
    const accepted = (m: VnuMessage) => m.type === 'info' && acceptedWarnings.some((w) => w.message.test(m.message) && w.extract.test(m.extract ?? ''));
    const problems = messages.filter((m) => m.url !== `file:${canary}` && !accepted(m));
    const report = problems.map((m) => {
      const where = fileOf.get(m.url ?? '') ?? m.url ?? '?';
      return `${where}, line ${m.lastLine ?? '?'}: ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}\n    ${(m.extract ?? '').replace(/\n/g, ' ')}`;
    });
    assert.deepEqual(report, [], `vnu reported:\n${report.join('\n')}`);
    // The checker saw every page (a file it could not read would be a non-document error above).
    assert.ok(pages.length >= 25, `only ${pages.length} pages were checked`);
  });
});
