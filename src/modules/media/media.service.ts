import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Deps } from '../../deps.js';
import type { Database, MediaRow, MediaVariant } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, type Actor } from '../people/index.js';
import { contentTypes, detectImageFormat, extensions, formatBytes, mediaUrl, servedContentType, widthsFor, type ImageFormat } from './media.files.js';
import * as repo from './media.repo.js';

export interface UploadImageInput {
  bytes: Buffer;
  alt: string;
  /** True when the upload was cut off at the size limit (the HTTP layer stops reading there). */
  truncated?: boolean;
}

/** An uploaded image as pages show it: the largest variant as `src`, every variant in `srcset`. */
export interface ImageView {
  id: number;
  alt: string;
  src: string;
  width: number;
  height: number;
  srcset: { url: string; width: number }[];
  createdAt: string;
}

export const maxAltLength = 300;
/** Images with more pixels than this are refused before they are decoded (a small file can hold a huge image). */
export const maxPixels = 50_000_000;

/**
 * Stores an uploaded image: checks the permission, size, type (by content: the first bytes and
 * the decoder must agree on JPEG, PNG, WebP or GIF) and alt text, writes the original and its
 * resized WebP variants under the media folder, then inserts the row and an audit entry in one
 * transaction. If the database write fails the files are removed again.
 */
export async function uploadImage(deps: Deps, actor: Actor, input: UploadImageInput): Promise<ImageView> {
  assertCan(actor, 'story.create');
  const { maxBytes, dir } = deps.config.media;
  if (input.truncated || input.bytes.length > maxBytes) {
    throw new DomainError('MEDIA_TOO_LARGE', `The file is too large: images may be at most ${formatBytes(maxBytes)}.`);
  }
  if (input.bytes.length === 0) throw new ValidationError({ file: 'Choose an image file to upload.' });
  const image = await inspectImage(input.bytes);
  const alt = input.alt.trim().replace(/\s+/g, ' ');
  if (alt === '') throw new ValidationError({ alt: 'Describe the image for readers who cannot see it (alt text).' });
  if ([...alt].length > maxAltLength) throw new ValidationError({ alt: `Keep the alt text to at most ${maxAltLength} characters.` });

  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const folder = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const name = randomBytes(16).toString('hex');
  const original = `${folder}/${name}.${extensions[image.format]}`;
  const written: string[] = [];
  try {
    await fs.mkdir(path.join(dir, folder), { recursive: true });
    await writeNew(dir, original, input.bytes, written);
    const variants: MediaVariant[] = [];
    for (const width of widthsFor(image.width)) {
      const { data, info } = await sharp(input.bytes, { animated: image.animated, limitInputPixels: maxPixels })
        .rotate()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      const variantPath = `${folder}/${name}-${info.width}.webp`;
      await writeNew(dir, variantPath, data, written);
      variants.push({ width: info.width, height: info.pageHeight ?? info.height, path: variantPath, bytes: data.length });
    }
    const row = await deps.store.db.transaction().execute(async (trx) => {
      const inserted = await repo.insertMedia(trx, {
        content_type: contentTypes[image.format],
        path: original,
        width: image.width,
        height: image.height,
        bytes: input.bytes.length,
        variants: JSON.stringify(variants),
        alt,
        uploaded_by: actor.personId || null,
        created_at: nowIso,
      });
      await recordAudit(trx, { actor, action: 'media.uploaded', subject: { type: 'media', id: inserted.id }, details: { alt, path: original }, now: nowIso });
      return inserted;
    });
    return imageView(row);
  } catch (error) {
    await Promise.all(written.map((file) => fs.rm(path.join(dir, file), { force: true })));
    throw error;
  }
}

/** Recent uploads, newest first, for the media page and the editor's featured-image choice (staff only). */
export async function listRecentImages(deps: Deps, actor: Actor, limit = 50): Promise<ImageView[]> {
  assertCan(actor, 'admin.enter');
  return (await repo.listRecentMedia(deps.store.db, Math.min(limit, 200))).map(imageView);
}

/** Whether an image with this id exists; for services that refer to one (in their transaction). */
export async function imageExists(db: Kysely<Database>, id: number): Promise<boolean> {
  return (await repo.findMediaById(db, id)) !== undefined;
}

/** An image for a public page (a story's featured image), or undefined when it no longer exists. */
export async function findImage(deps: Deps, id: number): Promise<ImageView | undefined> {
  const row = await repo.findMediaById(deps.store.db, id);
  return row ? imageView(row) : undefined;
}

/**
 * A file to serve at /media/PATH: only resized variants with a well-formed name; anything else
 * (originals, traversal, unknown names, missing files) is undefined.
 */
export async function readMediaFile(deps: Deps, relativePath: string): Promise<{ body: Buffer; contentType: string } | undefined> {
  const contentType = servedContentType(relativePath);
  if (!contentType) return undefined;
  const root = path.resolve(deps.config.media.dir);
  const file = path.resolve(root, relativePath);
  if (!file.startsWith(root + path.sep)) return undefined;
  try {
    return { body: await fs.readFile(file), contentType };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}

export function imageView(row: MediaRow): ImageView {
  const variants = (JSON.parse(row.variants) as MediaVariant[]).slice().sort((a, b) => a.width - b.width);
  const largest = variants[variants.length - 1];
  return {
    id: row.id,
    alt: row.alt,
    src: mediaUrl(largest?.path ?? row.path),
    width: largest?.width ?? row.width,
    height: largest?.height ?? row.height,
    srcset: variants.map((v) => ({ url: mediaUrl(v.path), width: v.width })),
    createdAt: row.created_at,
  };
}

interface InspectedImage {
  format: ImageFormat;
  width: number;
  height: number;
  animated: boolean;
}

const unsupported = 'This file is not an image Readout accepts. Upload a JPEG, PNG, WebP or GIF image (SVG and other formats are refused).';

/** The image's format and display size; refuses anything whose bytes and decoder do not agree on a supported format. */
async function inspectImage(bytes: Buffer): Promise<InspectedImage> {
  const format = detectImageFormat(bytes);
  if (!format) throw new DomainError('MEDIA_UNSUPPORTED_TYPE', unsupported);
  let meta: sharp.Metadata;
  try {
    // Reads the header only; the size is checked below, before anything decodes the pixels.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DomainError('MEDIA_UNSUPPORTED_TYPE', 'This file looks like an image but could not be read; it may be damaged.', { cause: error });
  }
  if (meta.format !== format || !meta.width || !meta.height) throw new DomainError('MEDIA_UNSUPPORTED_TYPE', unsupported);
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > maxPixels) {
    throw new DomainError('MEDIA_TOO_LARGE', `The image is too large: at most ${maxPixels / 1_000_000} megapixels.`);
  }
  // EXIF orientations 5–8 turn the image a quarter: readers see it with width and height swapped.
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    format,
    width: turned ? frameHeight : meta.width,
    height: turned ? meta.width : frameHeight,
    animated: (meta.pages ?? 1) > 1,
  };
}

/** Writes a file that must not exist yet, and notes it for clean-up. */
async function writeNew(dir: string, relativePath: string, data: Buffer, written: string[]): Promise<void> {
  await fs.writeFile(path.join(dir, relativePath), data, { flag: 'wx' });
  written.push(relativePath);
}
