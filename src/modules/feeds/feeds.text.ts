/** Pure text helpers for feed items: summaries from story HTML, and absolute URLs inside it. */

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Plain text of an HTML fragment: tags removed, entities decoded, white space folded. */
export function htmlToText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return entities[name.toLowerCase()] ?? match;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A story's summary for feeds: its dek, or else the text of its first non-empty paragraph,
 * cut at a word before `max` characters with an ellipsis; null when it has neither.
 */
export function storySummary(story: { dek: string | null; body_html: string }, max = 400): string | null {
  const dek = story.dek?.trim();
  if (dek) return dek;
  for (const match of story.body_html.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)) {
    const text = htmlToText(match[1] ?? '');
    if (text !== '') return shorten(text, max);
  }
  return null;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Story HTML with root-relative `href`, `src` and `srcset` URLs made absolute (a feed reader
 * shows the HTML away from the site). Protocol-relative and absolute URLs are left alone.
 */
export function absolutizeUrls(fragment: string, publicUrl: string): string {
  const origin = publicUrl.replace(/\/+$/, '');
  const absolute = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? `${origin}${url}` : url);
  return fragment.replace(/\s(href|src|srcset)="([^"]*)"/g, (_match, attr: string, value: string) => {
    const next = attr === 'srcset' ? value.split(',').map((candidate) => candidate.trim().replace(/^\S+/, absolute)).join(', ') : absolute(value);
    return ` ${attr}="${next}"`;
  });
}
