/**
 * Helpers for writing XML (feeds, sitemaps) by hand: text and attribute escaping that also drops
 * the characters XML 1.0 does not allow at all, and the date formats feeds use.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Characters XML 1.0 forbids even escaped: C0 controls other than tab, newline and carriage return,
 * lone surrogates, and U+FFFE/U+FFFF. A pasted headline may hold one; a feed with it does not parse.
 */
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text for an XML element or a quoted attribute value: `&`, `<`, `>`, `"` and `'` become entities
 * (so `]]>` cannot end anything) and forbidden characters are removed. Never CDATA.
 */
export function escapeXml(text: string): string {
  return text.replace(forbidden, '').replace(/[&<>"']/g, (c) => escapes[c] as string);
}

/** Removes the characters XML 1.0 forbids (for text that is not escaped again, e.g. JSON). */
export function stripForbiddenXmlChars(text: string): string {
  return text.replace(forbidden, '');
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const two = (n: number) => String(n).padStart(2, '0');

/** An RFC 822 date (as RSS 2.0 wants it, with a four-digit year), in UTC: `Fri, 27 Nov 2026 09:00:00 +0000`. */
export function rfc822(date: Date): string {
  return `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} +0000`;
}

/** An RFC 3339 date-time in UTC, to the second: `2026-11-27T09:00:00Z` (Atom, JSON Feed). */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
