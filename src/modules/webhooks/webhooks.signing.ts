import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing secret: `whsec_` and 32 random bytes in base64url. The HMAC key is this whole string (UTF-8). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The X-Readout-Signature value: `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under the secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (see docs/webhooks.md): recompute and compare in constant time. */
export function verifyWebhookSignature(secret: string, o: { timestamp: string; body: string; signature: string }): boolean {
  const expected = Buffer.from(signWebhook(secret, o.timestamp, o.body));
  const given = Buffer.from(o.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
