// The moderation queue in Chromium: a moderator signs in, moves through held comments with j/k,
// approves with "a", ticks with "x" and spams the ticked ones in bulk; without JavaScript the same
// is done with the buttons. Each comment's state is checked in the database after each step.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { SignInPage } from './pages/sign-in-page.js';
import { useBrowserSuite, type BrowserSuite } from './support/suite.js';

const password = 'tide clock harbour 41';
const moderator = { name: 'Mo Moderator', email: 'mo@example.org', role: 'moderator' } as const;

async function statusOf(suite: BrowserSuite, id: number): Promise<string> {
  return (await suite.t.deps.store.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

async function signedInQueue(suite: BrowserSuite, javaScript: boolean): Promise<{ page: Page; problems: { text: string }[] }> {
  const { page, problems } = await suite.newPage({ javaScript });
  const signIn = new SignInPage(page, suite.baseUrl);
  await signIn.gotoVia('/admin/comments');
  await signIn.signInAndFollow(moderator.email, password, '/admin/comments');
  return { page, problems };
}

const selectedId = (page: Page) => page.evaluate(() => document.querySelector('.queue-item.is-selected')?.getAttribute('data-comment-id') ?? null);

describe('moderation queue in Chromium (SQLite)', { skip: skipUnless(probeChromium()) }, () => {
  // The site's default rules: a first-time commenter is held.
  const suite = useBrowserSuite('sqlite');
  let storyId = 0;
  before(async () => {
    await createStaffMember(suite.t.deps, commandLineActor, { ...moderator, password });
    storyId = (await buildStory(suite.t.deps, { headline: 'Ferry talks', slug: 'ferry-talks' })).id;
  });

  it('moves with j/k, approves with a, ticks with x and spams the ticked comments in bulk', async () => {
    const [oldest, middle, newest] = [
      await buildComment(suite.t.deps, { storyId, comment: 'Oldest held' }),
      await buildComment(suite.t.deps, { storyId, comment: 'Middle held' }),
      await buildComment(suite.t.deps, { storyId, comment: 'Newest held' }),
    ];
    const { page, problems } = await signedInQueue(suite, true);
    await page.locator(`#c-${newest!.id}`).waitFor();

    await page.keyboard.press('j');
    assert.equal(await selectedId(page), String(newest!.id), 'j selects the first (newest) comment');
    assert.equal(await page.evaluate(() => document.activeElement?.id), `c-${newest!.id}`, 'the selected comment has the focus');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(await selectedId(page), String(newest!.id));

    await Promise.all([page.waitForURL(/done=approve/), page.keyboard.press('a')]);
    assert.equal(await statusOf(suite, newest!.id), 'approved');
    await page.locator(`#c-${newest!.id}`).waitFor({ state: 'detached' });
    assert.equal(await selectedId(page), String(middle!.id), 'after the reload the next comment is selected');
    await page.getByRole('status').filter({ hasText: 'Comment approved.' }).waitFor();

    await page.keyboard.press('?');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('?');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });

    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    assert.equal(await page.locator('input[data-select]:checked').count(), 2);
    await page.getByLabel('With the ticked comments').selectOption('spam');
    await Promise.all([page.waitForURL(/done=spam&n=2/), page.getByRole('button', { name: 'Apply' }).click()]);
    assert.equal(await statusOf(suite, middle!.id), 'spam');
    assert.equal(await statusOf(suite, oldest!.id), 'spam');
    await page.getByRole('status').filter({ hasText: '2 comments marked as spam.' }).waitFor();
    assert.deepEqual(problems.map((p) => p.text), []);
  });

  it('opens the reply form with r, the cursor in the box', async () => {
    const held = await buildComment(suite.t.deps, { storyId, comment: 'Answer me' });
    const { page } = await signedInQueue(suite, true);
    await page.locator(`#c-${held.id}`).waitFor();
    await page.keyboard.press('j');
    await Promise.all([page.waitForURL(`${suite.baseUrl}/admin/comments/${held.id}#reply`), page.keyboard.press('r')]);
    await page.waitForFunction(() => document.activeElement?.id === 'reply-text');
    await page.keyboard.type('Typed straight away');
    assert.equal(await page.locator('#reply-text').inputValue(), 'Typed straight away');
  });

  it('works without JavaScript through the buttons', async () => {
    const held = await buildComment(suite.t.deps, { storyId, comment: 'Held, no script' });
    const { page } = await signedInQueue(suite, false);
    const item = page.locator(`#c-${held.id}`);
    await Promise.all([page.waitForURL(/done=trash/), item.getByRole('button', { name: 'Trash' }).click()]);
    assert.equal(await statusOf(suite, held.id), 'trash');
    await page.goto(`${suite.baseUrl}/admin/comments?view=trash`);
    await Promise.all([page.waitForURL(/done=restore/), page.locator(`#c-${held.id}`).getByRole('button', { name: 'Restore' }).click()]);
    assert.equal(await statusOf(suite, held.id), 'pending');
    await page.goto(`${suite.baseUrl}/admin/comments/${held.id}`);
    await page.getByLabel(/Your reply, signed/).fill('Thanks, we will look into it.');
    await Promise.all([page.waitForURL(/done=reply/), page.getByRole('button', { name: 'Publish the reply' }).click()]);
    assert.equal(await statusOf(suite, held.id), 'approved', 'replying approves the held comment');
    const story = await fetch(`${suite.baseUrl}/stories/ferry-talks`).then((r) => r.text());
    assert.match(story, /Thanks, we will look into it\./);
  });
});
