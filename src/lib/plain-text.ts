const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Control characters (but tab and newline): never part of a story's text; the search index uses two of them as highlight markers. */
const controlChars = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Plain text of HTML our Markdown renderer produced, for the search index: block tags become
 * spaces, other tags go, entities are decoded, control characters are dropped and whitespace is
 * collapsed. Decoded `<` stays a character: the text is escaped again wherever it is shown.
 */
export function plainTextOfHtml(markup: string): string {
  return plainText(
    markup
      .replace(/<\/?(p|br|li|ul|ol|blockquote|h[1-6]|pre|hr|table|tr|td|th|div|figure|figcaption)\b[^>]*>/gi, ' ')
      .replace(/<[^>]*>/g, '')
      .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
        if (name[0] !== '#') return entities[name.toLowerCase()] ?? whole;
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }),
  );
}

/** Text with control characters dropped, whitespace collapsed and Unicode in composed form (NFC). */
export function plainText(text: string): string {
  return text.normalize('NFC').replace(controlChars, ' ').replace(/\s+/g, ' ').trim();
}
