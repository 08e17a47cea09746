import { readCookie, serializeCookie } from '../../http/cookies.js';

/** The "Save my name, email, and website in this browser" cookie: read by the page script, never cached in HTML. */
export const rememberCookieName = 'readout_commenter';

export interface RememberedCommenter {
  author: string;
  email: string;
  url: string;
}

const oneYear = 365 * 24 * 60 * 60;

/** The Set-Cookie value that stores (or, with `undefined`, forgets) the commenter's details. */
export function rememberCookie(who: RememberedCommenter | undefined, secure: boolean): string {
  const value = who ? JSON.stringify({ author: who.author, email: who.email, url: who.url }) : undefined;
  return serializeCookie(rememberCookieName, value, { maxAgeSeconds: oneYear, secure });
}

/** Reads the cookie from a Cookie header; undefined when absent or malformed. */
export function readRememberCookie(cookieHeader: string | undefined): RememberedCommenter | undefined {
  const raw = readCookie(cookieHeader, rememberCookieName);
  if (raw === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(raw);
    if (!data || typeof data !== 'object') return undefined;
    const d = data as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 2_000) : '');
    return { author: text(d.author), email: text(d.email), url: text(d.url) };
  } catch {
    return undefined;
  }
}
