/** A rate limit read from the environment: at most `max` hits per `windowMs`, or null when turned off. */
export type RateLimitSetting = { readonly max: number; readonly windowMs: number } | null;

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `MAX/WINDOW` — e.g. `5/1m`, `20/1h`, `100/30s`, `3/m` (a window of one unit) — or `off`.
 * Returns the problem as a string when the value is not understood.
 */
export function parseRateLimit(value: string | undefined, fallback: string): RateLimitSetting | string {
  const text = (value === undefined || value.trim() === '' ? fallback : value).trim().toLowerCase();
  if (text === 'off') return null;
  const match = /^(\d{1,9})\s*\/\s*(\d{0,9})\s*([smhd])$/.exec(text);
  const max = Number(match?.[1]);
  const count = match?.[2] === '' ? 1 : Number(match?.[2]);
  const unit = unitMs[match?.[3] ?? ''];
  if (!match || !unit || max < 1 || count < 1 || count * unit > 30 * 86_400_000) {
    return `expected MAX/WINDOW such as 5/1m, 20/1h or 100/30s (a window of at most 30 days), or off; got "${value}"`;
  }
  return { max, windowMs: count * unit };
}
