import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { answerFromCache, preferredCoding } from '../http/cached-response.js';
import { PageCache, preparePage, storedPage, type PreparePageOptions } from './page-cache.js';

const policy = { cacheControl: 'public, max-age=0, s-maxage=60, stale-while-revalidate=30' };
const page = (html: string, keys: string[], options?: PreparePageOptions) => preparePage(html, keys, policy, options);

describe('page cache', () => {
  it('stores pages with an ETag and purges exactly the pages showing a key', async () => {
    const cache = new PageCache(true, 10);
    cache.set('/stories/a', await page('A', ['story:1']), cache.token());
    cache.set('/stories/b', await page('B', ['story:2', 'story:1']), cache.token());
    cache.set('/', await page('front', ['front']), cache.token());
    assert.match(cache.get('/stories/a')?.etag ?? '', /^".+"$/);
    cache.purge(['story:1']);
    assert.equal(cache.get('/stories/a'), undefined);
    assert.equal(cache.get('/stories/b'), undefined);
    assert.equal(cache.get('/')?.body.toString(), 'front');
  });

  it('does not store a page rendered before a purge that happened during the render', async () => {
    const cache = new PageCache(true, 10);
    const token = cache.token();
    cache.purge(['story:1']);
    cache.set('/stories/a', await page('stale', ['story:1']), token);
    assert.equal(cache.get('/stories/a'), undefined);
  });

  it('evicts the least recently used page beyond its size', async () => {
    const cache = new PageCache(true, 2);
    cache.set('/a', await page('a', ['k']), cache.token());
    cache.set('/b', await page('b', ['k']), cache.token());
    cache.get('/a');
    cache.set('/c', await page('c', ['k']), cache.token());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('/b'), undefined);
    assert.ok(cache.get('/a'));
  });

  it('stores nothing when turned off', async () => {
    const cache = new PageCache(false, 10);
    const stored = cache.set('/a', await page('a', ['k']), cache.token());
    assert.equal(stored.body.toString(), 'a');
    assert.equal(cache.get('/a'), undefined);
  });

  it('drops an entry that goes stale by itself once its time has come', async () => {
    const cache = new PageCache(true, 10);
    cache.set('/stories/a', await page('A', ['story:1'], { expiresAt: 1_000 }), cache.token());
    assert.ok(cache.get('/stories/a', 999));
    assert.equal(cache.get('/stories/a', 1_000), undefined);
    assert.equal(cache.size, 0);
  });
});

