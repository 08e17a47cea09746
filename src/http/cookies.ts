/** Reads one cookie from a Cookie header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  secure: boolean;
  path?: string;
}

/** A Set-Cookie value with SameSite=Lax; `value` undefined deletes the cookie. */
export function serializeCookie(name: string, value: string | undefined, o: CookieOptions): string {
  const parts = [`${name}=${value === undefined ? '' : encodeURIComponent(value)}`];
  parts.push(`Max-Age=${value === undefined ? 0 : (o.maxAgeSeconds ?? 0)}`);
  parts.push(`Path=${o.path ?? '/'}`);
  if (o.httpOnly) parts.push('HttpOnly');
  parts.push('SameSite=Lax');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
