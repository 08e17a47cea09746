import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';

export type CorrectionKind = 'correction' | 'clarification';

/** The staff page of one story's corrections (/admin/stories/:id/corrections): the notes so far and the form to add one. */
export class CorrectionsPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly storyId: number,
  ) {}

  get path(): string {
    return `/admin/stories/${this.storyId}/corrections`;
  }

  async goto(): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}${this.path}`);
    assert.equal(response?.status(), 200, `GET ${this.path}`);
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Corrections' });
  }

  /** "Story: Headline (status)". */
  get story(): Locator {
    return this.page.locator('p.desk-story');
  }

  get kind(): Locator {
    return this.page.getByRole('combobox', { name: 'Kind', exact: true });
  }

  get text(): Locator {
    return this.page.getByRole('textbox', { name: 'Text', exact: true });
  }

  get addButton(): Locator {
    return this.page.getByRole('button', { name: 'Add to the story', exact: true });
  }

  /** The notes listed under "On this story", removed ones included. */
  get notes(): Locator {
    return this.page.getByRole('region', { name: 'On this story' }).locator('li.desk-correction');
  }

  note(id: number): Locator {
    return this.page.locator(`li#correction-${id}.desk-correction`);
  }

  /** Presses "Add to the story" and returns the answer to its POST (a redirect is not followed here). */
  async submit(): Promise<Response> {
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === this.path),
      this.addButton.click(),
    ]);
    return response;
  }

  /** Chooses the kind, writes the text, adds it, follows the 303 to the new note and returns its id. */
  async append(kind: CorrectionKind, text: string): Promise<number> {
    await this.kind.selectOption(kind);
    await this.text.fill(text);
    const response = await this.submit();
    assert.equal(response.status(), 303);
    const location = response.headers().location ?? '';
    assert.match(location, new RegExp(`^${this.path}#correction-\\d+$`));
    await this.page.waitForURL(`${this.baseUrl}${location}`);
    return Number(location.split('#correction-')[1]);
  }
}
