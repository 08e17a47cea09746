import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { chromiumPath } from '../../harness/services.js';

/** The system Chromium, quiet: no sandbox (containers), no GPU, no calls home. Never downloads a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What the page reported that a reader should never cause: console errors, CSP violations, uncaught exceptions. */
export interface ConsoleProblem {
  text: string;
  url: string;
}

/**
 * Collects console errors (Chromium reports CSP violations and failed loads there), any
 * message that mentions the Content-Security-Policy, and uncaught page errors.
 */
export function watchConsole(page: Page): ConsoleProblem[] {
  const problems: ConsoleProblem[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const url = message.location().url;
    if (message.type() === 'error' || /content.security.policy/i.test(message.text())) {
      problems.push({ text: `console.${message.type()}: ${message.text()}`, url });
    }
  });
  page.on('pageerror', (error) => problems.push({ text: `uncaught: ${error.message}`, url: page.url() }));
  return problems;
}
