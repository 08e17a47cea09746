import type { ModerationRule } from './moderation.types.js';

/**
 * Holds a comment whose email address has no approved comment yet (WordPress's default), when
 * the site's `holdFirstTimeCommenters` rule is on. Once a moderator approves one comment of an
 * address, its later comments pass this rule.
 */
export const firstTimeCommenter: ModerationRule = (input) =>
  input.rules.holdFirstTimeCommenters && input.approvedBefore === 0
    ? [{ rule: 'first-time-commenter', verdict: 'hold', detail: 'This email address has no approved comment yet.' }]
    : [];
