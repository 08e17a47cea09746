/**
 * Turns what a reader typed into the search box into plain terms and quoted phrases, so no
 * operator of either engine (FTS5 `"`, `*`, `NEAR`, `AND`/`OR`/`NOT`, `-`, `:`, `^`, parentheses;
 * tsquery `&`, `|`, `!`, `<->`) ever reaches it: a word is a run of letters, digits and marks, and
 * everything else separates words. Pure: no I/O.
 */

/** The longest search accepted, in characters. */
export const maxQueryLength = 200;
/** Terms and phrases beyond this many are ignored (each one costs the engine a lookup). */
export const maxQueryParts = 12;

export interface SearchTerms {
  /** Words every result has (any form the stemmer folds together), lower-case. */
  terms: string[];
  /** Phrases every result has, word after word: from "quoted text" or a hyphenated word like covid-19. */
  phrases: string[][];
}

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | { kind: 'terms'; terms: SearchTerms };

const word = /[\p{L}\p{N}\p{M}]+/gu;
/** Query-language words readers type as operators; dropped unless nothing else is left. */
const operators = /(?<![\p{L}\p{N}])(?:AND|OR|NOT|NEAR)(?![\p{L}\p{N}])/gu;
const controlChars = /[\u0000-\u001f\u007f]/g;

export function parseSearchQuery(raw: string): ParsedQuery {
  const text = raw.normalize('NFC').replace(controlChars, ' ').trim();
  if (text === '') return { kind: 'empty' };
  const length = [...text].length;
  if (length > maxQueryLength) {
    return { kind: 'invalid', message: `Search for at most ${maxQueryLength} characters (this search has ${length.toLocaleString('en-US')}).` };
  }
  const withoutOperators = text.replace(operators, ' ');
  const terms = collect(wordsOf(withoutOperators).length > 0 ? withoutOperators : text);
  if (terms.terms.length === 0 && terms.phrases.length === 0) {
    return { kind: 'invalid', message: 'Search for words or numbers: this search has none.' };
  }
  return { kind: 'terms', terms };
}

/** The words of a text as the parser sees them (lower-case); for highlighting and tests. */
export function wordsOf(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(word) ?? [];
}

function collect(text: string): SearchTerms {
  const terms: string[] = [];
  const phrases: string[][] = [];
  const seen = new Set<string>();
  const add = (words: string[]) => {
    if (words.length === 0 || terms.length + phrases.length >= maxQueryParts) return;
    const key = words.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    if (words.length === 1) terms.push(words[0] as string);
    else phrases.push(words.slice(0, maxQueryParts));
  };
  // Text between a pair of double quotes is a phrase; an unpaired quote is ignored.
  const parts = text.split('"');
  const lastQuoted = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  parts.forEach((part, i) => {
    if (i % 2 === 1 && i < lastQuoted) add(wordsOf(part));
    else for (const chunk of part.split(/\s+/)) add(wordsOf(chunk));
  });
  return { terms, phrases };
}
