/**
 * Canonical paths of the pages that list stories by section, tag and author, and their cache
 * keys. Paths are stable: they depend on the slug only.
 */
export function sectionPath(slug: string): string {
  return `/sections/${slug}`;
}

export function tagPath(slug: string): string {
  return `/tags/${slug}`;
}

export function authorPath(slug: string): string {
  return `/authors/${slug}`;
}

/** The path of page `page` of a listing: page 1 is the listing's own path, without `?page`. */
export function pagedPath(base: string, page: number): string {
  return page === 1 ? base : `${base}?page=${page}`;
}

/**
 * Surrogate keys of a listing page: its subject (`section:1`, `tag:2`, `author:3`), `lists`
 * (purged by every story save, which may move stories into or out of any listing), and each
 * story it shows (so an approved comment refreshes the comment counts there).
 */
export function listingCacheKeys(subject: `${'section' | 'tag' | 'author'}:${number}`, stories: readonly { id: number }[]): string[] {
  return [subject, 'lists', ...stories.map((s) => `story:${s.id}`)];
}
