import type { ModerationRule } from './moderation.types.js';

/** "@Example.COM", "*.example.com" and ".example.com." all mean the domain example.com. */
export function normaliseDomain(entry: string): string {
  return entry.trim().toLowerCase().replace(/^[@*]*\.?/, '').replace(/\.$/, '');
}

/**
 * Sends a comment to spam when its email address is at a domain on the site's `spamDomains`
 * list, or at any subdomain of one (`example.com` also catches `mail.example.com`, not `badexample.com`).
 */
export const spamDomain: ModerationRule = (input) => {
  const at = input.email.lastIndexOf('@');
  if (at < 0) return [];
  const domain = normaliseDomain(input.email.slice(at + 1));
  const hit = input.rules.spamDomains.map(normaliseDomain).find((d) => d !== '' && (domain === d || domain.endsWith(`.${d}`)));
  return hit ? [{ rule: 'spam-domain', verdict: 'spam', detail: `The email address is at ${hit}, a domain on the spam list.` }] : [];
};
