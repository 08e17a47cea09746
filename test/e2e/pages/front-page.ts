import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { StoryPage } from './story-page.js';
import type { ConsoleProblem } from '../support/browser.js';

/** The front page ("Latest stories") as a reader sees it. */
export class FrontPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly problems: ConsoleProblem[],
  ) {}

  /** Loads the front page (the browser revalidates its copy; the server answers 200 or 304). */
  async goto(): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}/`);
    assert.ok([200, 304].includes(response?.status() ?? 0), `GET / answered ${response?.status()}`);
    await this.page.getByRole('heading', { level: 1, name: 'Latest stories' }).waitFor();
  }

  /** The teaser of the story with this headline, if listed. */
  teaser(headline: string): Locator {
    return this.page.locator('li.story-teaser', { has: this.page.getByRole('heading', { level: 2, name: headline, exact: true }) });
  }

  /** Follows the teaser's headline link to the story page. */
  async openStory(headline: string): Promise<StoryPage> {
    const link = this.teaser(headline).getByRole('heading', { level: 2 }).getByRole('link');
    const path = (await link.getAttribute('href')) ?? '';
    assert.match(path, /^\/stories\/[a-z0-9-]+$/);
    await link.click();
    await this.page.waitForURL(`${this.baseUrl}${path}`);
    return new StoryPage(this.page, this.baseUrl, path, this.problems);
  }
}
