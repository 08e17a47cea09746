// The newsroom journey of issue 3 in Chromium: an author signs in and writes a story with a
// source, an editor schedules it, it appears on the front page on time, the editor adds a
// correction and an anonymous reader sees it. The server runs on a FakeClock moved by the test and
// publishes when the test ticks its scheduler; the browser keeps real time. The site's zone is
// Asia/Kolkata (UTC+05:30), so a "Publish at" read as UTC or as the server's zone would miss.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { commandLineActor, createStaffMember } from '../../src/modules/people/index.js';
import { FakeClock } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';
import { probeChromium, skipUnless } from '../harness/services.js';
import { CorrectionsPage } from './pages/corrections-page.js';
import { FrontPage } from './pages/front-page.js';
import { refusedSignIn, SignInPage } from './pages/sign-in-page.js';
import { StoryEditor } from './pages/story-editor.js';
import type { ConsoleProblem } from './support/browser.js';
import { useBrowserSuite, type BrowserSuite } from './support/suite.js';
import { datetimeLocalValue } from './support/time.js';

const noChromium = skipUnless(probeChromium());
const siteTimeZone = 'Asia/Kolkata';
const password = 'tide clock harbour 41';
const staff = {
  author: { name: 'Ana Author', email: 'ana@example.org', role: 'author' },
  editor: { name: 'Eli Editor', email: 'eli@example.org', role: 'editor' },
} as const;
const minutes = (n: number) => n * 60_000;

const story = {
  headline: 'Night ferry returns to the island',
  slug: 'night-ferry-returns-to-the-island',
  dek: 'The 22:40 crossing is back after two years.',
  byline: 'By Ana Author',
  body: 'The night ferry to the island returns on **Monday**, the harbour authority said.\n\n"We heard the islanders," said the harbour master.',
};
const source = { title: 'Winter timetable 2026', outlet: 'Harbour Authority', url: 'https://example.org/timetable', date: '2026-11-20' };

function unexpected(problems: ConsoleProblem[], expected: (p: ConsoleProblem) => boolean = () => false): string[] {
  return problems.filter((p) => !expected(p)).map((p) => `${p.text} [${p.url}]`);
}

async function storyStatus(suite: BrowserSuite, slug: string): Promise<number> {
  return (await fetch(`${suite.baseUrl}/stories/${slug}`)).status;
}

