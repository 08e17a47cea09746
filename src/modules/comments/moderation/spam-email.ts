import type { ModerationRule } from './moderation.types.js';

/** Sends a comment to spam when its email address is on the site's `spamEmails` list (case-insensitive). */
export const spamEmail: ModerationRule = (input) => {
  const email = input.email.trim().toLowerCase();
  const listed = input.rules.spamEmails.some((entry) => entry.trim().toLowerCase() === email);
  return listed ? [{ rule: 'spam-email', verdict: 'spam', detail: 'The email address is on the spam list.' }] : [];
};
