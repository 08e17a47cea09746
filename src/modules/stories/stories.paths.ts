/** The canonical path of a story. Stable: it depends on the slug only. */
export function storyPath(slug: string): string {
  return `/stories/${slug}`;
}