async function journey(suite: BrowserSuite, clock: FakeClock): Promise<void> {
  // The author signs in by keyboard on the way to a new story, writes it with a source, saves a draft.
  const author = await suite.newPage();
  const authorSignIn = new SignInPage(author.page, suite.baseUrl);
  await authorSignIn.gotoVia('/admin/stories/new');
  await authorSignIn.signInAndFollow(staff.author.email, password, '/admin/stories/new');
  assert.match(await authorSignIn.accountBar.innerText(), /Signed in as Ana Author \(author\)/);

  const draft = new StoryEditor(author.page, suite.baseUrl);
  assert.equal(await draft.heading.innerText(), 'New story');
  assert.deepEqual(await draft.actions(), ['preview', 'save'], 'an author may only preview and save');
  for (const label of ['Publish now', 'Schedule']) assert.equal(await draft.button(label).count(), 0, `no "${label}" for an author`);
  assert.equal(await draft.publishAt.count(), 0, 'no "Publish at" for an author');

  await draft.fill({ headline: story.headline, dek: story.dek, byline: story.byline, body: story.body });
  await draft.fillSource(0, source);
  // The admin script previews the Markdown as it is typed (same-origin fetch, allowed by the CSP).
  await draft.preview.locator('strong', { hasText: 'Monday' }).waitFor();
  const id = await draft.submitAndFollow('Save draft');
  assert.match(await draft.status.innerText(), /^Status: draft\b/);
  assert.equal(await draft.field('slug').inputValue(), story.slug, 'the address is made from the headline');
  assert.equal(await draft.sourceField(0, 'url').inputValue(), source.url);
  assert.equal(await draft.sourceField(0, 'outlet').inputValue(), source.outlet);
  assert.deepEqual(await draft.actions(), ['preview', 'save'], 'still no publishing actions on the saved draft');
  assert.equal(await draft.publishAt.count(), 0);

  // A reader: nothing yet.
  const reader = await suite.newPage();
  const front = new FrontPage(reader.page, suite.baseUrl, reader.problems);
  await front.goto();
  assert.equal(await front.teaser(story.headline).count(), 0, 'a draft is not on the front page');
  assert.equal(await storyStatus(suite, story.slug), 404);

  // The editor signs in on the way to the story list, opens the draft and schedules it two hours ahead.
  const editor = await suite.newPage();
  const editorSignIn = new SignInPage(editor.page, suite.baseUrl);
  await editorSignIn.gotoVia('/admin/stories');
  await editorSignIn.signInAndFollow(staff.editor.email, password, '/admin/stories');
  await editor.page.getByRole('link', { name: story.headline, exact: true }).click();
  await editor.page.waitForURL(`${suite.baseUrl}/admin/stories/${id}/edit`);
  const desk = new StoryEditor(editor.page, suite.baseUrl);
  assert.deepEqual(await desk.actions(), ['preview', 'save', 'publish', 'schedule']);
  assert.equal(await desk.field('headline').inputValue(), story.headline);
  assert.equal(await desk.sourceField(0, 'title').inputValue(), source.title);
  assert.equal(await desk.publishAt.getAttribute('type'), 'datetime-local');
  assert.equal(await editor.page.locator('label[for="publish_at"]').innerText(), `Publish at (${siteTimeZone})`);

  const at = new Date(clock.now().getTime() + minutes(120));
  const local = datetimeLocalValue(at, siteTimeZone);
  assert.equal(local, '2026-11-27T16:30', 'the fake clock starts at 09:00 UTC, i.e. 14:30 in Kolkata');
  assert.equal(await desk.schedule(local), id);
  assert.match(await desk.status.innerText(), /^Status: scheduled · scheduled for /);
  assert.equal(await desk.status.locator('time').getAttribute('datetime'), at.toISOString(), 'the wall-clock time was read in the site zone');
  assert.equal(await desk.publishAt.inputValue(), local, 'shown again as typed');

  // A minute before its time the scheduler leaves it alone; at its time it publishes it.
  clock.advance(minutes(119));
  await suite.t.runtime.scheduler.tick();
  await front.goto();
  assert.equal(await front.teaser(story.headline).count(), 0, 'not on the front page before its time');
  assert.equal(await storyStatus(suite, story.slug), 404);

  clock.advance(minutes(1));
  await suite.t.runtime.scheduler.tick();
  await front.goto();
  await front.teaser(story.headline).waitFor();
  assert.match(await front.teaser(story.headline).innerText(), /By Ana Author/);
  const page = await front.openStory(story.headline);
  assert.equal(page.path, `/stories/${story.slug}`);
  assert.equal(await page.headline.innerText(), story.headline);
  assert.equal(await page.publishedTime.getAttribute('datetime'), at.toISOString());
  const cited = page.sources.getByRole('link', { name: source.title, exact: true });
  assert.equal(await cited.getAttribute('href'), source.url);
  assert.match(await page.sources.innerText(), /Winter timetable 2026, Harbour Authority, 2026-11-20/);
  assert.equal(await page.corrections.count(), 0, 'no corrections yet');

  // Later, the editor adds a correction from the published story's editor.
  clock.advance(minutes(45));
  await desk.gotoEdit(id);
  assert.match(await desk.status.innerText(), /^Status: published · published /);
  await desk.correctionsLink.click();
  const corrections = new CorrectionsPage(editor.page, suite.baseUrl, id);
  await editor.page.waitForURL(`${suite.baseUrl}${corrections.path}`);
  await corrections.heading.waitFor();
  assert.match(await corrections.story.innerText(), new RegExp(`Story: ${story.headline} \\(published\\)`));
  assert.equal(await corrections.notes.count(), 0);
  const correctionId = await corrections.append('correction', 'The ferry returns on **Tuesday**, not Monday.');
  const note = corrections.note(correctionId);
  await note.waitFor();
  assert.match(await note.innerText(), /^Correction · .+ · by Eli Editor\s+The ferry returns on Tuesday, not Monday\.$/);
  assert.equal(await corrections.notes.count(), 1);

  // An anonymous reader (a fresh context, no cookies) sees the dated note on the story.
  const anonymous = await suite.openStory(`/stories/${story.slug}`, { javaScript: true });
  assert.deepEqual(await anonymous.page.context().cookies(), [], 'a reader without cookies');
  const box = anonymous.corrections;
  await box.waitFor();
  assert.equal(await box.getByRole('heading', { level: 2 }).innerText(), 'Correction');
  const shown = anonymous.correctionNote(correctionId);
  assert.equal(await shown.locator('time').getAttribute('datetime'), clock.now().toISOString(), 'dated when it was added');
  assert.equal(await shown.locator('.correction-text strong').innerText(), 'Tuesday');
  assert.match(await shown.innerText(), /The ferry returns on Tuesday, not Monday\./);
  // The reader who already had the page open sees it on reloading (the cached copy was purged).
  await page.reload();
  await page.correctionNote(correctionId).waitFor();

  assert.deepEqual(unexpected(author.problems), [], 'author');
  assert.deepEqual(unexpected(editor.problems), [], 'editor');
  assert.deepEqual(unexpected(reader.problems), [], 'reader');
  assert.deepEqual(anonymous.unexpectedProblems(), [], 'anonymous reader');
}

async function refusedThenSignedIn(suite: BrowserSuite): Promise<void> {
  const { page, problems } = await suite.newPage();
  const signIn = new SignInPage(page, suite.baseUrl);
  await signIn.gotoVia('/admin/stories');
  const refused = await signIn.signInWithKeyboard(staff.editor.email, 'not the password at all');
  assert.equal(refused.status(), 401);
  await signIn.error.waitFor();
  assert.equal(await signIn.error.innerText(), 'The email address or password is not correct.');
  assert.equal(await signIn.email.inputValue(), staff.editor.email, 'the email is kept');
  assert.equal(await signIn.password.inputValue(), '', 'the password is not');
  assert.deepEqual(await page.context().cookies(), []);
  // Again, still by keyboard only; the way back (`next`) survived the refusal.
  await signIn.signInAndFollow(staff.editor.email, password, '/admin/stories');
  assert.match(await signIn.accountBar.innerText(), /Signed in as Eli Editor \(editor\)/);
  assert.deepEqual(unexpected(problems, refusedSignIn), []);
}

for (const { kind, skip } of await databaseMatrix()) {
  const name = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  describe(`the newsroom in Chromium (${name})`, { skip: noChromium || skip }, () => {
    const clock = new FakeClock();
    const suite = useBrowserSuite(kind, { clock, env: { READOUT_TIMEZONE: siteTimeZone } });
    before(async () => {
      for (const person of Object.values(staff)) await createStaffMember(suite.t.deps, commandLineActor, { ...person, password });
    });

    it('an author writes a story with a source, an editor schedules it, it appears on time, a correction reaches the reader', () =>
      journey(suite, clock));

    it('refuses a wrong password at the keyboard, keeping the email and the way back, then signs in', () => refusedThenSignedIn(suite));
  });
}
