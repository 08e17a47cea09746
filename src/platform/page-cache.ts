import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Bodies smaller than this are sent as they are: compressing them saves less than the headers cost. */
const compressFromBytes = 512;

export type ContentCoding = 'identity' | 'gzip' | 'br';

/** One stored form of a page: its bytes and every header that goes with them, built once. */
export interface Representation {
  readonly body: Buffer;
  readonly etag: string;
  /** Headers of a 200 answer (without the security headers, which the server adds). */
  readonly headers: OutgoingHttpHeaders;
  /** Headers of a 304 answer. */
  readonly notModifiedHeaders: OutgoingHttpHeaders;
  /**
   * The same with the policy's `serverHeaders`, as flat [name, value, …] lists ready for
   * `writeHead`: building a header object per request costs more than the rest of a cached answer.
   */
  readonly wire: { readonly ok: string[]; readonly notModified: string[] };
}

/**
 * In-process cache of rendered public pages. Entries carry the surrogate keys of what they
 * show (e.g. `story:12`, `front`), so a change purges exactly the pages that display it.
 * Each page is stored as sent: the plain bytes and their gzip and brotli forms, made once per
 * render in the background (PageCache.fill), each with its ETag and headers, so answering a
 * request never compresses. Only a miss's own answer is compressed on the spot, with the fastest
 * settings (PageCache.formFor), until the stored forms are ready.
 * Cached bodies never contain per-visitor data.
 */
export interface CachedPage {
  /** The plain bytes (identity coding). */
  readonly body: Buffer;
  /** The plain form's ETag (the compressed forms have their own). */
  readonly etag: string;
  readonly keys: readonly string[];
  readonly contentType: string;
  /** `Last-Modified`, to the second (epoch ms). */
  readonly lastModified: number;
  /** When the page goes stale by itself (epoch ms), e.g. a story whose comments close then; undefined: only a purge ends it. */
  readonly expiresAt?: number;
  readonly forms: { readonly [C in ContentCoding]?: Representation };
}

export interface PageHeadersPolicy {
  /** The `Cache-Control` value of every cached page. */
  readonly cacheControl: string;
  /** Headers every response carries (the security headers), for answers sent without the framework. */
  readonly serverHeaders?: Readonly<Record<string, string>>;
}

const flatten = (...sets: OutgoingHttpHeaders[]): string[] => sets.flatMap((set) => Object.entries(set).flatMap(([name, value]) => [name, String(value)]));

export interface PreparePageOptions {
  contentType?: string | undefined;
  expiresAt?: number | undefined;
  /** When what the page shows last changed (epoch ms); default: now. */
  lastModified?: number | undefined;
  now?: number;
}

/**
 * Builds a cache entry's plain form: the bytes, ETag and header lists. Compressed forms are added
 * by `withCompressedForms`, off the response path (PageCache.fill).
 */
export function storedPage(html: string, keys: readonly string[], policy: PageHeadersPolicy, options: PreparePageOptions = {}): CachedPage {
  const body = Buffer.from(html);
  const contentType = options.contentType ?? 'text/html; charset=utf-8';
  const lastModified = Math.floor((options.lastModified ?? options.now ?? Date.now()) / 1000) * 1000;
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const common: OutgoingHttpHeaders = {
    'cache-control': policy.cacheControl,
    'last-modified': new Date(lastModified).toUTCString(),
    'surrogate-key': keys.join(' '),
  };
  // Set on the plain form too: the same address answers with compressed forms once they are made.
  if (body.length >= compressFromBytes) common.vary = 'Accept-Encoding';
  const headers = { ...common, etag, 'content-type': contentType, 'content-length': body.length };
  const identity = representation(body, etag, headers, { ...common, etag }, policy);
  return { body, etag, keys, contentType, lastModified, forms: { identity }, ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}) };
}

/**
 * The page with its gzip and brotli forms added (compressed on libuv's thread pool, in parallel),
 * each with its own ETag. Brotli at quality 5 comes within 3% of quality 9's size on a story page
 * (8.8 KB against 8.6 KB of 129 KB) in a tenth of the time (about 1.2 ms against 10–14 ms), which
 * matters when a busy story is purged by every comment. Small bodies stay as they are.
 */
export async function withCompressedForms(page: CachedPage, policy: PageHeadersPolicy): Promise<CachedPage> {
  const identity = page.forms.identity;
  if (!identity || page.body.length < compressFromBytes) return page;
  const [gz, br] = await Promise.all([
    gzip(page.body, { level: 6 }),
    brotli(page.body, brotliOptions(5, page.body.length)),
  ]);
  return { ...page, forms: { ...page.forms, gzip: compressedForm(page, identity, 'gzip', gz, policy), br: compressedForm(page, identity, 'br', br, policy) } };
}

/**
 * The page with a `coding` form compressed at once with the fastest setting (brotli quality 1:
 * ~0.15 ms and 12 KB for a 129 KB story page, where sending it plain costs more on any network),
 * for a miss's own answer while the stored forms are made. Its ETag says "fast", so it is never
 * taken for the stored form's bytes. The page as it is when it has that form or is too small.
 */
export function withFastForm(page: CachedPage, coding: 'gzip' | 'br', policy: PageHeadersPolicy): CachedPage {
  const identity = page.forms.identity;
  if (!identity || page.forms[coding] || page.body.length < compressFromBytes) return page;
  const bytes = coding === 'br' ? zlib.brotliCompressSync(page.body, brotliOptions(1, page.body.length)) : zlib.gzipSync(page.body, { level: 1 });
  return { ...page, forms: { ...page.forms, [coding]: compressedForm(page, identity, coding, bytes, policy, '-fast') } };
}

