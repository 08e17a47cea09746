import type { ModerationReason } from '../../../db/schema.js';
import type { CommentRules } from '../comment-settings.js';
import { blockedPhrase } from './blocked-phrase.js';
import { firstTimeCommenter } from './first-time-commenter.js';
import { formAge } from './form-age.js';
import { honeypot } from './honeypot.js';
import { linkDensity } from './link-density.js';
import type { ModerationDecision, ModerationRule, RuleInput } from './moderation.types.js';
import { premoderatedStory } from './premoderated-story.js';
import { repeatedCharacters } from './repeated-characters.js';
import { shouting } from './shouting.js';
import { spamDomain } from './spam-domain.js';
import { spamEmail } from './spam-email.js';
import { spamIpRange } from './spam-ip-range.js';
import { knownSpamPatterns } from './spam-patterns.js';
import { tooManyLinks } from './too-many-links.js';

/**
 * The rules, in the order their reasons are listed to moderators: the spam lists first, then
 * the rules that hold a comment, then the content score (docs/comments.md, "Moderation rules").
 */
const rules: readonly ModerationRule[] = [
  honeypot,
  spamEmail,
  spamDomain,
  spamIpRange,
  premoderatedStory,
  firstTimeCommenter,
  formAge,
  tooManyLinks,
  blockedPhrase,
  knownSpamPatterns,
  shouting,
  repeatedCharacters,
  linkDensity,
];

/**
 * Runs every rule and combines their findings: any `spam` verdict, or a spam score at the spam
 * threshold, sends the comment to spam; any `hold`, or a score at the hold threshold, holds it;
 * otherwise it is approved. The reasons are kept with the comment either way.
 */
export function moderateComment(input: RuleInput): ModerationDecision {
  const reasons: ModerationReason[] = rules.flatMap((rule) => rule(input));
  return decide(reasons, input.rules);
}

/**
 * Combines the reasons into a decision. When the spam score alone decides (no rule asked for
 * spam, or for spam or hold respectively), a `spam-score` reason saying so is added, so a
 * moderator always sees why a comment is where it is.
 */
export function decide(reasons: ModerationReason[], rules: Pick<CommentRules, 'holdScore' | 'spamScore'>): ModerationDecision {
  const spamScore = reasons.reduce((sum, r) => sum + (r.score ?? 0), 0);
  const spamVerdict = reasons.some((r) => r.verdict === 'spam');
  const holdVerdict = reasons.some((r) => r.verdict === 'hold');
  const all = [...reasons];
  if (!spamVerdict && spamScore >= rules.spamScore) {
    all.push({ rule: 'spam-score', verdict: 'spam', detail: `Spam score ${spamScore} reaches the spam threshold (${rules.spamScore}).` });
  } else if (!spamVerdict && !holdVerdict && spamScore >= rules.holdScore) {
    all.push({ rule: 'spam-score', verdict: 'hold', detail: `Spam score ${spamScore} reaches the hold threshold (${rules.holdScore}).` });
  }
  const status = all.some((r) => r.verdict === 'spam') ? 'spam' : all.some((r) => r.verdict === 'hold') ? 'pending' : 'approved';
  return { status, spamScore, reasons: all };
}

export { parseIpRange } from './spam-ip-range.js';
export { normaliseDomain } from './spam-domain.js';
export type { ModerationDecision, ModerationRule, RuleInput } from './moderation.types.js';
