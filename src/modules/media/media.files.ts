/**
 * Pure rules about image files: what a file is by its first bytes, which resized widths an
 * image gets, and which paths under /media/ may be served. No I/O here.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export const contentTypes: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};

export const extensions: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

/** Widths of the resized variants; each image gets those smaller than itself and one at its own width up to the largest. */
export const variantWidths = [480, 960, 1600] as const;

/** The image format the bytes start with (JPEG, PNG, WebP or GIF), whatever the file is called; undefined for anything else, SVG included. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (offset: number, ...sig: number[]) => bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (starts(0, 0x47, 0x49, 0x46, 0x38, 0x37, 0x61) || starts(0, 0x47, 0x49, 0x46, 0x38, 0x39, 0x61)) return 'gif';
  return undefined;
}

/** The widths to make for an image `width` pixels wide: never wider than the image, at least one. */
export function widthsFor(width: number): number[] {
  const largest = variantWidths[variantWidths.length - 1] as number;
  const widths: number[] = variantWidths.filter((w) => w < width);
  const top = Math.min(width, largest);
  if (!widths.includes(top)) widths.push(top);
  return widths;
}

/** A served file: `YYYY/MM/<32 hex>-<width>.webp`. Originals (which may carry camera metadata) are kept but never served. */
const servedPath = /^\d{4}\/\d{2}\/[0-9a-f]{32}-\d{1,5}\.webp$/;

/** The content type of a path under /media/ that may be served, or undefined for anything else (traversal, originals, odd names). */
export function servedContentType(relativePath: string): string | undefined {
  return servedPath.test(relativePath) ? contentTypes.webp : undefined;
}

/** The URL of a file under the media folder. */
export function mediaUrl(relativePath: string): string {
  return `/media/${relativePath}`;
}

/** A byte limit for people: whole KiB or MiB, rounded down so the limit is never overstated. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.floor((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.floor(n / 1024)} KiB`;
  return `${n} bytes`;
}
