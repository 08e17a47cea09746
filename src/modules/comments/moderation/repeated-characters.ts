import type { ModerationRule } from './moderation.types.js';

/** A run this long of one character counts ("!!!!!!", "aaaaaa"). */
const minRun = 6;
const points = 1;
/** Not counted: white space, digits ("1000000"), dots ("......") and what Markdown repeats on purpose (rules, headings, emphasis). */
const ignored = /[\s\p{N}.\-_=*#~`]/u;

/** Adds points for a character repeated many times in a row, naming the longest run. */
export const repeatedCharacters: ModerationRule = (input) => {
  let longest = '';
  for (const m of input.body.matchAll(/(\P{M}\p{M}*)\1+/gu)) {
    const unit = m[1]!;
    if (ignored.test(unit)) continue;
    const length = [...m[0]].length / [...unit].length;
    if (length >= minRun && m[0].length > longest.length) longest = m[0];
  }
  if (longest === '') return [];
  const unit = /^\P{M}\p{M}*/u.exec(longest)![0];
  const times = longest.length / unit.length;
  const shown = times > 12 ? `${unit.repeat(12)}…` : longest;
  return [{ rule: 'repeated-characters', verdict: 'note', detail: `A character repeated ${times} times in a row (“${shown}”) (+${points}).`, score: points }];
};
