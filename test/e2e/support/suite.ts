import { after, afterEach, before } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createTestApp, type TestApp } from '../../harness/app.js';
import type { DatabaseKind } from '../../harness/databases.js';
import { StoryPage } from '../pages/story-page.js';
import { launchChromium } from './browser.js';

export interface BrowserSuite {
  /** The app under test (for builders). */
  readonly t: TestApp;
  /** Where the app listens, e.g. http://127.0.0.1:40123. */
  readonly baseUrl: string;
  /** A story page in a fresh browser context (own cookies), with JavaScript on or off. */
  openStory(path: string, options: { javaScript: boolean }): Promise<StoryPage>;
}

/**
 * Registers the hooks of an end-to-end suite inside the current `describe`: a real HTTP server
 * on 127.0.0.1 over a fresh database, one Chromium for the suite, one browser context per page
 * opened (closed after each test). Everything is closed in `after`.
 */
export function useBrowserSuite(db: DatabaseKind): BrowserSuite {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];

  before(async () => {
    t = await createTestApp({ db });
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  return {
    get t() {
      if (!t) throw new Error('The suite has not started.');
      return t;
    },
    get baseUrl() {
      return baseUrl;
    },
    async openStory(path, options) {
      if (!browser) throw new Error('The suite has not started.');
      const context = await browser.newContext({ javaScriptEnabled: options.javaScript });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      const story = new StoryPage(await context.newPage(), baseUrl, path);
      await story.goto();
      return story;
    },
  };
}
