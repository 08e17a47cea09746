import type { LoadResult } from './load.js';

/** Report helpers shared by the benchmarks' printed tables. */

/** A number with `digits` decimals, or "-" where it could not be measured (NaN, e.g. no /proc). */
export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Lays out rows (the first is the header) in columns two spaces apart; numbers read best right-aligned. */
export function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The status codes a run saw, with counts ("200×5120 errors×3"). */
export const codesText = (r: LoadResult) =>
  (Object.entries(r.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ') || 'none') + (r.errors ? ` errors×${r.errors}` : '');

/** Whether every response had `code`: a fast run of redirects or errors must not count as a pass. */
export const onlyStatus = (r: LoadResult, code: string) => r.errors === 0 && r.timeouts === 0 && Object.keys(r.statusCodes).every((c) => c === code);
