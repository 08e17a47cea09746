import type { ModerationRule } from './moderation.types.js';

interface PhraseMatcher {
  phrase: string;
  pattern: RegExp;
}

/** Compiled matchers by the list they came from (the settings change rarely, comments arrive often). */
const cache = new Map<string, PhraseMatcher[]>();
const maxCached = 8;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A case-insensitive, Unicode-aware matcher for a whole word or phrase: it does not match inside
 * a longer word ("ass" not in "class", "Köln" not in "Kölner"), and any run of white space in the
 * phrase matches any run of white space in the comment.
 */
export function phraseMatcher(phrase: string): RegExp {
  const words = phrase.normalize('NFC').trim().split(/\s+/u).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${words.join('\\s+')}(?![\\p{L}\\p{N}\\p{M}_])`, 'iu');
}

function matchers(phrases: readonly string[]): PhraseMatcher[] {
  const key = phrases.join('\n');
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = phrases.map((p) => p.trim()).filter((p) => p !== '').map((phrase) => ({ phrase, pattern: phraseMatcher(phrase) }));
    if (cache.size >= maxCached) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/**
 * Holds a comment whose text, author name or website contains a blocked word or phrase (the
 * site's `blockedPhrases`), naming each phrase found.
 */
export const blockedPhrase: ModerationRule = (input) => {
  if (input.rules.blockedPhrases.length === 0) return [];
  const fields = [
    { name: 'comment', text: input.body },
    { name: 'name', text: input.authorName },
    { name: 'website', text: input.url },
  ].map((f) => ({ ...f, text: f.text.normalize('NFC') }));
  return matchers(input.rules.blockedPhrases).flatMap(({ phrase, pattern }) => {
    const where = fields.filter((f) => pattern.test(f.text)).map((f) => f.name);
    if (where.length === 0) return [];
    return [{ rule: 'blocked-phrase', verdict: 'hold' as const, detail: `Contains the blocked phrase “${phrase}” (in the ${where.join(' and ')}).` }];
  });
};
