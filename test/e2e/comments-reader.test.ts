// The reader's side of comments in Chromium with JavaScript: a held comment is shown in place to
// its author alone (the cached page stays anonymous; the script asks /comments/mine), and the
// author edits and deletes their comment within the edit window from the same browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStory } from '../builders/stories.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { useBrowserSuite } from './support/suite.js';

const held = 'Your comment is awaiting moderation.';

describe('own comments in Chromium with JavaScript (SQLite)', { skip: skipUnless(probeChromium()) }, () => {
  const suite = useBrowserSuite('sqlite', { commentRules: openDoorRules });

  it('shows a held comment in place to its author, after a reload too, and to no one else', async () => {
    await useCommentSettings(suite.t.deps, { rules: { ...openDoorRules, holdFirstTimeCommenters: true } });
    await buildStory(suite.t.deps, { headline: 'Held in place', slug: 'held-in-place' });
    const story = await suite.openStory('/stories/held-in-place', { javaScript: true });
    await story.page.locator('#respond-home').waitFor({ state: 'attached' });

    await story.fillForm({ comment: 'A first comment, held for a moderator.', author: 'New Reader', email: 'new.reader@example.org' });
    const response = await story.post();
    assert.equal(response.status(), 201);
    const item = story.commentWithText('A first comment, held for a moderator.');
    await item.waitFor();
    await item.locator('.comment-awaiting-moderation', { hasText: held }).waitFor();
    await story.formStatus.filter({ hasText: held }).waitFor();
    const id = await story.commentId(item);

    // A reload: the server's HTML (cached, the same for everyone) does not hold the comment; the script puts it back.
    const html = await story.reload();
    assert.ok(!html.includes('A first comment, held for a moderator.'), 'the cached HTML stays anonymous');
    await story.comment(id).locator('.comment-awaiting-moderation', { hasText: held }).waitFor();
    await story.page.locator(`#div-comment-${id} .comment-edit-link`).waitFor();

    // Another browser sees nothing of it.
    const other = await suite.openStory('/stories/held-in-place', { javaScript: true });
    await other.page.waitForLoadState('networkidle');
    assert.equal(await other.comment(id).count(), 0);
    assert.deepEqual(story.unexpectedProblems(), []);
    assert.deepEqual(other.unexpectedProblems(), []);
  });

  it('edits and deletes an own comment within the edit window, from the same browser', async () => {
    await useCommentSettings(suite.t.deps, { rules: openDoorRules });
    await buildStory(suite.t.deps, { headline: 'Edit window', slug: 'edit-window' });
    const story = await suite.openStory('/stories/edit-window', { javaScript: true });
    await story.page.locator('#respond-home').waitFor({ state: 'attached' });
    await story.fillForm({ comment: 'Teh first version.', author: 'Typo Reader', email: 'typo@example.org' });
    assert.equal((await story.post()).status(), 201);
    const item = story.commentWithText('Teh first version.');
    await item.waitFor();
    const id = await story.commentId(item);

    // Edit: the link appears on the own comment; the edit page saves and leads back to the story.
    const edit = story.page.locator(`#div-comment-${id} .comment-edit-link`);
    await edit.click();
    await story.page.waitForURL(`**/comments/${id}/edit`);
    await story.page.getByRole('textbox', { name: 'Comment' }).fill('The first version, corrected.');
    await story.page.getByRole('button', { name: 'Save changes' }).click();
    await story.page.waitForURL(`**/stories/edit-window#comment-${id}`);
    const edited = story.commentWithText('The first version, corrected.');
    await edited.waitFor();
    await edited.locator('.comment-edited', { hasText: '(edited)' }).waitFor();

    // Another browser gets neither the links nor the edit page.
    const other = await suite.openStory('/stories/edit-window', { javaScript: true });
    await other.page.waitForLoadState('networkidle');
    assert.equal(await other.page.locator(`#div-comment-${id} .comment-edit-link`).count(), 0);
    const refused = await other.page.goto(`${suite.baseUrl}/comments/${id}/edit`);
    assert.equal(refused?.status(), 403);

    // Delete, confirming the dialog.
    await story.page.locator(`#div-comment-${id} .comment-edit-link`).waitFor();
    story.page.once('dialog', (dialog) => void dialog.accept());
    await story.page.locator(`#div-comment-${id} .comment-delete-link`).click();
    await story.page.waitForURL('**/stories/edit-window#comments');
    assert.equal(await story.comment(id).count(), 0);
    assert.deepEqual(story.unexpectedProblems(), []);
  });
});
