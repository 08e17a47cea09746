import type { ModerationRule } from './moderation.types.js';

/** Fewer words of text than this per link count as a link-heavy comment. */
const minWordsPerLink = 8;
const points = 2;

/** Words of the comment that are not web addresses. */
export function wordsOfText(body: string): number {
  return body.split(/\s+/u).filter((w) => w !== '' && !/^(?:<?https?:\/\/|www\.)/iu.test(w) && /[\p{L}\p{N}]/u.test(w)).length;
}

/** Adds points when links outweigh the text around them (a bare link, or a list of links). */
export const linkDensity: ModerationRule = (input) => {
  if (input.linkCount === 0) return [];
  const words = wordsOfText(input.body);
  if (words >= input.linkCount * minWordsPerLink) return [];
  const links = input.linkCount === 1 ? '1 link' : `${input.linkCount} links`;
  return [{ rule: 'link-density', verdict: 'note', detail: `${links} in ${words} words of text (+${points}).`, score: points }];
};
