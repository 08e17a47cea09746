import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Deps, RequestContext } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { emailKey } from '../../lib/email-key.js';
import { hashIp } from '../../lib/ip-hash.js';
import { enforceRateLimit } from '../../platform/rate-limit-guard.js';
import type { CommentRules } from './comment-settings.js';
import * as repo from './comments.repo.js';

/** How far back a comment counts as the same one said again. */
export const duplicateWindowMs = 24 * 3_600_000;

/** Refuses a form older than `formMaxAgeHours` (the reader gets a fresh form with their text kept). */
export function assertFormNotExpired(formAgeSeconds: number | null, rules: Pick<CommentRules, 'formMaxAgeHours'>): void {
  if (formAgeSeconds === null || formAgeSeconds <= rules.formMaxAgeHours * 3600) return;
  throw new DomainError(
    'COMMENT_FORM_EXPIRED',
    'This comment form was opened too long ago, so your comment was not posted. Your text is kept below: please send it again.',
  );
}

/** Text compared for duplicates: whitespace runs as one space, ends trimmed. */
export function normaliseForDuplicates(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** What is stored with each comment (`body_fingerprint`) and looked up by the duplicate check. */
export function bodyFingerprint(text: string): string {
  return createHash('sha256').update(normaliseForDuplicates(text)).digest('base64url').slice(0, 22);
}

/**
 * Refuses a comment when the same address already posted the same text (whitespace aside) on the
 * same story in the last 24 hours, whatever became of it — WordPress's duplicate check, word for word.
 */
export async function assertNotDuplicate(
  db: Kysely<Database>,
  c: { storyId: number; emailKey: string; fingerprint: string; now: Date },
): Promise<void> {
  const since = duplicateSince(c.now);
  refuseDuplicate(await repo.hasRecentComment(db, { storyId: c.storyId, emailKey: c.emailKey, fingerprint: c.fingerprint, since }));
}

/** The earliest creation time of a comment that a comment posted at `now` would duplicate. */
export function duplicateSince(now: Date): string {
  return new Date(now.getTime() - duplicateWindowMs).toISOString();
}

/** Refuses the comment when the duplicate check (assertNotDuplicate, or a lookup that made it) found one. */
export function refuseDuplicate(duplicate: boolean): void {
  if (duplicate) throw new DomainError('COMMENT_DUPLICATE', 'Duplicate comment detected; it looks as though you’ve already said that!');
}

/**
 * The comment post limits (READOUT_COMMENT_RATE_IP, READOUT_COMMENT_RATE_EMAIL): per client IP
 * (as resolved under TRUST_PROXY, counted under its keyed hash) and per email address (its key).
 */
export async function enforceCommentRateLimits(
  deps: Pick<Deps, 'config' | 'ipSalt' | 'rateLimiter'>,
  ctx: Pick<RequestContext, 'ip' | 'now'>,
  email: string,
): Promise<void> {
  const { commentIp, commentEmail } = deps.config.rateLimits;
  const message = (seconds: number) =>
    `You are posting comments faster than this site allows. Please wait ${seconds === 1 ? 'a second' : `${seconds} seconds`} and send your comment again; your text is kept.`;
  if (commentIp) {
    await enforceRateLimit(deps, { bucket: 'comment-ip', key: hashIp(deps.ipSalt, ctx.ip), limit: commentIp, now: ctx.now, code: 'COMMENT_RATE_LIMITED', message });
  }
  if (commentEmail) {
    const key = emailKey(deps.ipSalt, email);
    await enforceRateLimit(deps, { bucket: 'comment-email', key, limit: commentEmail, now: ctx.now, code: 'COMMENT_RATE_LIMITED', message });
  }
}
