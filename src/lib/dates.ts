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
    f = {
      dateTime: (iso) => dateTime.format(new Date(iso)),
      date: (iso) => date.format(new Date(iso)),
    };
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
