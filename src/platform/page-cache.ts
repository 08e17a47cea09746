import { createHash } from 'node:crypto';

/**
 * In-process cache of rendered public pages. Entries carry the surrogate keys of what they
 * show (e.g. `story:12`, `front`), so a change purges exactly the pages that display it.
 * Cached bodies never contain per-visitor data.
 */
export interface CachedPage {
  readonly body: Buffer;
  readonly etag: string;
  readonly keys: readonly string[];
  readonly contentType: string;
  /** When the page goes stale by itself (epoch ms), e.g. a story whose comments close then; undefined: only a purge ends it. */
  readonly expiresAt?: number;
}

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly byKey = new Map<string, Set<string>>();
  /** Counts purges, so a page rendered before a purge is not stored after it. */
  private purges = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly maxEntries: number,
  ) {}

  get(path: string, nowMs = Date.now()): CachedPage | undefined {
    if (!this.enabled) return undefined;
    const page = this.entries.get(path);
    if (page?.expiresAt !== undefined && nowMs >= page.expiresAt) {
      this.remove(path);
      return undefined;
    }
    if (page) {
      // Keep recently used entries at the end so eviction drops the least recently used.
      this.entries.delete(path);
      this.entries.set(path, page);
    }
    return page;
  }

  /** Take a token before reading the data a page shows; `set` stores the page only if nothing was purged since. */
  token(): number {
    return this.purges;
  }

  /** Builds the cache entry (body bytes and ETag) and stores it when caching is on and no purge raced the render. */
  set(
    path: string,
    html: string,
    keys: readonly string[],
    token: number,
    options: { contentType?: string; expiresAt?: number | undefined } = {},
  ): CachedPage {
    const body = Buffer.from(html);
    const contentType = options.contentType ?? 'text/html; charset=utf-8';
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const page: CachedPage = { body, etag, keys, contentType, ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}) };
    if (!this.enabled || token !== this.purges) return page;
    this.remove(path);
    this.entries.set(path, page);
    for (const key of keys) {
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
