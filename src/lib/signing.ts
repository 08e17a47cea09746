import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, tamper-proof tokens for links and forms (unsubscribe and confirmation links, form
 * timestamps, privacy requests). `purpose` separates the uses, so a token made for one can never
 * be replayed as another. The data is readable (base64url JSON), so it must hold ids, never secrets.
 */
export function signToken(secret: string, purpose: string, data: unknown): string {
  const body = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The data of a token made by signToken for the same purpose, or undefined when it was altered. */
export function verifyToken<T = unknown>(secret: string, purpose: string, token: string): T | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 4_096) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, purpose, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function mac(secret: string, purpose: string, body: string): string {
  return createHmac('sha256', `${secret}:${purpose}`).update(body).digest('base64url');
}
