import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { parseCorrectionForm } from './corrections.schemas.js';
import { appendCorrection, getCorrectionsDesk, removeCorrection } from './corrections.service.js';
import { renderCorrectionsDesk } from './corrections.views.js';

const idParams = z.object({ id: z.string().regex(/^\d{1,12}$/).transform(Number) });
/** A posted text field: absent → '', repeated (an array) → refused. */
const field = z
  .string()
  .optional()
  .transform((v) => v ?? '');
const appendBody = z.object({ kind: field, text: field });
const removeBody = z.object({ reason: field });

function readForm<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
  return parsed.data;
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** Staff screens for corrections: a story's corrections with the append form, and removal (admins). */
export function registerCorrectionRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/admin/stories/:id/corrections', { preHandler: staffGuard(deps, { action: 'story.correct' }) }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const session = request.staff!;
    const desk = await getCorrectionsDesk(deps, session.actor, { storyId: params.data.id });
    return sendHtml(reply, 200, renderCorrectionsDesk(site, { session, desk }));
  });

  app.post('/admin/stories/:id/corrections', { preHandler: staffGuard(deps, { action: 'story.correct' }) }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const storyId = params.data.id;
    const body = readForm(appendBody, request.body);
    const session = request.staff!;
    try {
      const correction = await appendCorrection(deps, session.actor, { storyId, ...parseCorrectionForm(body) });
      return reply.redirect(`/admin/stories/${storyId}/corrections#correction-${correction.id}`, 303);
    } catch (error) {
      const notPublished = error instanceof DomainError && error.code === 'CORRECTION_STORY_NOT_PUBLISHED';
      if (!(error instanceof ValidationError) && !notPublished) throw error;
      const refusal = error instanceof ValidationError ? { errors: error.fieldErrors } : { message: (error as DomainError).message };
      const desk = await getCorrectionsDesk(deps, session.actor, { storyId });
      return sendHtml(reply, notPublished ? 409 : 422, renderCorrectionsDesk(site, { session, desk, append: { ...body, ...refusal } }));
    }
  });

  app.post('/admin/corrections/:id/remove', { preHandler: staffGuard(deps, { action: 'correction.remove' }) }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const correctionId = params.data.id;
    const { reason } = readForm(removeBody, request.body);
    const session = request.staff!;
    try {
      const removed = await removeCorrection(deps, session.actor, { correctionId, reason });
      return reply.redirect(`/admin/stories/${removed.story_id}/corrections#correction-${removed.id}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const desk = await getCorrectionsDesk(deps, session.actor, { correctionId });
      return sendHtml(reply, 422, renderCorrectionsDesk(site, { session, desk, removal: { correctionId, reason, errors: error.fieldErrors } }));
    }
  });
}
