import { defaultCommentSettings, type CommentRules } from '../../src/modules/comments/comment-settings.js';
import type { RuleInput } from '../../src/modules/comments/moderation/index.js';

/**
 * A rule input for unit tests: an ordinary comment by a returning commenter that every rule
 * lets through with the default settings; `changes.rules` is merged into the default rules.
 */
export function ruleInput(changes: Partial<Omit<RuleInput, 'rules'>> & { rules?: Partial<CommentRules> } = {}): RuleInput {
  const { rules, ...rest } = changes;
  return {
    body: 'I was at the council meeting too, and the vote was closer than the story says.',
    authorName: 'Rosa Díaz',
    email: 'rosa@example.org',
    emailKey: 'key',
    url: '',
    ip: '198.51.100.20',
    linkCount: 0,
    approvedBefore: 1,
    storyPremoderated: false,
    honeypot: '',
    formAgeSeconds: 30,
    now: new Date('2026-01-01T12:00:00Z'),
    ...rest,
    rules: { ...defaultCommentSettings.rules, ...rules },
  };
}
