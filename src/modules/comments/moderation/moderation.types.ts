import type { CommentStatus, ModerationReason } from '../../../db/schema.js';
import type { CommentRules } from '../comment-settings.js';

/** What a rule is given: the comment as submitted and facts looked up for it, never the request. */
export interface RuleInput {
  body: string;
  authorName: string;
  email: string;
  emailKey: string;
  url: string;
  /** The client IP as resolved under TRUST_PROXY (used only in memory, never stored). */
  ip: string;
  /** Links in the rendered comment (and the website field does not count). */
  linkCount: number;
  /**
   * 0 when this email address has no approved comment yet, otherwise at least 1 (the repo stops
   * at the first one: only none versus some matters).
   */
  approvedBefore: number;
  storyPremoderated: boolean;
  /** What the form's hidden honeypot field held ('' from a person's browser). */
  honeypot: string;
  /** Seconds between the form's signed timestamp and the post; null when the form carried none. */
  formAgeSeconds: number | null;
  rules: CommentRules;
  now: Date;
}

/** One rule: pure, synchronous, returns its findings (empty when it has nothing to say). */
export type ModerationRule = (input: RuleInput) => ModerationReason[];

export interface ModerationDecision {
  status: Extract<CommentStatus, 'approved' | 'pending' | 'spam'>;
  spamScore: number;
  reasons: ModerationReason[];
}
