// Every public page type of the site, seeded with realistic data so that each component appears
// at least once: the list the HTML checker (html-validity.test.ts) and axe (accessibility.test.ts)
// go through. Feeds and sitemaps are XML, not HTML, and are checked by their own suites.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import sharp from 'sharp';
import { replyAsNewsroom } from '../../src/modules/comments/index.js';
import { appendCorrection } from '../../src/modules/corrections/index.js';
import { uploadImage } from '../../src/modules/media/index.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { buildComment } from '../builders/comments.js';
import { buildStory } from '../builders/stories.js';
import { testPublicUrl, type TestApp } from '../harness/app.js';
import { openDoorRules, useCommentSettings } from '../harness/comment-settings.js';

/** One page to check: how to ask for it and the status it must answer with. */
export interface PageRequest {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  /** A urlencoded form body (POST). */
  form?: Record<string, string>;
  /** Cookie header: this browser's own-comment key, or a staff session. */
  cookie?: string;
  /** False for a view made for browsers without JavaScript (checked in Chromium with it off). */
  javaScript?: boolean;
  status: number;
}

export interface FetchedPage extends PageRequest {
  html: string;
}

export interface QualitySite {
  /** Public pages, every type the site serves as HTML. */
  pages: PageRequest[];
  /** The newsroom pages a moderator uses most (signed in). */
  adminPages: PageRequest[];
}

const password = 'tide clock harbour 41';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** The name=value part of each Set-Cookie header of a response, joined as a Cookie header. */
const cookiesOf = (header: string | string[] | undefined) =>
  [header ?? []]
    .flat()
    .map((c) => c.split(';')[0])
    .join('; ');

/**
 * Seeds a site in `t` and lists its pages: a story with everything (dek, byline with authors,
 * dateline, section, tags, featured image, sources, a correction, a related story, threaded
 * comments over two pages with a deleted one, a newsroom reply, a held one and own ones), a story
 * with comments closed, a front page with a second page, and the reader's and newsroom's forms.
 */
