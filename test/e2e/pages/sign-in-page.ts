import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';
import type { ConsoleProblem } from '../support/browser.js';

/** The newsroom's sign-in form, used as a staff member at a keyboard would use it. */
export class SignInPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Opens a staff page while signed out; the site answers with the sign-in form and the way back (`next`). */
  async gotoVia(path: string): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}${path}`);
    assert.equal(response?.status(), 200, `GET ${path} (after the redirect to the sign-in form)`);
    assert.equal(this.page.url(), `${this.baseUrl}/admin/sign-in?next=${encodeURIComponent(path)}`);
    await this.heading.waitFor();
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Sign in to the newsroom' });
  }

  get email(): Locator {
    return this.page.getByRole('textbox', { name: 'Email', exact: true });
  }

  /** A password input has no ARIA role; it is found by its label. */
  get password(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }

  get submit(): Locator {
    return this.page.getByRole('button', { name: 'Sign in', exact: true });
  }

  /** The message above the form after a refused sign-in. */
  get error(): Locator {
    return this.page.getByRole('alert');
  }

  /** The id of the element that has the keyboard focus. */
  focusedId(): Promise<string | undefined> {
    return this.page.evaluate(() => document.activeElement?.id);
  }

  /** Presses Tab from where the focus is until the element with this id has it (the skip link and the site title come first). */
  async tabTo(id: string, maxStops = 5): Promise<void> {
    for (let i = 0; i < maxStops; i++) {
      await this.page.keyboard.press('Tab');
      if ((await this.focusedId()) === id) return;
    }
    assert.fail(`#${id} not reached with ${maxStops} presses of Tab`);
  }

  /**
   * Keyboard only: Tab to the email and type it (focusing by Tab selects a kept value, so typing
   * replaces it), Tab to the password (checked to be the next stop), type it, press Enter. Returns the answer to the POST /admin/sign-in (the redirect is not followed here).
   */
  async signInWithKeyboard(email: string, password: string): Promise<Response> {
    await this.tabTo('email');
    await this.page.keyboard.type(email);
    await this.page.keyboard.press('Tab');
    assert.equal(await this.focusedId(), 'password', 'Tab moves from the email to the password');
    await this.page.keyboard.type(password);
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin/sign-in'),
      this.page.keyboard.press('Enter'),
    ]);
    return response;
  }

  /** Signs in by keyboard, expects the 303, and waits until the browser has arrived at `path`. */
  async signInAndFollow(email: string, password: string, path: string): Promise<void> {
    const response = await this.signInWithKeyboard(email, password);
    assert.equal(response.status(), 303);
    assert.equal(response.headers().location, path);
    await this.page.waitForURL(`${this.baseUrl}${path}`);
  }

  /** The bar of a signed-in staff page: "Signed in as Name (role)". */
  get accountBar(): Locator {
    return this.page.getByRole('navigation', { name: 'Account' });
  }
}

/** Chromium logs a failed load for the 401 of a refused sign-in; that one is expected, nothing else. */
export const refusedSignIn = (p: ConsoleProblem): boolean =>
  new URL(p.url || 'about:blank').pathname === '/admin/sign-in' && /status of 401/.test(p.text);
