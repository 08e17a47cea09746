import { readCookie, serializeCookie } from '../../http/cookies.js';
import { newOwnerKey, ownerKeyHash } from '../comments/index.js';

/** The browser's random owner key (HttpOnly: scripts never see it); comments keep only its SHA-256. */
export const ownerCookieName = 'readout_owner';
/** A marker the page script reads to know it should ask /comments/mine; it holds nothing secret. */
export const commentedCookieName = 'readout_commented';

const oneYear = 365 * 24 * 60 * 60;

/** The hash of the asking browser's owner key; undefined when it has none (or a malformed one). */
export function readOwnerHash(cookieHeader: string | undefined): string | undefined {
  return ownerKeyHash(readCookie(cookieHeader, ownerCookieName));
}

/**
 * For a comment post: the browser's owner key hash (a new key when it has none) and the
 * Set-Cookie values to send (the key when new, and the "has commented" marker for the script).
 */
export function ownerForPost(cookieHeader: string | undefined, secure: boolean): { hash: string; setCookies: string[] } {
  const existing = readOwnerHash(cookieHeader);
  const marker = serializeCookie(commentedCookieName, '1', { maxAgeSeconds: oneYear, secure });
  if (existing) return { hash: existing, setCookies: [marker] };
  const key = newOwnerKey();
  return {
    hash: ownerKeyHash(key) as string,
    setCookies: [serializeCookie(ownerCookieName, key, { maxAgeSeconds: oneYear, httpOnly: true, secure }), marker],
  };
}
