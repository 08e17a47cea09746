import { escapeHtml, raw, type SafeHtml } from '../../lib/html.js';

/**
 * Markers the engines put around matched words (control characters: the index never holds one,
 * see src/lib/plain-text.ts). The text is escaped first and only then are the markers turned
 * into `<mark>`, so nothing in a story can become markup.
 */
export const highlightStart = '\u0002';
export const highlightEnd = '\u0003';

const markers = /[\u0002\u0003]/g;

/** Escaped HTML of marked text, with each marked run in `<mark>`; unpaired markers are dropped. */
export function markedToHtml(text: string): SafeHtml {
  const escaped = escapeHtml(text);
  let open = false;
  let out = '';
  let last = 0;
  for (const m of escaped.matchAll(markers)) {
    out += escaped.slice(last, m.index);
    last = m.index + 1;
    if (m[0] === highlightStart && !open) {
      out += '<mark>';
      open = true;
    } else if (m[0] === highlightEnd && open) {
      out += '</mark>';
      open = false;
    }
  }
  out += escaped.slice(last);
  return raw(open ? `${out}</mark>` : out);
}
