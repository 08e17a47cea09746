import { BlockList, isIP } from 'node:net';
import type { ModerationRule } from './moderation.types.js';

export interface IpRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Reads one `spamIpRanges` entry: an IPv4 or IPv6 address (`203.0.113.7`, `2001:db8::1`) or a
 * CIDR range (`203.0.113.0/24`, `2001:db8::/32`). An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`)
 * is read as the IPv4 address. Undefined when the entry is neither.
 */
export function parseIpRange(entry: string): IpRange | undefined {
  const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
  if (!match) return undefined;
  const address = unmapIpv4(match[1]!);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  let prefix = match[2] === undefined ? max : Number(match[2]);
  // `::ffff:203.0.113.0/120` is the IPv4 range 203.0.113.0/24.
  if (address !== match[1] && match[2] !== undefined) prefix -= 96;
  if (prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family };
}

/** `::ffff:203.0.113.7` → `203.0.113.7`; any other address unchanged. */
export function unmapIpv4(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped && isIP(mapped[1]!) === 4 ? mapped[1]! : ip;
}

interface CompiledRanges {
  /** Every valid entry in one list, for the common case: no match. */
  all: BlockList;
  entries: { entry: string; list: BlockList }[];
}

const cache = new Map<string, CompiledRanges>();
const maxCached = 8;

function compile(entries: readonly string[]): CompiledRanges {
  const key = entries.join('\n');
  let compiled = cache.get(key);
  if (!compiled) {
    const all = new BlockList();
    const each = entries.flatMap((entry) => {
      const range = parseIpRange(entry);
      if (!range) return [];
      const list = new BlockList();
      list.addSubnet(range.address, range.prefix, range.family);
      all.addSubnet(range.address, range.prefix, range.family);
      return [{ entry: entry.trim(), list }];
    });
    compiled = { all, entries: each };
    if (cache.size >= maxCached) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/**
 * Sends a comment to spam when the client IP (as resolved under TRUST_PROXY) is in a range on
 * the site's `spamIpRanges` list. IPv4 clients seen as IPv4-mapped IPv6 addresses match IPv4 ranges.
 * The detail names the range, never the address (only its salted hash is stored).
 */
export const spamIpRange: ModerationRule = (input) => {
  if (input.rules.spamIpRanges.length === 0) return [];
  const ip = unmapIpv4(input.ip.trim());
  const version = isIP(ip);
  if (version === 0) return [];
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const ranges = compile(input.rules.spamIpRanges);
  if (!ranges.all.check(ip, family)) return [];
  const hit = ranges.entries.find((r) => r.list.check(ip, family));
  return hit ? [{ rule: 'spam-ip-range', verdict: 'spam', detail: `The client address is in ${hit.entry}, a range on the spam list.` }] : [];
};
