import { remembered } from './remembered.js';

/** Date formatting for pages. Formatters are built once per (locale, zone) and reused. */
export interface DateFormatter {
  /** "November 27, 2026 at 7:45 AM" in the site's time zone. */
  dateTime(iso: string): string;
  /** "November 27, 2026". */
  date(iso: string): string;
}

const formatters = new Map<string, DateFormatter>();

export function dateFormatter(locale: string, timeZone: string): DateFormatter {
  const key = `${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
    // Intl formatting costs microseconds, and a page of 200 comments formats 200 instants on every render.
    f = { dateTime: remembered((iso) => dateTime.format(new Date(iso))), date: remembered((iso) => date.format(new Date(iso))) };
    formatters.set(key, f);
  }
  return f;
}

/** Parses a date-time given in front matter or a form; returns a normalised ISO-8601 UTC string or undefined. */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  // A bare date means midnight UTC; a time without a zone is taken as UTC too, never as the server's local time.
  let normalised = text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(normalised)) normalised += 'Z';
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Converts a wall-clock time without zone ("2026-11-28T09:30", as an <input type="datetime-local">
 * sends it) in `timeZone` to an ISO UTC string; undefined when it is not such a time.
 */
export function zonedTimeToIso(local: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== d) return undefined;
  // The zone's offset at that instant, found in two steps so times near a DST change settle.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - zoneOffsetMs(guess, timeZone);
  return new Date(guess).toISOString();
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The reverse: an ISO time as the "YYYY-MM-DDTHH:MM" wall-clock value of a datetime-local input in `timeZone`. */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const instant = new Date(iso).getTime();
  return new Date(instant + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 16);
}
