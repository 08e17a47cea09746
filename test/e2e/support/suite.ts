import { after, afterEach, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Clock } from '../../../src/deps.js';
import type { CommentRules } from '../../../src/modules/comments/comment-settings.js';
import { createTestApp, type TestApp } from '../../harness/app.js';
import { useCommentSettings } from '../../harness/comment-settings.js';
import type { DatabaseKind } from '../../harness/databases.js';
import { StoryPage } from '../pages/story-page.js';
import { launchChromium, watchConsole, type ConsoleProblem } from './browser.js';

/** A page in its own browser context, with what its console reported so far. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: ConsoleProblem[];
}

export interface BrowserSuiteOptions {
  /** The server's clock (e.g. a FakeClock); the browser keeps real time. */
  clock?: Clock;
  /** Extra environment for the app under test, e.g. READOUT_TIMEZONE. */
  env?: Record<string, string>;
  /** Moderation rules to store before the suite starts (e.g. openDoorRules); the site defaults otherwise. */
  commentRules?: Partial<CommentRules>;
}

export interface BrowserSuite {
  /** The app under test (for builders). */
  readonly t: TestApp;
  /** Where the app listens, e.g. http://127.0.0.1:40123. */
  readonly baseUrl: string;
  /** A story page in a fresh browser context (own cookies), with JavaScript on or off. */
  openStory(path: string, options: { javaScript: boolean }): Promise<StoryPage>;
  /** A blank page in a fresh browser context (own cookies, JavaScript on unless told), its console watched. */
  newPage(options?: { javaScript?: boolean }): Promise<WatchedPage>;
}

/**
 * Registers the hooks of an end-to-end suite inside the current `describe`: a real HTTP server
 * on 127.0.0.1 over a fresh database, one Chromium for the suite, one browser context per page
 * opened (closed after each test). Everything is closed in `after`.
 */
export function useBrowserSuite(db: DatabaseKind, options: BrowserSuiteOptions = {}): BrowserSuite {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];

  before(async () => {
    t = await createTestApp({ db, clock: options.clock, env: options.env });
    if (options.commentRules) await useCommentSettings(t.deps, { rules: options.commentRules });
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

  async function freshPage(javaScript: boolean): Promise<Page> {
    if (!browser) throw new Error('The suite has not started.');
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  return {
    get t() {
      if (!t) throw new Error('The suite has not started.');
      return t;
    },
    get baseUrl() {
      return baseUrl;
    },
    async openStory(path, options) {
      const story = new StoryPage(await freshPage(options.javaScript), baseUrl, path);
      await story.goto();
      return story;
    },
    async newPage(options = {}) {
      const page = await freshPage(options.javaScript ?? true);
      return { page, problems: watchConsole(page) };
    },
  };
}
