/** The rows to ask for to show page `page` of `size` items: one more than a page tells whether a next page exists. */
export function pageWindow(page: number, size: number): { limit: number; offset: number } {
  return { limit: size + 1, offset: (page - 1) * size };
}

/** Cuts rows fetched with pageWindow down to one page. */
export function pageOf<T>(rows: readonly T[], size: number): { items: T[]; hasNext: boolean } {
  return { items: rows.slice(0, size), hasNext: rows.length > size };
}
