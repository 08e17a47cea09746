import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseRateLimit, type RateLimitSetting } from './rate-limits.js';

/**
 * One typed, validated, frozen configuration object, read once from the environment.
 * Every setting is described in docs/configuration.md; keep the two in step.
 */
export interface Config {
  /** `sqlite` with a file path, or `postgres` with a connection string. */
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    /** namedStatements: the hot queries (db/prepared.ts) as named prepared statements on each connection. */
    | { readonly kind: 'postgres'; readonly url: string; readonly namedStatements: boolean };
  /** The site's public base URL without a trailing slash, e.g. `https://news.example.org`. */
  readonly publicUrl: string;
  /** The origin of publicUrl, used for cross-site request checks. */
  readonly publicOrigin: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Value for Fastify's trustProxy: false, or the list of proxy addresses/CIDRs to believe. */
  readonly trustProxy: false | string[];
  readonly timeZone: string;
  readonly locale: string;
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly bodyLimitBytes: number;
  };
  readonly pageCache: {
    readonly enabled: boolean;
    readonly maxEntries: number;
    /** The `Cache-Control` of public pages: browsers revalidate every time; shared caches (a CDN) keep a page `s-maxage` seconds. */
    readonly cacheControl: string;
    /**
     * A CDN's purge endpoint, called through the outbox with the surrogate keys a change made stale:
     * `{keys}` in the URL becomes them (space-separated, URL-encoded), `{key}` one request per key.
     */
    readonly purge: { readonly url: string; readonly method: string; readonly header: readonly [string, string] | undefined } | undefined;
  };
  readonly logLevel: string;
  /** HTTP worker processes sharing the port (node:cluster); 1 serves from this process. */
  readonly workers: number;
  /** Redis shared by every app node (rate limits today), when REDIS_URL is set; keys start with `keyPrefix`. */
  readonly redis: { readonly url: string | undefined; readonly keyPrefix: string };
  /** Comment posts allowed per client IP and per email address (null: no limit). */
  readonly rateLimits: { readonly commentIp: RateLimitSetting; readonly commentEmail: RateLimitSetting };
  /** Uploaded images: the folder holding originals and resized variants, and the largest upload accepted. */
  readonly media: { readonly dir: string; readonly maxBytes: number };
  /** Outgoing mail: SMTP when `smtpUrl` is set, else .eml files in `outboxDir`. */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string; readonly outboxDir: string };
  /** Commenter privacy: IP hashes (and report keys) are erased this many days after they were recorded. */
  readonly privacy: { readonly ipRetentionDays: number };
  /** URLs in one sitemap file (at most 50,000, the protocol's limit); lowered in tests. */
  readonly sitemaps: { readonly pageSize: number };
}

