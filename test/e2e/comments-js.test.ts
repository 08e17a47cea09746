// Journeys through the comment section in Chromium with JavaScript on: the page script posts
// without a reload, moves the form under the comment being answered, shows errors in place,
// and fills remembered fields from the cookie while the cached HTML stays anonymous.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStory } from '../builders/stories.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { refusedPost, type StoryPage } from './pages/story-page.js';
import { openDoorRules } from '../harness/comment-settings.js';
import { useBrowserSuite } from './support/suite.js';

/** Waits until the form sits right after the comment's own body, i.e. inside its list item. */
async function formMovedUnder(story: StoryPage, commentId: number): Promise<void> {
  await story.page.locator(`#comment-${commentId} > #div-comment-${commentId} + #respond`).waitFor();
}

/** Waits until the form is back in its place below the comment list. */
async function formBackHome(story: StoryPage): Promise<void> {
  await story.page.locator('#comments > #respond-home + #respond').waitFor();
}

async function titleText(story: StoryPage): Promise<string> {
  return (await story.replyTitle.innerText()).replace(/\s+/g, ' ').trim();
}

describe('comments in Chromium with JavaScript (SQLite)', { skip: skipUnless(probeChromium()) }, () => {
  const suite = useBrowserSuite('sqlite', { commentRules: openDoorRules });

  it('posts a comment and a reply without reloading, moving the form under the comment answered', async () => {
    await buildStory(suite.t.deps, { headline: 'Harbour ferry returns', slug: 'harbour-ferry-returns' });
    const story = await suite.openStory('/stories/harbour-ferry-returns', { javaScript: true });
    await story.page.locator('#respond-home').waitFor({ state: 'attached' });
    await story.setReloadMarker();
    const url = story.page.url();

    await story.fillForm({ comment: 'Good news for the island.', author: 'Ann Reader', email: 'ann@example.org' });
    assert.equal((await story.post()).status(), 201);
    const parent = story.commentWithText('Good news for the island.');
    await parent.waitFor();
    await story.formStatus.filter({ hasText: 'Your comment has been posted.' }).waitFor();
    const parentId = await story.commentId(parent);
    assert.match(await parent.innerText(), /Ann Reader/);
    assert.equal(await story.field('comment').inputValue(), '', 'the text box is emptied for the next comment');
    assert.equal(await story.hasReloadMarker(), true, 'no reload');
    assert.equal(story.page.url(), url);

    // "Reply" moves the form under the comment; "Cancel reply" puts it back.
    await story.replyLinkOf(parentId).click();
    await formMovedUnder(story, parentId);
    assert.equal(await titleText(story), 'Leave a Reply to Ann Reader Cancel reply');
    await story.cancelReply.waitFor();
    assert.equal(await story.page.locator('#comment_parent').inputValue(), String(parentId));
    assert.equal(story.page.url(), url, 'the click on "Reply" did not navigate');

    await story.cancelReply.click();
    await formBackHome(story);
    await story.cancelReply.waitFor({ state: 'hidden' });
    assert.equal(await titleText(story), 'Leave a Reply');
    assert.equal(await story.page.locator('#comment_parent').inputValue(), '0');

    await story.replyLinkOf(parentId).click();
    await formMovedUnder(story, parentId);
    assert.equal(await titleText(story), 'Leave a Reply to Ann Reader Cancel reply');
    await story.fillForm({ comment: 'It still needs a winter timetable.', author: 'Bo Responder', email: 'bo@example.org' });
    assert.equal((await story.post()).status(), 201);
    const reply = story.repliesOf(parentId).filter({ hasText: 'It still needs a winter timetable.' });
    await reply.waitFor();
    assert.equal(await story.repliesOf(parentId).count(), 1);
    assert.equal(await reply.getAttribute('class'), 'comment depth-2');
    await formBackHome(story);
    assert.equal(await titleText(story), 'Leave a Reply');
    assert.equal(await story.page.locator('#comment_parent').inputValue(), '0');
    assert.equal(await story.hasReloadMarker(), true, 'still no reload');
    assert.equal(story.page.url(), url);

    // The server agrees: a fresh load shows the same thread.
    await story.reload();
    const replyId = await story.commentId(story.repliesOf(parentId).first());
    assert.match(await story.comment(replyId).innerText(), /Bo Responder[\s\S]*It still needs a winter timetable\./);
    assert.deepEqual(story.unexpectedProblems(), []);
  });

  it('shows a validation error next to its field without reloading, the text kept', async () => {
    await buildStory(suite.t.deps, { headline: 'Library hours cut', slug: 'library-hours-cut' });
    const story = await suite.openStory('/stories/library-hours-cut', { javaScript: true });
    await story.page.locator('#respond-home').waitFor({ state: 'attached' });
    await story.setReloadMarker();

    await story.fillForm({ comment: 'Where will students study?', author: 'Cy Student', email: 'cy@example' });
    assert.equal((await story.post()).status(), 422);
    await story.fieldError('email').waitFor();
    assert.match(await story.fieldError('email').innerText(), /^Please enter a valid email address/);
    assert.equal(await story.field('email').getAttribute('aria-invalid'), 'true');
    // Tied to its message as the server-rendered form does it, keeping the email notice.
    assert.equal(await story.field('email').getAttribute('aria-describedby'), 'email-error email-notes');
    assert.equal(await story.fieldError('author').count(), 0);
    assert.equal(await story.field('comment').inputValue(), 'Where will students study?');
    assert.equal(await story.field('email').inputValue(), 'cy@example');
    assert.equal(await story.hasReloadMarker(), true, 'no reload');
    assert.equal(await story.page.locator('li.comment').count(), 0);

    // Correcting the address clears the error and posts the kept text.
    await story.fillForm({ email: 'cy@example.org' });
    assert.equal((await story.post()).status(), 201);
    await story.commentWithText('Where will students study?').waitFor();
    assert.equal(await story.page.locator('#commentform .field-error, #commentform [aria-invalid]').count(), 0);
    assert.equal(await story.field('email').getAttribute('aria-describedby'), 'email-notes', 'no reference to a removed message');
    assert.equal(await story.hasReloadMarker(), true);
    assert.deepEqual(story.unexpectedProblems(refusedPost), []);
  });

  it('fills remembered name, email and website from the cookie, never from the cached HTML', async () => {
    await buildStory(suite.t.deps, { headline: 'Market moves indoors', slug: 'market-moves-indoors' });
    const story = await suite.openStory('/stories/market-moves-indoors', { javaScript: true });
    const who = { author: 'Di Regular', email: 'di@example.org', url: 'https://di.example.org/' };
    await story.fillForm({ comment: 'Warmer, at least.', ...who, remember: true });
    assert.equal((await story.post()).status(), 201);
    await story.commentWithText('Warmer, at least.').waitFor();
    const cookies = await story.page.context().cookies();
    assert.ok(cookies.some((c) => c.name === 'readout_commenter' && c.value.includes(encodeURIComponent(who.email))));

    const servedHtml = await story.reload();
    await story.page.waitForFunction((email) => (document.getElementById('email') as HTMLInputElement | null)?.value === email, who.email);
    assert.equal(await story.field('author').inputValue(), who.author);
    assert.equal(await story.field('email').inputValue(), who.email);
    assert.equal(await story.field('url').inputValue(), who.url);
    assert.equal(await story.remember.isChecked(), true);
    assert.equal(await story.field('comment').inputValue(), '');
    // The HTML the browser got (with its cookie) and a fresh cookieless request are the same anonymous page.
    assert.doesNotMatch(servedHtml, /di@example\.org/);
    const fresh = await fetch(`${suite.baseUrl}/stories/market-moves-indoors`);
    assert.equal(fresh.status, 200);
    const html = await fresh.text();
    for (const name of ['author', 'email', 'url']) assert.match(html, new RegExp(`<input id="${name}" name="${name}" [^>]*value=""`));
    assert.doesNotMatch(html, /di@example\.org/);
    assert.doesNotMatch(html, /id="wp-comment-cookies-consent"[^>]*checked/);
    assert.deepEqual(story.unexpectedProblems(), []);
  });
});
