// Every public page type (and the newsroom pages a moderator uses most) has no axe-core
// violations, checked in real Chromium with the site's CSS and scripts loaded (colour contrast
// included). SQLite only: the pages are rendered by the same views on both databases.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, FakeClock, type TestApp } from '../harness/app.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { launchChromium } from '../e2e/support/browser.js';
import { fetchPages, seedQualitySite, type PageRequest, type QualitySite } from './pages.js';

/** A page to check, and what a reader does on it first (the state the scripts leave is checked too). */
interface BrowserCheck extends PageRequest {
  act?: (page: Page) => Promise<void>;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('accessibility of every public page type (axe-core in Chromium, SQLite)', { skip: skipUnless(probeChromium()) }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl = '';
  let site: QualitySite;

  before(async () => {
    t = await createTestApp({ db: 'sqlite', clock: new FakeClock(), followIntervalMs: 3_600_000 });
    site = await seedQualitySite(t);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe's violations on the page as it is now. */
  async function runAxe(page: Page): Promise<AxeResults['violations']> {
    await page.addScriptTag({ content: axeSource });
    const axe = () => (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] });
    return (await page.evaluate(axe)).violations;
  }

  /**
   * Opens the page as a reader's browser would (the site's scripts running unless it is a no-JS
   * view, its cookies set; a form post's answer is the server's own HTML, served for that address
   * once), runs axe over the whole document and lists the violations, one line per element.
   */
  async function violationsOf(request: BrowserCheck): Promise<string[]> {
    // The site's Content-Security-Policy allows no inline script: axe is injected past it.
    const context = await browser.newContext({ bypassCSP: true });
    try {
      context.setDefaultTimeout(30_000);
      // A view for browsers without JavaScript: the site's scripts are not loaded (axe itself needs JavaScript on).
      if (request.javaScript === false) await context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.fallback()));
      const cookies = (request.cookie ?? '').split('; ').filter(Boolean);
      await context.addCookies(cookies.map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url: baseUrl })));
      const page = await context.newPage();
      const url = `${baseUrl}${request.url}`;
      if (request.method === 'POST') {
        const [answer] = await fetchPages(t, [request]);
        await page.route(url, (route) => route.fulfill({ status: request.status, contentType: 'text/html; charset=utf-8', body: answer?.html ?? '' }), { times: 1 });
      }
      const response = await page.goto(url, { waitUntil: 'networkidle' });
      assert.equal(response?.status(), request.status, `${request.name}: ${url}`);
      await request.act?.(page);
      return (await runAxe(page)).flatMap((v) =>
        v.nodes.map((n) => `${request.name}: ${v.id} (${v.impact ?? '?'}): ${v.help}\n    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
      );
    } finally {
      await context.close();
    }
  }

  /** The violations on all the pages, checked a few at a time (each in its own browser context). */
  async function violationsOnAll(requests: readonly BrowserCheck[]): Promise<string[]> {
    const results: string[][] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) results[i] = await violationsOf(requests[i] as BrowserCheck);
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return results.flat();
  }

  it('finds what it should: a page with known faults has violations (the check works)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent('<!DOCTYPE html><title>Faulty</title><img src="data:,"><p style="color:#bbb;background:#fff">Pale text</p>');
      const ids = (await runAxe(page)).map((v) => v.id).sort();
      assert.deepEqual(ids.filter((id) => ['color-contrast', 'html-has-lang', 'image-alt'].includes(id)), ['color-contrast', 'html-has-lang', 'image-alt']);
    } finally {
      await context.close();
    }
  });

  it('finds no violations on any public page', async () => {
    // On the cached story page the script adds edit and delete links to this browser's own comment: checked once they are there.
    const ownComments = async (page: Page) => void (await page.locator('.comment-edit-link').first().waitFor());
    const found = await violationsOnAll(site.pages.map((p) => (p.name === 'story, with own comments' ? { ...p, act: ownComments } : p)));
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });

  it('finds no violations in what the scripts show: a reply form moved under a comment, its errors, an own held comment', async () => {
    const story = site.pages.find((p) => p.name === 'story, comments open') as PageRequest;
    const own = site.pages.find((p) => p.name === 'story, with own comments') as PageRequest;
    const replying = async (page: Page) => {
      await page.locator('.comment-body > .reply > a.comment-reply-link').first().click();
      await page.getByRole('link', { name: 'Cancel reply', exact: true }).waitFor();
    };
    const found = await violationsOnAll([
      { ...story, name: 'story, replying with JavaScript', act: replying },
      {
        ...story,
        name: 'story, reply refused by the script',
        act: async (page) => {
          await replying(page);
          await page.getByRole('button', { name: 'Post Comment', exact: true }).click();
          await page.locator('#commentform .field-error').first().waitFor();
        },
      },
      {
        ...own,
        url: `${own.url}?cpage=2`,
        name: 'story, own held comment shown by the script',
        act: async (page) => void (await page.locator('.comment-awaiting-moderation').first().waitFor()),
      },
    ]);
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });

  it("finds no violations on the moderator's pages: the queue, a held comment, the stories list and the story editor", async () => {
    const found = await violationsOnAll(site.adminPages);
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });
});
