import { createHmac } from 'node:crypto';

/**
 * Keyed hash of an email address (trimmed, lower-cased) with the site's secret salt. It links a
 * commenter's comments (history, duplicate checks, rate limits, subscriptions) and seeds the
 * locally drawn avatar, without putting the address, or an unsalted hash of it, anywhere public.
 */
export function emailKey(salt: string, email: string): string {
  return createHmac('sha256', `${salt}:email`).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
}
