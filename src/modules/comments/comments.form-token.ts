import { createHmac } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { signToken, verifyToken } from '../../lib/signing.js';

/** The hidden form field carrying the signed timestamp, and the one carrying the honeypot. */
export const formTokenField = 'readout_form_token';
export const honeypotField = 'readout_hp';

const purpose = 'comment-form';
const secrets = new Map<string, string>();

/** A secret of its own for form tokens, derived from the site's salt (which never leaves the server). */
function formSecret(salt: string): string {
  let secret = secrets.get(salt);
  if (secret === undefined) {
    secret = createHmac('sha256', salt).update('readout comment form token').digest('base64url');
    secrets.set(salt, secret);
  }
  return secret;
}

/** A signed timestamp for a comment form rendered (or refreshed by the browser script) at `now`. */
export function issueFormToken(deps: Pick<Deps, 'ipSalt'>, now: Date): string {
  return signToken(formSecret(deps.ipSalt), purpose, { t: Math.floor(now.getTime() / 1000) });
}

/**
 * Seconds since the form's token was issued (0 for a token from a node whose clock runs a little
 * ahead), or null when the form carried none. A token that was altered or made up is refused.
 */
export function readFormAge(deps: Pick<Deps, 'ipSalt'>, token: string, now: Date): number | null {
  if (token === '') return null;
  const data = verifyToken<{ t?: unknown }>(formSecret(deps.ipSalt), purpose, token);
  if (!data || typeof data.t !== 'number' || !Number.isInteger(data.t)) {
    throw new DomainError(
      'COMMENT_FORM_INVALID',
      'This comment form could not be checked (it was changed or damaged), so your comment was not posted. Your text is kept below: please send it again.',
    );
  }
  return Math.max(0, Math.floor(now.getTime() / 1000) - data.t);
}
