import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The browser that posted a comment is known by a random key in an HttpOnly cookie; the comment
 * keeps only the key's SHA-256 (`owner_key_hash`). That browser alone may see its held comment,
 * and edit or delete its comment within the edit window. Nothing per visitor is ever put into a
 * cached page: the held view is a separate, uncached address, and the page script asks
 * /comments/mine (uncached) for the rest.
 */
export function newOwnerKey(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (hex) of an owner key; undefined for a missing or malformed key. */
export function ownerKeyHash(key: string | undefined): string | undefined {
  if (!key || !/^[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
  return createHash('sha256').update(key).digest('hex');
}

/** True when the comment was posted from the browser holding `hash`'s key. */
export function isOwnedBy(comment: { owner_key_hash: string | null }, hash: string | undefined): boolean {
  if (!hash || !comment.owner_key_hash || comment.owner_key_hash.length !== hash.length) return false;
  return timingSafeEqual(Buffer.from(comment.owner_key_hash), Buffer.from(hash));
}

/**
 * The `moderation-hash` of WordPress's held-comment address (`?unapproved=ID&moderation-hash=…`):
 * an HMAC of the comment id with the site secret, so the address cannot be guessed for another comment.
 */
export function moderationHash(secret: string, commentId: number): string {
  return createHmac('sha256', `${secret}:comment-moderation-hash`).update(String(commentId)).digest('base64url').slice(0, 32);
}

export function verifyModerationHash(secret: string, commentId: number, given: string): boolean {
  const expected = Buffer.from(moderationHash(secret, commentId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True while the author may still edit or delete the comment. */
export function withinEditWindow(comment: { created_at: string }, editWindowMinutes: number, now: Date): boolean {
  return now.getTime() - Date.parse(comment.created_at) <= editWindowMinutes * 60_000;
}

/** When the edit window of a comment closes. */
export function editWindowEnds(comment: { created_at: string }, editWindowMinutes: number): Date {
  return new Date(Date.parse(comment.created_at) + editWindowMinutes * 60_000);
}
