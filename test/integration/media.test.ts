import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Deps } from '../../src/deps.js';
import { DomainError, ValidationError } from '../../src/errors.js';
import { uploadImage } from '../../src/modules/media/index.js';
import { commandLineActor, createStaffMember, type Actor } from '../../src/modules/people/index.js';
import { parseStoryForm, saveStory, type StoryFormInput } from '../../src/modules/stories/index.js';
import { createTestApp, testPublicUrl, type TestApp } from '../harness/app.js';
import { databaseMatrix } from '../harness/databases.js';

const password = 'tide clock harbour 41';
const maxBytes = 1_000_000;
const blank: StoryFormInput = { headline: '', slug: '', dek: '', byline: 'By Staff', dateline: '', body: 'Text.', related: '', sources: [] };

type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

/** A multipart/form-data body as a browser sends it. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = '----readout-test-boundary-7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('data' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`));
      chunks.push(part.data, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** A PNG whose header claims another size (the IHDR chunk rewritten, with its CRC). */
function withPngSize(file: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(file);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  let crc = 0xffffffff;
  for (const byte of out.subarray(12, 29)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 29);
  return out;
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } }).png().toBuffer();

for (const { kind, skip } of await databaseMatrix()) {
  describe(`media uploads on ${kind}`, { skip }, () => {
    let t: TestApp;
    let mediaDir: string;
    const actors: Record<string, Actor> = {};
    const cookies: Record<string, string> = {};

    before(async () => {
      mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-media-'));
      t = await createTestApp({ db: kind, env: { READOUT_MEDIA_DIR: mediaDir, READOUT_MEDIA_MAX_BYTES: String(maxBytes) } });
      for (const role of ['editor', 'author', 'moderator'] as const) {
        const { person } = await createStaffMember(t.deps, commandLineActor, { name: `The ${role}`, email: `${role}@example.org`, role, password });
        actors[role] = { personId: person.id, name: person.name, role };
        const signIn = await t.app.inject({
          method: 'POST',
          url: '/admin/sign-in',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: testPublicUrl },
          payload: new URLSearchParams({ email: `${role}@example.org`, password }).toString(),
        });
        cookies[role] = String(signIn.headers['set-cookie']).split(';')[0] as string;
      }
    });
    after(async () => {
      await t?.close();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    });

    const csrfOf = async (role: string) => {
      const page = await t.app.inject({ url: '/admin/media', headers: { cookie: cookies[role] as string } });
      assert.equal(page.statusCode, 200);
      return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    };
    const mediaCount = async () => Number((await t.deps.store.db.selectFrom('media').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const post = async (role: string, parts: Part[], o: { csrf?: boolean } = {}) => {
      const csrf = o.csrf === false ? [] : [{ name: '_csrf', value: await csrfOf(role) }];
      const { payload, contentType } = multipart([...csrf, ...parts]);
      return t.app.inject({ method: 'POST', url: '/admin/media', headers: { cookie: cookies[role] as string, origin: testPublicUrl, 'content-type': contentType }, payload });
    };
    /** Posts a refused upload and checks that it left no row and no file behind. */
    const refused = async (role: string, parts: Part[], o: { csrf?: boolean } = {}) => {
      const [rows, files] = [await mediaCount(), filesUnder(mediaDir)];
      const response = await post(role, parts, o);
      assert.equal(await mediaCount(), rows);
      assert.deepEqual(filesUnder(mediaDir), files);
      return response;
    };

    it('stores a PNG with resized variants and serves them as immutable files', async () => {
      const response = await post('author', [
        { name: 'alt', value: 'Cranes over the <harbour>' },
        { name: 'file', filename: 'cranes.png', type: 'image/png', data: await png(2000, 1000) },
      ]);
      assert.equal(response.statusCode, 303, response.body);
      assert.match(String(response.headers.location), /^\/admin\/media\?uploaded=\d+$/);
      const row = await t.deps.store.db.selectFrom('media').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(row.content_type, 'image/png');
      assert.deepEqual([row.width, row.height, row.alt, row.uploaded_by], [2000, 1000, 'Cranes over the <harbour>', actors.author?.personId]);
      assert.match(row.path, /^\d{4}\/\d{2}\/[0-9a-f]{32}\.png$/);
      assert.ok(fs.existsSync(path.join(mediaDir, row.path)));
      const variants = JSON.parse(row.variants) as { width: number; height: number; path: string }[];
      assert.deepEqual(variants.map((v) => [v.width, v.height]), [[480, 240], [960, 480], [1600, 800]]);
      for (const v of variants) {
        const meta = await sharp(path.join(mediaDir, v.path)).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ['webp', v.width, v.height]);
        const served = await t.app.inject({ url: `/media/${v.path}` });
        assert.equal(served.statusCode, 200);
        assert.equal(served.headers['content-type'], 'image/webp');
        assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(served.headers['x-content-type-options'], 'nosniff');
        assert.equal(served.rawPayload.length, fs.statSync(path.join(mediaDir, v.path)).size);
      }
      // The original may carry camera metadata (location): kept on disk, never served.
      assert.equal((await t.app.inject({ url: `/media/${row.path}` })).statusCode, 404);
      const page = await t.app.inject({ url: `/admin/media?uploaded=${row.id}`, headers: { cookie: cookies.author as string } });
      assert.match(page.body, new RegExp(`Image ${row.id} uploaded`));
      assert.match(page.body, /<img src="\/media\/[^"]+-480\.webp" alt="Cranes over the &lt;harbour&gt;" width="120" height="60"/);
      const audit = await t.deps.store.db.selectFrom('audit_log').select(['action', 'subject_type']).where('subject_id', '=', row.id).where('subject_type', '=', 'media').execute();
      assert.deepEqual(audit, [{ action: 'media.uploaded', subject_type: 'media' }]);
    });

    it('never makes a variant wider than the original JPEG', async () => {
      const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#c0ffee' } }).jpeg().toBuffer();
      const image = await uploadImage(t.deps, actors.editor as Actor, { bytes: jpeg, alt: 'A small photo' });
      assert.deepEqual(image.srcset.map((v) => v.width), [480, 800]);
      assert.equal(image.width, 800);
      assert.match(image.src, /-800\.webp$/);
    });

    it('accepts WebP and animated GIF, and turns a JPEG as its EXIF orientation says', async () => {
      const frame = (background: string) => sharp({ create: { width: 600, height: 400, channels: 3, background } }).png().toBuffer();
      const gif = await sharp([await frame('#f00'), await frame('#00f')], { join: { animated: true } }).gif().toBuffer();
      const animated = await uploadImage(t.deps, actors.author as Actor, { bytes: gif, alt: 'Blinking light' });
      assert.deepEqual([animated.width, animated.height], [600, 400]);
      const served = await t.app.inject({ url: animated.src });
      const meta = await sharp(served.rawPayload, { animated: true }).metadata();
      assert.deepEqual([meta.format, meta.pages, meta.width, meta.pageHeight], ['webp', 2, 600, 400]);
      const webp = await sharp({ create: { width: 500, height: 300, channels: 4, background: '#0f08' } }).webp().toBuffer();
      assert.deepEqual((await uploadImage(t.deps, actors.author as Actor, { bytes: webp, alt: 'Green' })).srcset.map((v) => v.width), [480, 500]);
      const turned = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#0f0' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const portrait = await uploadImage(t.deps, actors.author as Actor, { bytes: turned, alt: 'Upright' });
      assert.deepEqual([portrait.width, portrait.height, portrait.srcset.map((v) => v.width)], [600, 800, [480, 600]]);
    });

    it('refuses a file that is not an image, whatever its name and declared type (415), and writes nothing', async () => {
      const text = await refused('author', [
        { name: 'alt', value: 'Not really' },
        { name: 'file', filename: 'notes.png', type: 'image/png', data: Buffer.from('These are my notes, not a picture.\n') },
      ]);
      assert.equal(text.statusCode, 415);
      assert.match(text.body, /not an image Readout accepts\. Upload a JPEG, PNG, WebP or GIF/);
      assert.match(text.body, /value="Not really"/);
      const svg = await refused('author', [
        { name: 'alt', value: 'Vector' },
        { name: 'file', filename: 'logo.png', type: 'image/png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>') },
      ]);
      assert.equal(svg.statusCode, 415);
      // PNG magic bytes followed by something that is no PNG: the decoder must agree.
      const fake = await refused('author', [
        { name: 'alt', value: 'Fake' },
        { name: 'file', filename: 'fake.png', type: 'image/png', data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('garbage'.repeat(20))]) },
      ]);
      assert.equal(fake.statusCode, 415);
    });

    it('refuses an oversized file (413) and a missing alt text (422), and writes nothing', async () => {
      const big = await refused('author', [
        { name: 'alt', value: 'Too big' },
        { name: 'file', filename: 'big.png', type: 'image/png', data: Buffer.concat([await png(10, 10), Buffer.alloc(maxBytes)]) },
      ]);
      assert.equal(big.statusCode, 413);
      assert.match(big.body, /The file is too large: images may be at most 976 KiB/);
      const noAlt = await refused('author', [
        { name: 'alt', value: '   ' },
        { name: 'file', filename: 'ok.png', type: 'image/png', data: await png(100, 100) },
      ]);
      assert.equal(noAlt.statusCode, 422);
      assert.match(noAlt.body, /<span class="field-error" id="alt-error">Describe the image/);
      const noFile = await refused('author', [{ name: 'alt', value: 'Nothing' }]);
      assert.equal(noFile.statusCode, 422);
      assert.match(noFile.body, /Choose an image file/);
      // A small file that claims a huge image is refused before it is decoded.
      const bomb = await refused('author', [
        { name: 'alt', value: 'Bomb' },
        { name: 'file', filename: 'bomb.png', type: 'image/png', data: withPngSize(await png(10, 10), 20_000, 20_000) },
      ]);
      assert.equal(bomb.statusCode, 413);
      assert.match(bomb.body, /at most 50 megapixels/);
      await assert.rejects(
        uploadImage(t.deps, actors.author as Actor, { bytes: await png(10, 10), alt: 'x'.repeat(301) }),
        (e: Error) => e instanceof ValidationError && /at most 300/.test(e.fieldErrors.alt ?? ''),
      );
    });

    it('keeps CSRF and permissions: no token is 403, a moderator may not upload', async () => {
      const noCsrf = await refused('author', [
        { name: 'alt', value: 'Sneaky' },
        { name: 'file', filename: 'a.png', type: 'image/png', data: await png(50, 50) },
      ], { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      assert.match(noCsrf.body, /did not come from this site/);
      const moderator = await t.app.inject({ method: 'POST', url: '/admin/media', headers: { cookie: cookies.moderator as string, origin: testPublicUrl, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'alt=x' });
      assert.equal(moderator.statusCode, 403);
      assert.equal((await t.app.inject({ url: '/admin/media', headers: { cookie: cookies.moderator as string } })).statusCode, 403);
      await assert.rejects(
        uploadImage(t.deps, actors.moderator as Actor, { bytes: await png(50, 50), alt: 'No' }),
        (e: Error) => e instanceof DomainError && e.code === 'AUTH_NOT_PERMITTED',
      );
      const crossSite = multipart([{ name: 'alt', value: 'x' }]);
      const fromElsewhere = await t.app.inject({
        method: 'POST',
        url: '/admin/media',
        headers: { cookie: cookies.author as string, origin: 'https://evil.example', 'content-type': crossSite.contentType },
        payload: crossSite.payload,
      });
      assert.equal(fromElsewhere.statusCode, 403);
      // Multipart bodies are parsed for the upload form only.
      const elsewhere = multipart([{ name: 'headline', value: 'x' }]);
      const story = await t.app.inject({ method: 'POST', url: '/admin/stories', headers: { cookie: cookies.author as string, origin: testPublicUrl, 'content-type': elsewhere.contentType }, payload: elsewhere.payload });
      assert.equal(story.statusCode, 415);
    });

    it('removes the files again when the database write fails', async () => {
      const files = filesUnder(mediaDir);
      const db = t.deps.store.db;
      const failing = new Proxy(db, {
        get: (target, prop, receiver) => (prop === 'transaction' ? () => ({ execute: async () => Promise.reject(new Error('database went away')) }) : Reflect.get(target, prop, receiver)),
      });
      const deps: Deps = { ...t.deps, store: { ...t.deps.store, db: failing } };
      await assert.rejects(uploadImage(deps, actors.editor as Actor, { bytes: await png(1000, 500), alt: 'Lost' }), /database went away/);
      assert.deepEqual(filesUnder(mediaDir), files);
    });

    it('shows a featured image on the story page with srcset, alt and size, and in JSON-LD', async () => {
      const image = await uploadImage(t.deps, actors.editor as Actor, { bytes: await png(1200, 800), alt: 'Ferry "Aurora" at dawn' });
      await assert.rejects(
        saveStory(t.deps, actors.editor as Actor, { draft: parseStoryForm({ ...blank, headline: 'No image', featuredMediaId: '999999' }), action: { kind: 'publish' } }),
        (e: Error) => e instanceof ValidationError && /no longer exists/.test(e.fieldErrors.featured_media_id ?? ''),
      );
      assert.throws(() => parseStoryForm({ ...blank, headline: 'Bad id', featuredMediaId: '../1' }), ValidationError);
      // Through the editor, as a browser without JavaScript sends it.
      const editor = await t.app.inject({ url: '/admin/stories/new', headers: { cookie: cookies.editor as string } });
      assert.match(editor.body, new RegExp(`<option value="${image.id}">#${image.id}: Ferry &quot;Aurora&quot; at dawn</option>`));
      const csrf = /name="_csrf" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';
      const saved = await t.app.inject({
        method: 'POST',
        url: '/admin/stories',
        headers: { cookie: cookies.editor as string, origin: testPublicUrl, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, headline: 'Ferry returns', slug: 'ferry-returns', byline: 'By Staff', body: 'The ferry is back.', featured_media_id: String(image.id), action: 'publish' }).toString(),
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const edit = await t.app.inject({ url: String(saved.headers.location), headers: { cookie: cookies.editor as string } });
      assert.match(edit.body, new RegExp(`<option value="${image.id}" selected>`));
      const page = (await t.app.inject({ url: '/stories/ferry-returns' })).body;
      const srcset = image.srcset.map((v) => `${v.url} ${v.width}w`).join(', ');
      assert.deepEqual(image.srcset.map((v) => v.width), [480, 960, 1200]);
      assert.ok(
        page.includes(`<figure class="featured-image"><img src="${image.src}" srcset="${srcset}" sizes="(min-width: 44rem) 42rem, 100vw" alt="Ferry &quot;Aurora&quot; at dawn" width="1200" height="800"`),
        page,
      );
      assert.ok(page.indexOf('featured-image') < page.indexOf('class="story-body"'));
      const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}') as { image?: { url: string; width: number } };
      assert.deepEqual([jsonLd.image?.url, jsonLd.image?.width], [`${testPublicUrl}${image.src}`, 1200]);
      // A save without the field (an older client) keeps the image; choosing "None" removes it.
      const story = await t.deps.store.db.selectFrom('stories').select(['id', 'featured_media_id']).where('slug', '=', 'ferry-returns').executeTakeFirstOrThrow();
      assert.equal(story.featured_media_id, image.id);
      await saveStory(t.deps, actors.editor as Actor, { storyId: story.id, draft: parseStoryForm({ ...blank, headline: 'Ferry returns', slug: 'ferry-returns' }), action: { kind: 'save' } });
      assert.match((await t.app.inject({ url: '/stories/ferry-returns' })).body, /class="featured-image"/);
      await saveStory(t.deps, actors.editor as Actor, { storyId: story.id, draft: parseStoryForm({ ...blank, headline: 'Ferry returns', slug: 'ferry-returns', featuredMediaId: '' }), action: { kind: 'save' } });
      assert.doesNotMatch((await t.app.inject({ url: '/stories/ferry-returns' })).body, /class="featured-image"/);
    });

    it('answers 404 to anything but a well-formed variant path', async () => {
      const [variant] = filesUnder(mediaDir).filter((f) => f.endsWith('.webp'));
      assert.ok(variant);
      for (const url of [
        '/media/../../etc/passwd',
        '/media/..%2f..%2fetc%2fpasswd',
        '/media/%2e%2e/%2e%2e/etc/passwd',
        '/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
        `/media/${variant.replace(/^\d{4}/, '..')}`,
        `/media/${variant}/..`,
        `/media/${variant}%00`,
        `/media/${variant.replace('.webp', '.WEBP')}`,
        '/media/',
        '/media/2026/11/' + '0'.repeat(32) + '-480.webp',
      ]) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 404, url);
        assert.doesNotMatch(response.body, /root:/);
      }
      assert.equal((await t.app.inject({ url: `/media/${variant}` })).statusCode, 200);
    });
  });
}
