import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Clock } from '../deps.js';
import type { CachedPage, ContentCoding, Representation } from '../platform/page-cache.js';

/** What a request for a cached page gets: the status, the form of the page and its headers. */
export interface CachedAnswer {
  readonly status: 200 | 304;
  readonly form: Representation;
  readonly headers: OutgoingHttpHeaders;
}

/**
 * Answers a request for a cached page: the best stored form for its `Accept-Encoding` (brotli,
 * then gzip, then plain), and `304` when `If-None-Match` names its ETag (any form's: a CDN may
 * hold another) or, without `If-None-Match`, when `If-Modified-Since` is not before `Last-Modified`.
 */
export function answerFromCache(page: CachedPage, request: IncomingHttpHeaders): CachedAnswer {
  const coding = preferredCoding(request['accept-encoding']);
  const form = page.forms[coding] ?? (page.forms.identity as Representation);
  const notModified = request['if-none-match'] !== undefined ? etagMatches(page, request['if-none-match']) : modifiedSince(page, request['if-modified-since']);
  return notModified ? { status: 304, form, headers: form.notModifiedHeaders } : { status: 200, form, headers: form.headers };
}

/**
 * Serves GET and HEAD requests whose address is a page-cache entry straight from the HTTP server,
 * before the framework parses or routes them: a cached page is bytes and headers made at render
 * time, so this is the speed of a static file server. Anything else (a miss, other methods,
 * another spelling of the address) goes on to the app, which renders and stores the page.
 */
export function pageCacheFastPath(deps: { pageCache: { get(path: string, nowMs?: number): CachedPage | undefined }; clock: Clock }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.url === undefined) return false;
    const page = deps.pageCache.get(req.url, deps.clock.now().getTime());
    if (!page) return false;
    const answer = answerFromCache(page, req.headers);
    // The stored pages' header lists include the security headers (PageHeadersPolicy.serverHeaders).
    res.writeHead(answer.status, answer.status === 200 ? answer.form.wire.ok : answer.form.wire.notModified);
    res.end(answer.status === 200 && req.method === 'GET' ? answer.form.body : undefined);
    return true;
  };
}

const codings = new Map<string, ContentCoding>();

/** The coding to send for an `Accept-Encoding` header (remembered per distinct header value). */
export function preferredCoding(header: string | undefined): ContentCoding {
  if (!header) return 'identity';
  let coding = codings.get(header);
  if (coding === undefined) {
    coding = parseAcceptEncoding(header);
    if (codings.size < 200) codings.set(header, coding);
  }
  return coding;
}

function parseAcceptEncoding(header: string): ContentCoding {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gz = Math.max(weight('gzip'), weight('x-gzip'));
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

function etagMatches(page: CachedPage, header: string): boolean {
  if (header.trim() === '*') return true;
  const tags = new Set(Object.values(page.forms).map((f) => f.etag));
  return header.split(',').some((tag) => tags.has(tag.trim().replace(/^W\//, '')));
}

function modifiedSince(page: CachedPage, header: string | undefined): boolean {
  if (!header) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && page.lastModified <= since;
}