const wholeNumber = (fallback: number, min: 0 | 1) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: 'custom', message: `must be a ${min === 1 ? 'positive' : 'non-negative'} whole number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });
const positiveInt = (fallback: number) => wholeNumber(fallback, 1);

/** Comment posts: 5 a minute per client IP, 20 an hour per email address (docs/configuration.md). */
const defaultRateLimits = { commentIp: '5/1m', commentEmail: '20/1h' };

const rateLimit = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): RateLimitSetting => {
      const parsed = parseRateLimit(v, fallback);
      if (typeof parsed !== 'string') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    });

const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  PUBLIC_URL: z.string().optional(),
  PORT: positiveInt(3000),
  READOUT_HOST: z.string().default('127.0.0.1'),
  READOUT_DATA_DIR: z.string().default('data'),
  TRUST_PROXY: z.string().optional(),
  READOUT_TIMEZONE: z.string().default('UTC'),
  READOUT_LOCALE: z.string().default('en-US'),
  READOUT_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  READOUT_REQUEST_TIMEOUT_MS: positiveInt(15_000),
  READOUT_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  READOUT_BODY_LIMIT_BYTES: positiveInt(128 * 1024),
  READOUT_PAGE_CACHE: z.enum(['on', 'off']).default('on'),
  READOUT_PG_NAMED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  READOUT_PAGE_CACHE_ENTRIES: positiveInt(2_000),
  READOUT_WORKERS: z
    .string()
    .regex(/^(auto|[1-9][0-9]?)$/, 'expected "auto" or a number of processes from 1 to 99')
    .default('1'),
  READOUT_CACHE_SHARED_MAX_AGE: wholeNumber(60, 0),
  READOUT_CACHE_STALE_SECONDS: wholeNumber(30, 0),
  READOUT_PURGE_URL: z.string().optional(),
  READOUT_PURGE_METHOD: z.enum(['POST', 'PURGE', 'GET', 'PUT', 'DELETE', 'BAN']).default('POST'),
  READOUT_PURGE_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+:\s*\S.*$/, 'expected "Name: value"')
    .optional(),
  REDIS_URL: z.string().optional(),
  READOUT_REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'letters, digits and : . - _ only').default('readout:'),
  READOUT_COMMENT_RATE_IP: rateLimit(defaultRateLimits.commentIp),
  READOUT_COMMENT_RATE_EMAIL: rateLimit(defaultRateLimits.commentEmail),
  READOUT_MEDIA_DIR: z.string().optional(),
  READOUT_MEDIA_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  SMTP_URL: z.string().optional(),
  READOUT_MAIL_FROM: z.string().optional(),
  READOUT_IP_RETENTION_DAYS: positiveInt(30),
  READOUT_SITEMAP_PAGE_SIZE: positiveInt(50_000).pipe(z.number().max(50_000, 'a sitemap holds at most 50000 URLs')),
  READOUT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from an environment (process.env by default). Throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.READOUT_DATA_DIR);
  const publicUrl = parsePublicUrl(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  checkTimeZone(e.READOUT_TIMEZONE);
  checkLocale(e.READOUT_LOCALE);
  if (e.READOUT_HEADERS_TIMEOUT_MS > e.READOUT_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  READOUT_HEADERS_TIMEOUT_MS: must not be larger than READOUT_REQUEST_TIMEOUT_MS (the whole request includes its headers)',
    );
  }
  return deepFreeze({
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir, cwd, e.READOUT_PG_NAMED_STATEMENTS === 'on'),
    publicUrl: publicUrl.href.replace(/\/$/, ''),
    publicOrigin: publicUrl.origin,
    host: e.READOUT_HOST,
    port: e.PORT,
    dataDir,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    timeZone: e.READOUT_TIMEZONE,
    locale: e.READOUT_LOCALE,
    http: {
      headersTimeoutMs: e.READOUT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.READOUT_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.READOUT_KEEP_ALIVE_TIMEOUT_MS,
      bodyLimitBytes: e.READOUT_BODY_LIMIT_BYTES,
    },
    pageCache: {
      enabled: e.READOUT_PAGE_CACHE === 'on',
      maxEntries: e.READOUT_PAGE_CACHE_ENTRIES,
      cacheControl: `public, max-age=0, s-maxage=${e.READOUT_CACHE_SHARED_MAX_AGE}, stale-while-revalidate=${e.READOUT_CACHE_STALE_SECONDS}, stale-if-error=86400`,
      purge: parsePurge(e.READOUT_PURGE_URL, e.READOUT_PURGE_METHOD, e.READOUT_PURGE_HEADER),
    },
    logLevel: e.READOUT_LOG_LEVEL,
    workers: e.READOUT_WORKERS === 'auto' ? os.availableParallelism() : Number(e.READOUT_WORKERS),
    redis: { url: parseRedisUrl(e.REDIS_URL), keyPrefix: e.READOUT_REDIS_PREFIX },
    rateLimits: { commentIp: e.READOUT_COMMENT_RATE_IP, commentEmail: e.READOUT_COMMENT_RATE_EMAIL },
    media: {
      dir: e.READOUT_MEDIA_DIR ? path.resolve(cwd, e.READOUT_MEDIA_DIR) : path.join(dataDir, 'media'),
      maxBytes: e.READOUT_MEDIA_MAX_BYTES,
    },
    mail: {
      smtpUrl: parseSmtpUrl(e.SMTP_URL),
      from: e.READOUT_MAIL_FROM || `Readout <no-reply@${publicUrl.hostname}>`,
      outboxDir: path.join(dataDir, 'outbox'),
    },
    privacy: { ipRetentionDays: e.READOUT_IP_RETENTION_DAYS },
    sitemaps: { pageSize: e.READOUT_SITEMAP_PAGE_SIZE },
  });
}

function parseRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^rediss?:\/\/[^/]*/.test(value)) {
    throw new ConfigError('Invalid configuration:\n  REDIS_URL: expected redis://[:password@]host:6379[/db] or rediss://…');
  }
  return value;
}

function parseSmtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^smtps?:\/\/[^/]+/.test(value)) {
    throw new ConfigError('Invalid configuration:\n  SMTP_URL: expected smtp://user:password@host:587 or smtps://…');
  }
  return value;
}

function parseDatabaseUrl(value: string | undefined, dataDir: string, cwd: string, namedStatements: boolean): Config['database'] {
  if (value === undefined || value === '') return { kind: 'sqlite', file: path.join(dataDir, 'readout.db') };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value, namedStatements };
  const sqlite = /^(sqlite|file):(\/\/)?(.+)$/.exec(value);
  if (sqlite?.[3]) return { kind: 'sqlite', file: path.resolve(cwd, sqlite[3]) };
  throw new ConfigError(
    `Invalid configuration:\n  DATABASE_URL: expected postgres://… or sqlite:PATH, got "${value.replace(/:[^:@/]*@/, ':***@')}"`,
  );
}

function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`Invalid configuration:\n  PUBLIC_URL: not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Invalid configuration:\n  PUBLIC_URL: must start with http:// or https://`);
  }
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash) {
    throw new ConfigError(
      `Invalid configuration:\n  PUBLIC_URL: must be the site's origin without a path, e.g. https://news.example.org (serving under a sub-path is not supported yet)`,
    );
  }
  return url;
}

function parseTrustProxy(value: string | undefined): false | string[] {
  if (value === undefined || value.trim() === '' || value === 'false') return false;
  const proxies = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const bad = proxies.find((p) => !named.has(p) && isIP(p.split('/')[0] ?? '') === 0);
  if (bad !== undefined) {
    throw new ConfigError(
      `Invalid configuration:\n  TRUST_PROXY: "${bad}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal; name the proxies to believe, e.g. TRUST_PROXY=127.0.0.1`,
    );
  }
  return proxies;
}

function checkLocale(locale: string): void {
  try {
    new Intl.DateTimeFormat(locale);
  } catch {
    throw new ConfigError(`Invalid configuration:\n  READOUT_LOCALE: not a language tag, e.g. en-US: "${locale}"`);
  }
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigError(`Invalid configuration:\n  READOUT_TIMEZONE: unknown time zone "${timeZone}"`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function parsePurge(url: string | undefined, method: string, header: string | undefined): Config['pageCache']['purge'] {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll('{keys}', 'k').replaceAll('{key}', 'k'));
  } catch {
    throw new ConfigError(`Invalid configuration:\n  READOUT_PURGE_URL: expected an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('Invalid configuration:\n  READOUT_PURGE_URL: expected an http(s) URL');
  }
  const colon = header?.indexOf(':') ?? -1;
  return { url, method, header: header && colon > 0 ? [header.slice(0, colon).trim(), header.slice(colon + 1).trim()] : undefined };
}