describe('stored forms of a page', () => {
  const html = `<!DOCTYPE html><p>${'A readout posted on Telegram, reported by TASS. '.repeat(200)}</p>`;

  it('keeps the gzip and brotli forms made at render time, each with its own ETag and headers', async () => {
    const stored = await page(html, ['story:1', 'front'], { lastModified: Date.parse('2026-11-27T09:00:00.500Z') });
    assert.equal(zlib.gunzipSync(stored.forms.gzip!.body).toString(), html);
    assert.equal(zlib.brotliDecompressSync(stored.forms.br!.body).toString(), html);
    assert.ok(stored.forms.br!.body.length < stored.body.length / 10, 'repetitive text compresses well');
    const etags = new Set(Object.values(stored.forms).map((f) => f.etag));
    assert.equal(etags.size, 3);
    const br = stored.forms.br!.headers;
    assert.equal(br['content-encoding'], 'br');
    assert.equal(br['content-length'], stored.forms.br!.body.length);
    assert.equal(br.vary, 'Accept-Encoding');
    assert.equal(br['surrogate-key'], 'story:1 front');
    assert.equal(br['cache-control'], policy.cacheControl);
    assert.equal(br['last-modified'], 'Fri, 27 Nov 2026 09:00:00 GMT');
    assert.equal(stored.forms.identity!.headers['content-encoding'], undefined);
  });

  it('compresses a miss quickly for its own answer, then keeps the stored forms made in the background', async () => {
    const cache = new PageCache(true, 10, policy);
    const html = '<p>According to a readout posted on Telegram, reported by TASS.</p>'.repeat(200);
    const filled = await cache.fill('/stories/a', async () => storedPage(html, ['story:1'], policy));
    assert.equal(filled.forms.br, undefined);
    const fast = cache.formFor('/stories/a', filled, 'br');
    assert.match(fast.forms.br?.etag ?? '', /-br-fast"$/);
    assert.equal(zlib.brotliDecompressSync(fast.forms.br?.body ?? Buffer.alloc(0)).toString(), html);
    // The next reader of the address before the stored forms are ready gets the same fast form.
    assert.equal(cache.get('/stories/a')?.forms.br, fast.forms.br);
    assert.equal(cache.formFor('/stories/a', fast, 'br'), fast);
    await cache.settled();
    const stored = cache.get('/stories/a');
    assert.equal(stored?.etag, filled.etag);
    assert.match(stored?.forms.br?.etag ?? '', /-br"$/);
    assert.match(stored?.forms.gzip?.etag ?? '', /-gzip"$/);
    assert.equal(zlib.gunzipSync(stored?.forms.gzip?.body ?? Buffer.alloc(0)).toString(), html);
    // A page purged while it was compressed stays purged.
    const again = await cache.fill('/stories/b', async () => storedPage(html, ['story:2'], policy));
    cache.formFor('/stories/b', again, 'gzip');
    cache.purge(['story:2']);
    await cache.settled();
    assert.equal(cache.get('/stories/b'), undefined);
  });

  it('sends a small body as it is', async () => {
    const stored = await page('User-agent: *\n', ['front'], { contentType: 'text/plain; charset=utf-8' });
    assert.deepEqual(Object.keys(stored.forms), ['identity']);
    assert.equal(stored.forms.identity!.headers.vary, undefined);
    assert.equal(answerFromCache(stored, { 'accept-encoding': 'gzip, br' }).form, stored.forms.identity);
  });

  it('answers with the form the client accepts, brotli first', () => {
    assert.equal(preferredCoding('gzip, deflate, br'), 'br');
    assert.equal(preferredCoding('gzip'), 'gzip');
    assert.equal(preferredCoding('br;q=0, gzip'), 'gzip');
    assert.equal(preferredCoding('gzip;q=1, br;q=0.5'), 'gzip');
    assert.equal(preferredCoding('*'), 'br');
    assert.equal(preferredCoding('identity'), 'identity');
    assert.equal(preferredCoding(undefined), 'identity');
  });

  it('answers 304 for any of its ETags, or for If-Modified-Since when no ETag is asked about', async () => {
    const stored = await page(html, ['story:1'], { lastModified: Date.parse('2026-11-27T09:00:00Z') });
    const br = stored.forms.br!.etag;
    assert.equal(answerFromCache(stored, { 'if-none-match': br }).status, 304);
    assert.equal(answerFromCache(stored, { 'if-none-match': `W/${stored.etag}` }).status, 304);
    assert.equal(answerFromCache(stored, { 'if-none-match': '"other", ' + br }).status, 304);
    assert.equal(answerFromCache(stored, { 'if-none-match': '"other"' }).status, 200);
    assert.equal(answerFromCache(stored, { 'if-modified-since': 'Fri, 27 Nov 2026 09:00:00 GMT' }).status, 304);
    assert.equal(answerFromCache(stored, { 'if-modified-since': 'Fri, 27 Nov 2026 08:59:59 GMT' }).status, 200);
    assert.equal(answerFromCache(stored, { 'if-modified-since': 'not a date' }).status, 200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    assert.equal(answerFromCache(stored, { 'if-none-match': '"other"', 'if-modified-since': 'Fri, 27 Nov 2026 09:00:00 GMT' }).status, 200);
    const notModified = answerFromCache(stored, { 'if-none-match': br, 'accept-encoding': 'br' });
    assert.equal(notModified.headers['content-length'], undefined);
    assert.equal(notModified.headers.etag, br);
  });
});