export async function seedQualitySite(t: TestApp): Promise<QualitySite> {
  const { deps } = t;
  const db = deps.store.db;
  await useCommentSettings(deps, { perPage: 5, editWindowMinutes: 60, rules: { ...openDoorRules, blockedPhrases: ['hold for review'] } });
  const { person } = await createStaffMember(deps, commandLineActor, { name: 'Nadia Okafor', email: 'nadia@example.org', role: 'editor', password });
  const editor: Actor = { personId: person.id, name: person.name, role: 'editor' };

  // Enough older stories for a second page of the front page, of the Harbour section and of a search.
  for (let i = 0; i < 30; i++) {
    await buildStory(deps, {
      slug: `harbour-notes-${i}`,
      headline: `Harbour notes, week ${i + 1}`,
      ...(i % 2 ? { dek: 'What the port authority decided, and what it postponed.' } : {}),
      section: i % 5 ? 'Harbour' : 'City Hall',
      published: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00Z`,
    });
  }
  await buildStory(deps, {
    slug: 'budget-vote',
    headline: 'Council passes the harbour budget by one vote',
    dek: 'The ferry subsidy survived; the dredging plan did not.',
    byline: 'By Tomas Varga',
    authors: ['Tomas Varga'],
    section: 'City Hall',
    tags: ['Budget'],
    published: '2026-11-25T18:00:00Z',
  });
  const image = await uploadImage(deps, editor, {
    bytes: await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 90, b: 160 } } }).png().toBuffer(),
    alt: 'The ferry "Aurora" tied up at the north quay at dawn',
  });
  const main = await buildStory(deps, {
    slug: 'ferry-strike',
    headline: 'Ferry crews walk out over the new rota',
    dek: 'The first strike on the island route in 30 years leaves 4,000 commuters looking for another way across.',
    byline: 'By Amina Castell and Tomas Varga',
    authors: ['Amina Castell', 'Tomas Varga'],
    dateline: 'PORT ELLIS',
    section: 'Harbour',
    tags: ['Ferries', 'Labour'],
    related: 'budget-vote',
    published: '2026-11-26T12:00:00Z',
    sources: [
      { title: 'Notice of industrial action', outlet: 'Island Ferries Union', url: 'https://union.example.org/notice', date: '2026-11-20' },
      { title: 'Timetable changes', url: 'https://ferries.example.org/timetable' },
    ],
    body: [
      'Crews on the island ferry stopped work at 6 a.m. on Thursday, the union said.',
      '',
      '## What changes for commuters',
      '',
      '- The 7:15 and 8:05 sailings are cancelled.',
      '- Buses run from the north quay every 20 minutes.',
      '',
      '> "Nobody wanted this," said a deckhand, according to a statement from the union.',
      '',
      'The [port authority](https://port.example.org/) said talks would resume on Monday.',
      '',
    ].join('\n'),
  });
  await db.updateTable('stories').set({ featured_media_id: image.id }).where('id', '=', main.id).execute();
  await appendCorrection(deps, editor, { storyId: main.id, kind: 'correction', text: 'An earlier version gave the wrong date for the **last** strike; it was in 1996.' });
  const closed = await buildStory(deps, { slug: 'pier-closed', headline: 'Old pier closes for repairs', section: 'Harbour', published: '2026-11-24T09:00:00Z' });
  await buildComment(deps, { storyId: closed.id, author: 'Ines Ruiz', comment: 'About time; the boards were rotten.' });
  await db.updateTable('stories').set({ comments_open: 0 }).where('id', '=', closed.id).execute();

  // Comments, oldest first, five threads a page: seven threads make two pages.
  const say = (author: string, comment: string, parentId?: number, url?: string) =>
    buildComment(deps, { storyId: main.id, author, comment, email: `${author.split(' ')[0]?.toLowerCase()}@example.org`, ...(parentId ? { parentId } : {}), ...(url ? { url } : {}) });
  const first = await say('Rosa Díaz', 'I take the 7:15 every day. **Two hours** by bus instead of forty minutes.', undefined, 'https://rosa.example.org/');
  const reply = await say('Karl Meyer', 'Same here. Has anyone tried the water taxi?', first.id);
  await say('Rosa Díaz', 'It is full by 6:30. See [their site](https://taxi.example.org/).', reply.id);
  await replyAsNewsroom(deps, editor, { commentId: first.id, body: 'Thanks, Rosa: we are collecting commuters\u2019 stories for Monday\u2019s follow-up.' });

  // This browser's own comments, posted through the form: one it deletes later (after a reply), one it can edit, one held.
  const post = async (fields: Record<string, string>, cookie = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/comments',
      headers: { ...formHeaders, ...(cookie ? { cookie } : {}) },
      payload: form({ comment_post_ID: String(main.id), author: 'Lee Chen', email: 'lee@example.org', ...fields }),
    });
    assert.equal(res.statusCode, 303, res.body);
    return { location: String(res.headers.location), cookie: cookie || cookiesOf(res.headers['set-cookie']) };
  };
  const commentId = (location: string) => Number(/#comment-(\d+)$/.exec(location)?.[1]);
  const toDelete = await post({ comment: 'The union should have warned us a week earlier.' });
  const own = toDelete.cookie;
  await say('Ines Ruiz', 'They did, in the notice linked above.', commentId(toDelete.location));
  const deleted = await t.app.inject({ method: 'POST', url: `/comments/${commentId(toDelete.location)}/delete`, headers: { ...formHeaders, cookie: own }, payload: '' });
  assert.equal(deleted.statusCode, 303, deleted.body);
  for (let i = 3; i <= 6; i++) await say(`Reader ${i}`, `Thread ${i}: the overtime ban is the symptom; the staffing plan is the dispute.`);
  const editable = commentId((await post({ comment: 'Teh buses were late too.', comment_parent: String(first.id) }, own)).location);
  const held = await post({ comment: 'Please hold for review: a question for the reporter.' }, own);
  assert.match(held.location, /\?unapproved=\d+&moderation-hash=/);
  const heldUrl = held.location.replace(/#.*$/, '');

  // A privacy link, read from the mail the relay wrote.
  const asked = await t.app.inject({ method: 'POST', url: '/privacy/comments', headers: formHeaders, payload: form({ email: 'rosa@example.org' }) });
  assert.equal(asked.statusCode, 200, asked.body);
  await t.runtime.relay.drain();
  const dir = deps.config.mail.outboxDir;
  const mails = await Promise.all(fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => simpleParser(fs.readFileSync(path.join(dir, f)))));
  const link = mails.map((m) => /https?:\/\/\S+\/privacy\/comments\/manage\?token=\S+/.exec(m.text ?? '')?.[0]).find(Boolean);
  assert.ok(link, 'a privacy link was mailed');
  const token = new URL(link).searchParams.get('token') ?? '';

  const signIn = await t.app.inject({ method: 'POST', url: '/admin/sign-in', headers: formHeaders, payload: form({ email: 'nadia@example.org', password }) });
  const staff = cookiesOf(signIn.headers['set-cookie']);
  assert.match(staff, /=/, 'signed in');

  const story = `/stories/${main.slug}`;
  const pages: PageRequest[] = [
    { name: 'front page', url: '/', status: 200 },
    { name: 'front page, page 2', url: '/?page=2', status: 200 },
    { name: 'story, comments open', url: story, status: 200 },
    { name: 'story, comments page 2', url: `${story}?cpage=2`, status: 200 },
    { name: 'story, comments closed', url: `/stories/${closed.slug}`, status: 200 },
    { name: 'related story', url: '/stories/budget-vote', status: 200 },
    { name: 'no-JS reply view', url: `${story}?replytocom=${first.id}`, javaScript: false, status: 200 },
    { name: 'held comment, to its author', url: heldUrl, cookie: own, status: 200 },
    // The cached page, with this browser's held and editable comments put in place by the script.
    { name: 'story, with own comments', url: story, cookie: own, status: 200 },
    { name: 'comment form refused (422)', url: '/comments', method: 'POST', form: { comment_post_ID: String(main.id), comment: '', author: '', email: 'not-an-address' }, status: 422 },
    {
      name: 'reply form refused (422)',
      url: '/comments',
      method: 'POST',
      form: { comment_post_ID: String(main.id), comment_parent: String(reply.id), comment: '', author: 'Lee', email: '' },
      status: 422,
    },
    {
      name: 'comment form refused, duplicate (409)',
      url: '/comments',
      method: 'POST',
      form: { comment_post_ID: String(main.id), comment: 'They did, in the notice linked above.', author: 'Ines Ruiz', email: 'ines@example.org' },
      status: 409,
    },
    { name: 'comment edit', url: `/comments/${editable}/edit`, cookie: own, status: 200 },
    { name: 'comment edit refused (422)', url: `/comments/${editable}/edit`, method: 'POST', form: { comment: '' }, cookie: own, status: 422 },
    { name: 'comment report', url: `/comments/${reply.id}/report`, status: 200 },
    { name: 'comment report refused (422)', url: `/comments/${reply.id}/report`, method: 'POST', form: { reason: '', note: '' }, status: 422 },
    { name: 'comment report sent', url: `/comments/${reply.id}/report`, method: 'POST', form: { reason: 'spam', note: 'Advertising.' }, status: 200 },
    { name: 'section', url: '/sections/harbour', status: 200 },
    { name: 'section, page 2', url: '/sections/harbour?page=2', status: 200 },
    { name: 'tag', url: '/tags/ferries', status: 200 },
    { name: 'author', url: '/authors/amina-castell', status: 200 },
    { name: 'corrections', url: '/corrections', status: 200 },
    { name: 'privacy request', url: '/privacy/comments', status: 200 },
    { name: 'privacy request refused (422)', url: '/privacy/comments', method: 'POST', form: { email: 'nope' }, status: 422 },
    { name: 'privacy link sent', url: '/privacy/comments', method: 'POST', form: { email: 'karl@example.org' }, status: 200 },
    { name: 'privacy manage', url: `/privacy/comments/manage?token=${encodeURIComponent(token)}`, status: 200 },
    { name: 'privacy erase confirm', url: `/privacy/comments/erase?token=${encodeURIComponent(token)}`, status: 200 },
    { name: 'not found (404)', url: '/no-such-page', status: 404 },
    { name: 'story not found (404)', url: '/stories/no-such-story', status: 404 },
    { name: 'sign-in', url: '/admin/sign-in', status: 200 },
  ];
  pages.push(
    { name: 'search form', url: '/search', status: 200 },
    { name: 'search results', url: '/search?q=ferry', status: 200 },
    { name: 'search results, filtered, page 2', url: '/search?q=harbour&section=harbour&from=2026-11-01&to=2026-11-30&page=2', status: 200 },
    { name: 'search, no results', url: '/search?q=zeppelin', status: 200 },
    { name: 'search refused (422)', url: '/search?q=ferry&from=yesterday', status: 422 },
  );
  const adminPages: PageRequest[] = [
    { name: 'moderation queue', url: '/admin/comments', cookie: staff, status: 200 },
    { name: 'stories list', url: '/admin/stories', cookie: staff, status: 200 },
    { name: 'comment under moderation', url: `/admin/comments/${/unapproved=(\d+)/.exec(heldUrl)?.[1]}`, cookie: staff, status: 200 },
    { name: 'story editor', url: `/admin/stories/${main.id}/edit`, cookie: staff, status: 200 },
  ];
  return { pages, adminPages };
}

/** Each page's HTML as the server sends it (checked: the expected status, and HTML). */
export async function fetchPages(t: TestApp, requests: readonly PageRequest[]): Promise<FetchedPage[]> {
  const out: FetchedPage[] = [];
  for (const request of requests) {
    const res = await t.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      headers: { ...(request.method === 'POST' ? formHeaders : {}), ...(request.cookie ? { cookie: request.cookie } : {}) },
      ...(request.form ? { payload: form(request.form) } : {}),
    });
    assert.equal(res.statusCode, request.status, `${request.name}: ${request.method ?? 'GET'} ${request.url}\n${res.body.slice(0, 500)}`);
    assert.match(String(res.headers['content-type']), /^text\/html/, request.name);
    out.push({ ...request, html: res.body });
  }
  return out;
}
