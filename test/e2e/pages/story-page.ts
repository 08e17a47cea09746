import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';
import { watchConsole, type ConsoleProblem } from '../support/browser.js';

export type CommentField = 'comment' | 'author' | 'email' | 'url';

export interface CommentFormInput {
  comment?: string;
  author?: string;
  email?: string;
  url?: string;
  remember?: boolean;
}

/** Accessible names of the comment form's text fields (label text, required marker included). */
const labels: Record<CommentField, string> = { comment: 'Comment *', author: 'Name *', email: 'Email *', url: 'Website' };

/** A story page and its comment section, as a reader sees and uses it. */
export class StoryPage {
  /** Console errors, CSP violations and uncaught exceptions seen since the page opened. */
  readonly problems: ConsoleProblem[];

  /** `problems`: the list of a page already watched (e.g. one that got here by a link), else a new watch. */
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly path: string,
    problems?: ConsoleProblem[],
  ) {
    this.problems = problems ?? watchConsole(page);
  }

  async goto(query = ''): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}${this.path}${query}`);
    assert.equal(response?.status(), 200, `GET ${this.path}${query}`);
  }

  /** The document's HTML as the server sent it on a reload (cookies included). */
  async reload(): Promise<string> {
    const response = await this.page.reload();
    assert.equal(response?.status(), 200);
    return response.text();
  }

  get headline(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The "Published" time of the story header. */
  get publishedTime(): Locator {
    return this.page.locator('.story-header time.published');
  }

  /** The story's list of sources (title links, outlet, date). */
  get sources(): Locator {
    return this.page.getByRole('complementary', { name: 'Sources', exact: true });
  }

  /** The dated box of corrections and clarifications under the story header. */
  get corrections(): Locator {
    return this.page.locator('#corrections.story-corrections');
  }

  correctionNote(id: number): Locator {
    return this.corrections.locator(`#correction-${id}`);
  }

  field(name: CommentField): Locator {
    return this.page.getByRole('textbox', { name: labels[name], exact: true });
  }

  get remember(): Locator {
    return this.page.getByRole('checkbox', { name: 'Save my name, email, and website in this browser for the next time I comment.' });
  }

  get postButton(): Locator {
    return this.page.getByRole('button', { name: 'Post Comment', exact: true });
  }

  get respond(): Locator {
    return this.page.locator('#respond');
  }

  get replyTitle(): Locator {
    return this.page.locator('#reply-title');
  }

  get cancelReply(): Locator {
    return this.page.getByRole('link', { name: 'Cancel reply', exact: true });
  }

  get formStatus(): Locator {
    return this.page.locator('#commentform .form-status');
  }

  /** The message shown next to a field: inside the field's own paragraph, tied to it by aria-describedby. */
  fieldError(name: CommentField): Locator {
    return this.page.locator(`#commentform .comment-form-${name} > #${name}-error.field-error`);
  }

  comment(id: number): Locator {
    return this.page.locator(`#comment-${id}`);
  }

  /** The comment whose own body (not a reply's) contains the text. */
  commentWithText(text: string): Locator {
    return this.page.locator('li.comment', { has: this.page.locator(':scope > article > .comment-content', { hasText: text }) });
  }

  /** The direct replies of a comment: items of its own `ol.children`. */
  repliesOf(id: number): Locator {
    return this.page.locator(`#comment-${id} > ol.children > li.comment`);
  }

  /** The comment's own "Reply" link (not those of its replies). */
  replyLinkOf(id: number): Locator {
    return this.page.locator(`#div-comment-${id} > .reply > a.comment-reply-link`);
  }

  async commentId(item: Locator): Promise<number> {
    const id = await item.getAttribute('id');
    assert.match(id ?? '', /^comment-\d+$/);
    return Number(id?.slice('comment-'.length));
  }

  async fillForm(input: CommentFormInput): Promise<void> {
    for (const name of ['comment', 'author', 'email', 'url'] as const) {
      const value = input[name];
      if (value !== undefined) await this.field(name).fill(value);
    }
    if (input.remember !== undefined) await this.remember.setChecked(input.remember);
  }

  /** Presses "Post Comment" and returns the answer to the POST /comments it sends (a redirect is not followed here). */
  async post(): Promise<Response> {
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/comments'),
      this.postButton.click(),
    ]);
    return response;
  }

  /** Without JavaScript: posts, expects the 303, and waits until the story has loaded at the new comment. */
  async postAndFollow(): Promise<number> {
    const response = await this.post();
    assert.equal(response.status(), 303);
    const location = response.headers().location ?? '';
    assert.match(location, new RegExp(`^${this.path}#comment-\\d+$`));
    await this.page.waitForURL(`${this.baseUrl}${location}`);
    return Number(location.split('#comment-')[1]);
  }

  /** Sets a flag on `window`; it survives only as long as the page is not reloaded or left. */
  async setReloadMarker(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __marker?: number }).__marker = 1;
    });
  }

  async hasReloadMarker(): Promise<boolean> {
    return this.page.evaluate(() => (window as unknown as { __marker?: number }).__marker === 1);
  }

  /** Problems in the console other than the ones a test expects (e.g. the 422 of a refused post). */
  unexpectedProblems(expected: (p: ConsoleProblem) => boolean = () => false): string[] {
    return this.problems.filter((p) => !expected(p)).map((p) => `${p.text} [${p.url}]`);
  }
}

/** Chromium logs a failed load for the refused post's 422; that one is expected, nothing else. */
export const refusedPost = (p: ConsoleProblem): boolean =>
  new URL(p.url || 'about:blank').pathname === '/comments' && /status of 422/.test(p.text);
