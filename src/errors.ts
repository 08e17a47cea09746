/**
 * Domain errors. Every error has a stable code that is never reused and a public message
 * safe to show a reader. Domain code never names an HTTP status: the error plugin maps
 * the `kind` of each code to one.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unavailable'
  | 'unauthenticated'
  | 'rate_limited'
  | 'too_large'
  | 'unsupported_type';

/** The registry of error codes. Add new codes at the end; never rename or reuse one. */
export const errorCodes = {
  VALIDATION_FAILED: 'invalid',
  STORY_NOT_FOUND: 'not_found',
  COMMENT_STORY_NOT_FOUND: 'not_found',
  COMMENT_PARENT_NOT_FOUND: 'invalid',
  COMMENT_STORY_CLOSED: 'forbidden',
  IMPORT_INVALID: 'invalid',
  IMPORT_RELATED_NOT_FOUND: 'invalid',
  REQUEST_CROSS_SITE: 'forbidden',
  AUTH_INVALID_CREDENTIALS: 'unauthenticated',
  AUTH_THROTTLED: 'rate_limited',
  AUTH_REQUIRED: 'unauthenticated',
  AUTH_NOT_PERMITTED: 'forbidden',
  AUTH_CSRF_INVALID: 'forbidden',
  PERSON_EMAIL_TAKEN: 'conflict',
  PERSON_NOT_FOUND: 'not_found',
  PERSON_LAST_ADMIN: 'conflict',
  CORRECTION_STORY_NOT_PUBLISHED: 'conflict',
  CORRECTION_NOT_FOUND: 'not_found',
  CORRECTION_ALREADY_REMOVED: 'conflict',
  SECTION_NOT_FOUND: 'not_found',
  TAG_NOT_FOUND: 'not_found',
  AUTHOR_NOT_FOUND: 'not_found',
  API_TOKEN_INVALID: 'unauthenticated',
  API_TOKEN_NOT_FOUND: 'not_found',
  API_SESSION_COOKIE_REFUSED: 'unauthenticated',
  MEDIA_TOO_LARGE: 'too_large',
  MEDIA_UNSUPPORTED_TYPE: 'unsupported_type',
  MEDIA_NOT_FOUND: 'not_found',
  COMMENT_NOT_FOUND: 'not_found',
  COMMENT_DELETED_BY_AUTHOR: 'conflict',
  COMMENT_NOT_YOURS: 'forbidden',
  COMMENT_EDIT_WINDOW_CLOSED: 'forbidden',
  COMMENT_REPORT_THROTTLED: 'rate_limited',
  COMMENT_FORM_INVALID: 'invalid',
  COMMENT_FORM_EXPIRED: 'invalid',
  COMMENT_DUPLICATE: 'conflict',
  COMMENT_RATE_LIMITED: 'rate_limited',
  RATE_LIMITED: 'rate_limited',
  WEBHOOK_NOT_FOUND: 'not_found',
  PRIVACY_LINK_INVALID: 'invalid',
  PRIVACY_LINK_EXPIRED: 'invalid',
  COMMENTER_NOT_FOUND: 'not_found',
  NOTIFICATION_LINK_INVALID: 'invalid',
  SEARCH_QUERY_INVALID: 'invalid',
  SITEMAP_NOT_FOUND: 'not_found',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof errorCodes;

export class DomainError extends Error {
  override name = 'DomainError';
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.kind = errorCodes[code];
  }
}

/** Field name → message, in the order the fields appear on the form. */
export type FieldErrors = Record<string, string>;

/** Input that failed validation; carries one message per offending field. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';

  constructor(
    readonly fieldErrors: FieldErrors,
    code: ErrorCode = 'VALIDATION_FAILED',
    message = 'Please correct the highlighted fields.',
  ) {
    super(code, message);
  }
}

/** Too many requests from one client or address: `retryAfterSeconds` becomes the `Retry-After` header. */
export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';

  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
