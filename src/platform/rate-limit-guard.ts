import { RateLimitedError, type ErrorCode } from '../errors.js';
import type { RateLimit, RateLimiter } from './rate-limit.js';

export interface RateLimitCheck {
  /** What is being limited, e.g. `comment-ip`, `report-ip`, `privacy-email`. */
  bucket: string;
  /** Who: a keyed hash of the IP, an email key — never a raw address. */
  key: string;
  limit: RateLimit;
  now: Date;
  /** The error code thrown when over the limit (kind rate_limited); RATE_LIMITED by default. */
  code?: ErrorCode;
  /** The reader's message, given the seconds to wait. */
  message?: (retryAfterSeconds: number) => string;
}

/**
 * Counts one hit and throws a RateLimitedError (429 with `Retry-After`) when it goes over the
 * limit. For any module's own limits (comment posts, reports, privacy requests).
 */
export async function enforceRateLimit(deps: { rateLimiter: RateLimiter }, check: RateLimitCheck): Promise<void> {
  const result = await deps.rateLimiter.consume(check.bucket, check.key, check.limit, check.now);
  if (result.allowed) return;
  const seconds = result.retryAfterSeconds;
  const message = check.message?.(seconds) ?? `Too many requests. Please wait ${seconds} seconds and try again.`;
  throw new RateLimitedError(check.code ?? 'RATE_LIMITED', message, seconds);
}
