import type { ModerationReason } from '../../../db/schema.js';
import type { ModerationRule, RuleInput } from './moderation.types.js';

export interface SpamPattern {
  /** What moderators read, e.g. "BBCode link ([url=…])". */
  name: string;
  score: number;
  /** Lower-case substrings one of which the text must contain before `test` runs (a cheap first look). */
  hints: readonly string[];
  test: (input: RuleInput) => boolean;
}

const phrase = (source: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'iu');
const matches = (pattern: RegExp) => (input: RuleInput) => pattern.test(input.body) || pattern.test(input.authorName);

/** Host names of the web addresses written in a text (`https://a.example/x`, `www.example.com`), lower-cased. */
export function hostsInText(text: string): string[] {
  const hosts: string[] = [];
  for (const m of text.matchAll(/\b(?:https?:\/\/|www\.)([\p{L}\p{N}.-]+\.[\p{L}]{2,})/giu)) {
    const host = m[0].toLowerCase().startsWith('www.') ? `www.${m[1]!}` : m[1]!;
    hosts.push(host.toLowerCase().replace(/^www\./, ''));
  }
  return hosts;
}

/** Most addresses in the comment that point to one host, and the host. */
function mostLinkedHost(body: string): { host: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const host of hostsInText(body)) counts.set(host, (counts.get(host) ?? 0) + 1);
  let best: { host: string; count: number } | undefined;
  for (const [host, count] of counts) if (!best || count > best.count) best = { host, count };
  return best;
}

/**
 * Known spam patterns, each adding points to the spam score. Kept deliberately short: each one
 * is something real readers almost never write, seen in the comment spam WordPress and Akismet
 * users report. A single pattern stays below the default hold score (5); two of them, or one
 * with shouting and links, hold the comment.
 */
export const spamPatterns: readonly SpamPattern[] = [
  // Forum link markup: comment forms of blogs never render it, bots paste it everywhere.
  { name: 'BBCode link ([url=…] or [link=…])', score: 4, hints: ['[url=', '[link='], test: matches(/\[(?:url|link)=/iu) },
  // Raw HTML links: our form takes Markdown, so `<a href` is pasted by a script.
  { name: 'HTML link markup (<a href=…>)', score: 3, hints: ['<a'], test: matches(/<a\s[^>]*href\s*=/iu) },
  { name: '“buy cheap” sales pitch', score: 3, hints: ['cheap', 'order', 'discount'], test: matches(phrase('buy\\s+cheap|order\\s+now\\s+online|discount\\s+pills?')) },
  { name: 'pharmacy spam (viagra, cialis, levitra, tramadol…)', score: 4, hints: ['viagra', 'cialis', 'levitra', 'tramadol', 'xanax', 'phentermine', 'pharmacy'], test: matches(phrase('viagra|cialis|levitra|tramadol|xanax|phentermine|online\\s+pharmacy')) },
  { name: 'gambling spam (online casino, slots, betting bonus)', score: 4, hints: ['casino', 'spins', 'slot', 'betting'], test: matches(phrase('online\\s+casinos?|casino\\s+bonus|free\\s+spins|slot\\s+machines?\\s+online|betting\\s+bonus')) },
  {
    name: 'crypto pump or get-rich pitch',
    score: 4,
    hints: ['pump', 'moon', '100x', 'free', 'crypto', 'double', 'from home'],
    test: matches(phrase('(?:pump|moon)\\s+(?:and\\s+dump|signals?)|100x\\s+(?:gains?|coin)|free\\s+(?:bitcoin|crypto|btc|eth)|crypto\\s+(?:signals?|giveaway)|double\\s+your\\s+(?:bitcoin|crypto|money)|make\\s+\\$?\\d[\\d,]*\\s+(?:a|per)\\s+(?:day|week)\\s+from\\s+home')),
  },
  { name: 'SEO / backlink offer', score: 3, hints: ['seo', 'backlink', 'guest post'], test: matches(phrase('seo\\s+services?|cheap\\s+backlinks?|buy\\s+backlinks?|guest\\s+post\\s+service')) },
  {
    name: 'three or more addresses on one host',
    score: 3,
    hints: ['http', 'www.'],
    test: (input) => (mostLinkedHost(input.body)?.count ?? 0) >= 3,
  },
];

/** Adds the points of each known spam pattern the comment shows (one reason per pattern). */
export const knownSpamPatterns: ModerationRule = (input) => {
  const text = `${input.body}\n${input.authorName}`.toLowerCase();
  return spamPatterns
    .filter((p) => p.hints.some((h) => text.includes(h)) && p.test(input))
    .map((p): ModerationReason => {
      const host = p.name.startsWith('three or more') ? mostLinkedHost(input.body) : undefined;
      const what = host ? `${host.count} addresses on ${host.host}` : p.name;
      return { rule: 'spam-pattern', verdict: 'note', detail: `Known spam pattern: ${what} (+${p.score}).`, score: p.score };
    });
};
