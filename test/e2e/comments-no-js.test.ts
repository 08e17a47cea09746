// Journeys through the comment section in Chromium with JavaScript turned off: the form and the
// "Reply" links must work as plain HTML (posting, replying, the 422 form with its errors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStory } from '../builders/stories.js';
import { databaseMatrix } from '../harness/databases.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { refusedPost } from './pages/story-page.js';
import { openDoorRules } from '../harness/comment-settings.js';
import { useBrowserSuite, type BrowserSuite } from './support/suite.js';

const noChromium = skipUnless(probeChromium());
const postgres = (await databaseMatrix()).find((d) => d.kind === 'postgres');

/** Journey 1: post a comment, follow its "Reply" link, reply, and find the reply nested under it. */
async function postAndReply(suite: BrowserSuite, slug: string): Promise<void> {
  await buildStory(suite.t.deps, { headline: 'Bridge reopens after repairs', slug });
  const story = await suite.openStory(`/stories/${slug}`, { javaScript: false });
  assert.equal(await story.page.locator('#respond-home').count(), 0, 'the page script must not have run');
  assert.equal((await story.replyTitle.innerText()).trim(), 'Leave a Reply');
  assert.equal(await story.cancelReply.count(), 0, 'no visible "Cancel reply" before replying');

  await story.fillForm({ comment: 'Finally! My commute is back to 20 minutes.', author: 'Ann Reader', email: 'ann@example.org' });
  const parentId = await story.postAndFollow();
  const parent = story.comment(parentId);
  await parent.waitFor();
  assert.match(await parent.innerText(), /Ann Reader[\s\S]*Finally! My commute is back to 20 minutes\./);
  assert.equal(await story.commentId(story.commentWithText('Finally!')), parentId);

  const reply = story.replyLinkOf(parentId);
  assert.equal(await reply.getAttribute('href'), `/stories/${slug}?replytocom=${parentId}#respond`);
  await reply.click();
  await story.page.waitForURL(`${story.baseUrl}/stories/${slug}?replytocom=${parentId}#respond`);
  assert.equal((await story.replyTitle.innerText()).replace(/\s+/g, ' ').trim(), 'Leave a Reply to Ann Reader Cancel reply');
  await story.cancelReply.waitFor();
  assert.equal(await story.cancelReply.getAttribute('href'), `/stories/${slug}#respond`);
  assert.equal(await story.page.locator('#comment_parent').inputValue(), String(parentId));

  await story.fillForm({ comment: 'Mine too, though the bus lane is gone.', author: 'Bo Responder', email: 'bo@example.org' });
  const replyId = await story.postAndFollow();
  const nested = story.repliesOf(parentId);
  await nested.first().waitFor();
  assert.equal(await nested.count(), 1);
  assert.equal(await story.commentId(nested.first()), replyId);
  assert.match(await nested.first().innerText(), /Bo Responder[\s\S]*Mine too, though the bus lane is gone\./);
  assert.equal(await story.comment(replyId).getAttribute('class'), 'comment depth-2');
  assert.equal((await story.replyTitle.innerText()).trim().startsWith('Leave a Reply to'), false, 'the form is back to a new comment');
  assert.deepEqual(story.unexpectedProblems(), []);
}

describe('comments in Chromium without JavaScript (SQLite)', { skip: noChromium }, () => {
  const suite = useBrowserSuite('sqlite', { commentRules: openDoorRules });

  it('posts a comment, then a reply through the "Reply" link, nested under its parent', () =>
    postAndReply(suite, 'bridge-reopens'));

  it('re-renders the form with 422, the text kept and each error beside its field', async () => {
    await buildStory(suite.t.deps, { headline: 'Council delays vote', slug: 'council-delays-vote' });
    const story = await suite.openStory('/stories/council-delays-vote', { javaScript: false });
    const text = 'Keep <this> text & my line breaks\nplease.';
    await story.fillForm({ comment: text, author: '', email: 'not-an-email' });

    const response = await story.post();
    assert.equal(response.status(), 422);
    await story.page.waitForURL(`${story.baseUrl}/comments`);
    await story.fieldError('email').waitFor();
    assert.equal(await story.field('comment').inputValue(), text);
    assert.equal(await story.field('email').inputValue(), 'not-an-email');
    assert.equal(await story.fieldError('author').innerText(), 'Please enter your name.');
    assert.match(await story.fieldError('email').innerText(), /^Please enter a valid email address/);
    for (const name of ['author', 'email'] as const) {
      assert.equal(await story.field(name).getAttribute('aria-invalid'), 'true');
      assert.match((await story.field(name).getAttribute('aria-describedby')) ?? '', new RegExp(`\\b${name}-error\\b`));
    }
    assert.equal(await story.fieldError('comment').count(), 0);
    assert.equal(await story.page.locator('#commentform [aria-invalid]').count(), 2);
    await story.page.getByRole('alert').getByText('Your comment was not posted.').waitFor();
    assert.equal(await story.page.locator('li.comment').count(), 0, 'nothing was posted');

    // Correcting the fields on the re-rendered form posts the comment.
    await story.fillForm({ author: 'Cy Fixer', email: 'cy@example.org' });
    const id = await story.postAndFollow();
    await story.comment(id).waitFor();
    assert.match(await story.comment(id).innerText(), /Keep <this> text & my line breaks/);
    assert.deepEqual(story.unexpectedProblems(refusedPost), []);
  });
});

describe('comments in Chromium without JavaScript (PostgreSQL)', { skip: noChromium || (postgres?.skip ?? 'no PostgreSQL entry') }, () => {
  const suite = useBrowserSuite('postgres', { commentRules: openDoorRules });

  it('posts a comment, then a reply through the "Reply" link, nested under its parent', () =>
    postAndReply(suite, 'bridge-reopens'));
});
