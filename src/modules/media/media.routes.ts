import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { readCookie } from '../../http/cookies.js';
import { isCrossSite } from '../../http/cross-site.js';
import { sessionCookieName, staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import type { ActiveSession } from '../people/index.js';
import { listRecentImages, readMediaFile, uploadImage } from './media.service.js';
import { renderMediaPage } from './media.views.js';

/** The upload form as read from multipart/form-data; the file is cut off at the size limit. */
interface UploadForm {
  _csrf?: string;
  alt?: string;
  file?: Buffer;
  truncated?: boolean;
}

const statusByKind: Partial<Record<DomainError['kind'], number>> = { invalid: 422, too_large: 413, unsupported_type: 415 };
const mediaQuery = z.object({ uploaded: z.coerce.number().int().positive().optional().catch(undefined) });

/**
 * Uploaded images: files at /media/YYYY/MM/NAME-WIDTH.webp (immutable, cached for a year), and the
 * newsroom's media page with its upload form (multipart/form-data, so it works without JavaScript).
 */
export function registerMediaRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get<{ Params: { '*': string } }>('/media/*', async (request, reply) => {
    const file = await readMediaFile(deps, request.params['*']);
    if (!file) return reply.callNotFound();
    return reply.type(file.contentType).header('cache-control', 'public, max-age=31536000, immutable').send(file.body);
  });

  const guard = staffGuard(deps, { action: 'story.create' });
  const sendPage = async (reply: FastifyReply, status: number, session: ActiveSession, extra: Omit<Parameters<typeof renderMediaPage>[1], 'session' | 'images' | 'maxBytes'>) => {
    const images = await listRecentImages(deps, session.actor);
    const page = renderMediaPage(site, { session, images, maxBytes: deps.config.media.maxBytes, ...extra });
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
  };

  app.get('/admin/media', { preHandler: guard }, async (request, reply) => {
    const { uploaded } = mediaQuery.parse(request.query);
    return sendPage(reply, 200, request.staff!, uploaded ? { notice: `Image ${uploaded} uploaded.` } : {});
  });

  // Multipart parsing exists only in this scope: every other route still refuses multipart bodies.
  app.register(async (scope) => {
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: deps.config.media.maxBytes, files: 1, fields: 4, fieldSize: 4096, parts: 6, headerPairs: 20 },
    });
    scope.post('/admin/media', { preValidation: readUploadForm, preHandler: guard }, async (request, reply) => {
      const session = request.staff!;
      const form = (request.body ?? {}) as UploadForm;
      try {
        const image = await uploadImage(deps, session.actor, { bytes: form.file ?? Buffer.alloc(0), alt: form.alt ?? '', truncated: form.truncated ?? false });
        return reply.redirect(`/admin/media?uploaded=${image.id}`, 303);
      } catch (error) {
        const status = error instanceof DomainError ? statusByKind[error.kind] : undefined;
        if (!status || !(error instanceof DomainError)) throw error;
        const fields = error instanceof ValidationError ? error.fieldErrors : undefined;
        return sendPage(reply, status, session, { alt: form.alt ?? '', ...(fields ? { errors: fields } : { message: error.message }) });
      }
    });
  });

  /**
   * Reads the upload form into request.body before the staff guard runs, so the guard checks the
   * `_csrf` field as on every other form. A cross-site request or one without a session cookie is
   * not read at all: the checks that follow refuse it.
   */
  async function readUploadForm(request: FastifyRequest) {
    if (!request.isMultipart()) return;
    if (isCrossSite(request, deps.config.publicOrigin) || !readCookie(request.headers.cookie, sessionCookieName)) return;
    const form: UploadForm = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file' && form.file === undefined) {
          form.file = bytes;
          form.truncated = part.file.truncated;
        }
      } else if ((part.fieldname === '_csrf' || part.fieldname === 'alt') && form[part.fieldname] === undefined && typeof part.value === 'string') {
        form[part.fieldname] = part.value;
      }
    }
    request.body = form;
  }
}
