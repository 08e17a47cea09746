import type { ModerationRule } from './moderation.types.js';

/** Fewer letters than this are not judged ("OK", "NASA AND ESA"). */
const minLetters = 20;
/** Share of capital letters from which a comment counts as shouting. */
const capitalShare = 0.7;
const points = 2;

/** Adds points when a comment is written mostly in capitals (any script with case). */
export const shouting: ModerationRule = (input) => {
  const { upper, lower } = countCase(input.body);
  const letters = upper + lower;
  if (letters < minLetters || upper / letters < capitalShare) return [];
  const percent = Math.round((upper / letters) * 100);
  return [{ rule: 'all-caps', verdict: 'note', detail: `Written in capitals (${percent}% of ${letters} letters) (+${points}).`, score: points }];
};

/** Capital and small letters in a text (a letter is one that changes case). */
export function countCase(text: string): { upper: number; lower: number } {
  const toLower = text.toLowerCase();
  const toUpper = text.toUpperCase();
  if (toLower.length !== text.length || toUpper.length !== text.length) {
    // Letters such as ß change length when their case changes: count them the slow way.
    return { upper: text.match(/\p{Lu}/gu)?.length ?? 0, lower: text.match(/\p{Ll}/gu)?.length ?? 0 };
  }
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== toLower.charCodeAt(i)) upper++;
    else if (c !== toUpper.charCodeAt(i)) lower++;
  }
  return { upper, lower };
}