/** Brotli for HTML at `quality`, told the input's size. */
function brotliOptions(quality: number, size: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

function compressedForm(page: CachedPage, identity: Representation, coding: 'gzip' | 'br', bytes: Buffer, policy: PageHeadersPolicy, tag = ''): Representation {
  const etag = `${page.etag.slice(0, -1)}-${coding}${tag}"`;
  const headers = { ...identity.headers, 'content-encoding': coding, etag, 'content-length': bytes.length };
  return representation(bytes, etag, headers, { ...identity.notModifiedHeaders, etag }, policy);
}

/** A cache entry with every form made at once (tests, benchmarks). */
export async function preparePage(html: string, keys: readonly string[], policy: PageHeadersPolicy, options: PreparePageOptions = {}): Promise<CachedPage> {
  return withCompressedForms(storedPage(html, keys, policy, options), policy);
}

function representation(body: Buffer, etag: string, headers: OutgoingHttpHeaders, notModifiedHeaders: OutgoingHttpHeaders, policy: PageHeadersPolicy): Representation {
  const server = policy.serverHeaders ?? {};
  return { body, etag, headers, notModifiedHeaders, wire: { ok: flatten(server, headers), notModified: flatten(server, notModifiedHeaders) } };
}

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly byKey = new Map<string, Set<string>>();
  /** Counts purges, so a page rendered before a purge is not stored after it. */
  private purges = 0;
  private readonly rendering = new Map<string, Promise<CachedPage>>();
  /** The entry moved to the end (most recent) last. */
  private lastUsed: string | undefined;
  private readonly compressing = new Set<Promise<void>>();

  constructor(
    private readonly enabled: boolean,
    private readonly maxEntries: number,
    readonly policy: PageHeadersPolicy = { cacheControl: 'public, max-age=0, must-revalidate' },
  ) {}

  get(path: string, nowMs = Date.now()): CachedPage | undefined {
    if (!this.enabled) return undefined;
    const page = this.entries.get(path);
    if (page?.expiresAt !== undefined && nowMs >= page.expiresAt) {
      this.remove(path);
      return undefined;
    }
    if (page && path !== this.lastUsed) {
      // Keep recently used entries at the end so eviction drops the least recently used (a page
      // asked for again and again is at the end already: no need to move it each time).
      this.entries.delete(path);
      this.entries.set(path, page);
      this.lastUsed = path;
    }
    return page;
  }

  /**
   * The page at `path`, rendered by `render` when it is not cached. Requests that miss while a
   * render of the same address is under way wait for that one (a purged popular page is rendered
   * once, not once per waiting reader). The plain form is stored and answered at once; the
   * compressed forms replace it when ready, so no request waits for compression.
   */
  fill(path: string, render: () => Promise<CachedPage>): Promise<CachedPage> {
    const pending = this.rendering.get(path);
    if (pending) return pending;
    const token = this.purges;
    const filled = render()
      .then((page) => {
        this.set(path, page, token);
        if (this.entries.get(path) === page) this.compressLater(path, page);
        return page;
      })
      .finally(() => this.rendering.delete(path));
    this.rendering.set(path, filled);
    return filled;
  }

  /**
   * `page` (as `get` or `fill` gave it for `path`) with a form for `coding`: a page whose stored
   * forms are not made yet gets a fast one (withFastForm), kept for the address's next readers
   * until the stored forms replace it.
   */
  formFor(path: string, page: CachedPage, coding: ContentCoding): CachedPage {
    if (coding === 'identity' || page.forms[coding]) return page;
    const fast = withFastForm(page, coding, this.policy);
    if (fast !== page && this.entries.get(path) === page) this.entries.set(path, fast);
    return fast;
  }

  /** Resolves once every compression under way has finished (tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.compressing.size > 0) await Promise.all([...this.compressing]);
  }

  /**
   * Adds the compressed forms once the answer is on its way: started in the next turn of the event
   * loop, after the reply's write (setting up the two compressors costs the main thread some time).
   */
  private compressLater(path: string, page: CachedPage): void {
    // The entry is still this render (perhaps with fast forms added since: formFor) unless a purge or a newer render came.
    const current = () => {
      const entry = this.entries.get(path);
      return entry?.body === page.body ? entry : undefined;
    };
    const work: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (current() ? withCompressedForms(page, this.policy) : page))
      .then((full) => {
        const entry = current();
        if (full !== page && entry) this.entries.set(path, { ...entry, forms: { ...entry.forms, ...full.forms } });
      })
      .catch(() => undefined)
      .finally(() => this.compressing.delete(work));
    this.compressing.add(work);
  }

  /** Take a token before reading the data a page shows; `set` stores the page only if nothing was purged since. */
  token(): number {
    return this.purges;
  }

  /** Stores a prepared page when caching is on and no purge raced its render; returns it either way. */
  set(path: string, page: CachedPage, token: number): CachedPage {
    if (!this.enabled || token !== this.purges) return page;
    this.remove(path);
    this.entries.set(path, page);
    this.lastUsed = path;
    for (const key of page.keys) {
      let paths = this.byKey.get(key);
      if (!paths) this.byKey.set(key, (paths = new Set()));
      paths.add(path);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    return page;
  }

  /** Drops every page that shows any of the given keys. */
  purge(keys: readonly string[]): void {
    if (keys.length > 0) this.purges++;
    for (const key of keys) {
      const paths = this.byKey.get(key);
      if (!paths) continue;
      for (const path of [...paths]) this.remove(path);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(path: string): void {
    const page = this.entries.get(path);
    if (!page) return;
    this.entries.delete(path);
    for (const key of page.keys) {
      const paths = this.byKey.get(key);
      paths?.delete(path);
      if (paths?.size === 0) this.byKey.delete(key);
    }
  }
}
