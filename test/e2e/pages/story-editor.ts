import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';

/** The editor's text fields, by their labels. */
export interface StoryInput {
  headline?: string;
  slug?: string;
  dek?: string;
  byline?: string;
  dateline?: string;
  body?: string;
  related?: string;
}

export interface SourceInput {
  title: string;
  outlet?: string;
  url: string;
  /** YYYY-MM-DD */
  date?: string;
}

/** The values of the editor's submit buttons (`name="action"`). */
export type EditorAction = 'preview' | 'save' | 'publish' | 'schedule' | 'unpublish';

const labels: Record<keyof StoryInput, string> = {
  headline: 'Headline',
  slug: 'Slug',
  dek: 'Standfirst (dek)',
  byline: 'Byline',
  dateline: 'Dateline',
  body: 'Story (Markdown)',
  related: 'Related story (slug)',
};

const sourceLabels: Record<keyof SourceInput, string> = { title: 'Title', outlet: 'Outlet', url: 'Address', date: 'Date (YYYY-MM-DD)' };

/** The story editor (/admin/stories/new and /admin/stories/:id/edit) as a staff member uses it. */
export class StoryEditor {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async gotoNew(): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}/admin/stories/new`);
    assert.equal(response?.status(), 200, 'GET /admin/stories/new');
  }

  async gotoEdit(id: number): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}/admin/stories/${id}/edit`);
    assert.equal(response?.status(), 200, `GET /admin/stories/${id}/edit`);
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  field(name: keyof StoryInput): Locator {
    return this.page.getByLabel(labels[name], { exact: true });
  }

  /** A field of source row `index` (0-based; labelled from 1: "Title 1", "Address 1", …). */
  sourceField(index: number, name: keyof SourceInput): Locator {
    return this.page.getByRole('group', { name: 'Sources' }).getByLabel(`${sourceLabels[name]} ${index + 1}`, { exact: true });
  }

  /** "Publish at (Zone/Name)": only editors and administrators get it. */
  get publishAt(): Locator {
    return this.page.getByLabel(/^Publish at \(/);
  }

  /** The live preview (filled by the admin script as the body is typed). */
  get preview(): Locator {
    return this.page.locator('#story-preview');
  }

  /** "Status: draft · …" above the form of a saved story. */
  get status(): Locator {
    return this.page.locator('p.story-status');
  }

  /** "Saved." after a save, or why the story is read-only. */
  get notice(): Locator {
    return this.page.locator('main p.notice[role="status"]');
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The actions the form offers, in order, e.g. ['preview', 'save']. */
  actions(): Promise<string[]> {
    return this.page.locator('form.story-editor button[name="action"]').evaluateAll((buttons) => buttons.map((b) => (b as HTMLButtonElement).value));
  }

  async fill(input: StoryInput): Promise<void> {
    for (const name of Object.keys(labels) as (keyof StoryInput)[]) {
      const value = input[name];
      if (value !== undefined) await this.field(name).fill(value);
    }
  }

  async fillSource(index: number, source: SourceInput): Promise<void> {
    for (const name of Object.keys(sourceLabels) as (keyof SourceInput)[]) {
      const value = source[name];
      if (value !== undefined) await this.sourceField(index, name).fill(value);
    }
  }

  /** Presses the button labelled `label` and returns the answer to the form's POST (a redirect is not followed here). */
  async submit(label: string): Promise<Response> {
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && /^\/admin\/stories(\/\d+)?$/.test(new URL(r.url()).pathname)),
      this.button(label).click(),
    ]);
    return response;
  }

  /** Presses the button, expects the 303 to the saved story's editor, waits for it, and returns the story's id. */
  async submitAndFollow(label: string): Promise<number> {
    const response = await this.submit(label);
    if (response.status() !== 303) {
      await this.page.waitForLoadState();
      const errors = await this.page.locator('.form-errors, .field-error').allInnerTexts();
      assert.fail(`"${label}" answered ${response.status()}: ${errors.join(' | ')}`);
    }
    const location = response.headers().location ?? '';
    assert.match(location, /^\/admin\/stories\/\d+\/edit\?saved=1$/);
    await this.page.waitForURL(`${this.baseUrl}${location}`);
    await this.notice.filter({ hasText: 'Saved.' }).waitFor();
    return Number(/\/admin\/stories\/(\d+)\//.exec(location)?.[1]);
  }

  /** Types the wall-clock time (YYYY-MM-DDTHH:MM in the site's zone) into "Publish at" and presses "Schedule". */
  async schedule(localTime: string): Promise<number> {
    await this.publishAt.fill(localTime);
    return this.submitAndFollow('Schedule');
  }

  /** The link to the story's corrections page (shown once the story is published). */
  get correctionsLink(): Locator {
    return this.status.getByRole('link', { name: 'corrections', exact: true });
  }
}
