import type { ModerationReason } from '../../../db/schema.js';
import type { CommentRules } from '../comment-settings.js';
import type { ModerationDecision, ModerationRule, RuleInput } from './moderation.types.js';

/** The rules, in the order their reasons are listed to moderators. */
const rules: readonly ModerationRule[] = [];

/**
 * Runs every rule and combines their findings: any `spam` verdict, or a spam score at the spam
 * threshold, sends the comment to spam; any `hold`, or a score at the hold threshold, holds it;
 * otherwise it is approved. The reasons are kept with the comment either way.
 */
export function moderateComment(input: RuleInput): ModerationDecision {
  const reasons: ModerationReason[] = rules.flatMap((rule) => rule(input));
  return decide(reasons, input.rules);
}

export function decide(reasons: ModerationReason[], rules: Pick<CommentRules, 'holdScore' | 'spamScore'>): ModerationDecision {
  const spamScore = reasons.reduce((sum, r) => sum + (r.score ?? 0), 0);
  const status =
    reasons.some((r) => r.verdict === 'spam') || spamScore >= rules.spamScore
      ? 'spam'
      : reasons.some((r) => r.verdict === 'hold') || spamScore >= rules.holdScore
        ? 'pending'
        : 'approved';
  return { status, spamScore, reasons };
}

export type { ModerationDecision, ModerationRule, RuleInput } from './moderation.types.js';
