/**
 * The wall-clock time of `instant` in `timeZone` as an <input type="datetime-local"> holds it
 * ("2026-11-27T14:30"): what a person in the newsroom types. Worked out here with Intl, not with
 * the app's own date helpers, so the test checks the server's reading of it.
 */
export function datetimeLocalValue(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}
