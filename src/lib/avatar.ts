import { createHash, createHmac } from 'node:crypto';

/**
 * Locally drawn avatars (no Gravatar, which publishes an unsalted hash of the address). A
 * commenter's public avatar id is a keyed hash of their email key, so it reveals neither the
 * address nor the email key (which the site uses internally for lookups), and nobody without
 * the site's secret can tell which address an avatar belongs to.
 */

/** Public avatar ids: 16 base64url characters. */
export const avatarIdPattern = /^[A-Za-z0-9_-]{16}$/;

/** The id shown for comments without a commenter (erased, anonymised): a neutral silhouette. */
export const defaultAvatarId = 'default';

/** The key for avatar ids, derived from the site's secret salt (so it differs from every other use of it). */
export function avatarKey(siteSalt: string): string {
  return createHmac('sha256', `${siteSalt}:avatar`).update('avatar-key').digest('base64url');
}

/** The public avatar id of an email key; the neutral default for an empty (erased) key. */
export function avatarId(key: string, emailKey: string): string {
  if (emailKey === '' || key === '') return defaultAvatarId;
  return createHmac('sha256', key).update(emailKey).digest('base64url').slice(0, 16);
}

/** Recently drawn paths (an HMAC costs some 7 µs; a page of 50 comments repeats few commenters). */
const recentPaths = new Map<string, string>();
const maxRecentPaths = 10_000;

/** The avatar image's path for an email key. */
export function avatarPath(key: string | undefined, emailKey: string): string {
  const memo = `${key ?? ''}\u0000${emailKey}`;
  let path = recentPaths.get(memo);
  if (path === undefined) {
    if (recentPaths.size >= maxRecentPaths) recentPaths.clear();
    path = `/avatars/${avatarId(key ?? '', emailKey)}.svg`;
    recentPaths.set(memo, path);
  }
  return path;
}

const cells = 5;
const cellSize = 8;
const margin = 4;
const side = cells * cellSize + 2 * margin;

/**
 * A 5×5 identicon, mirrored left to right, in one colour drawn from the id's hash, on a light
 * background. Plain shapes only: no scripts, links, styles or external references.
 */
export function renderAvatarSvg(id: string): string {
  if (id === defaultAvatarId) return defaultAvatarSvg;
  const bytes = createHash('sha256').update(`avatar:${id}`).digest();
  const hue = ((bytes[0] ?? 0) * 256 + (bytes[1] ?? 0)) % 360;
  const saturation = 45 + ((bytes[2] ?? 0) % 25);
  const lightness = 38 + ((bytes[3] ?? 0) % 15);
  const rects: string[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < Math.ceil(cells / 2); col++) {
      const bit = (bytes[4 + row] ?? 0) >> col;
      if ((bit & 1) === 0) continue;
      for (const c of col === cells - 1 - col ? [col] : [col, cells - 1 - col]) {
        rects.push(`<rect x="${margin + c * cellSize}" y="${margin + row * cellSize}" width="${cellSize}" height="${cellSize}"/>`);
      }
    }
  }
  return svg(`<rect width="${side}" height="${side}" fill="#f0f0f0"/><g fill="hsl(${hue}, ${saturation}%, ${lightness}%)" shape-rendering="crispEdges">${rects.join('')}</g>`);
}

const defaultAvatarSvg = svg(
  `<rect width="${side}" height="${side}" fill="#e2e2e2"/><g fill="#a8a8a8"><circle cx="24" cy="18" r="8"/><path d="M8 44c0-9 7-15 16-15s16 6 16 15z"/></g>`,
);

function svg(content: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${side}" height="${side}">${content}</svg>\n`;
}
