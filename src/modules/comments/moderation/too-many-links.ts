import type { ModerationRule } from './moderation.types.js';

/** Holds a comment with more links than the site's `maxLinks` (the website field does not count). */
export const tooManyLinks: ModerationRule = (input) =>
  input.linkCount > input.rules.maxLinks
    ? [
        {
          rule: 'too-many-links',
          verdict: 'hold',
          detail: `The comment has ${input.linkCount} links; more than ${input.rules.maxLinks} are held.`,
        },
      ]
    : [];
