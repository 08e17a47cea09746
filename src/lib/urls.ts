/** True when `text` is an absolute http(s) URL. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** True when the link target is one a reader may safely follow: http(s), mailto, or (when allowed) a site-relative path. */
export function isSafeLink(href: string, allowRelative: boolean): boolean {
  const trimmed = href.trim();
  if (/^(https?|mailto):/i.test(trimmed)) return true;
  if (!allowRelative) return false;
  // Relative: a path, a fragment or a query, but never a protocol-relative "//host" or any other scheme.
  return /^(\/(?!\/)|#|\?)/.test(trimmed) || /^[^:/?#]+(\/|$)/.test(trimmed);
}
