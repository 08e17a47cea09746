import type { ModerationRule } from './moderation.types.js';

/**
 * The form's hidden honeypot field (hidden from people and assistive technology, labelled "leave
 * this empty") came back filled: only a robot filling every field does that. Straight to spam.
 */
export const honeypot: ModerationRule = ({ honeypot: value }) =>
  value.trim() === ''
    ? []
    : [
        {
          rule: 'honeypot',
          verdict: 'spam',
          detail: `The hidden anti-robot field, which people never see, was filled in (${value.trim().length} characters).`,
        },
      ];
