import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { configureCommentSettings, loadCommentSettings, parseSettingsForm, readSettingsForm, settingsFormValues } from '../comments/index.js';
import { renderCommentSettingsPage } from './comment-settings.views.js';

const savedQuery = z.object({ saved: z.enum(['1', '0']).optional().catch(undefined) });

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** /admin/comments/settings: the site's comment settings and moderation rules (comment.configure). */
export function registerCommentSettingsRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'comment.configure' });

  app.get('/admin/comments/settings', { preHandler: guard }, async (request, reply) => {
    const { saved } = savedQuery.parse(request.query);
    const values = settingsFormValues(await loadCommentSettings(deps));
    const notice = saved === '1' ? 'The comment settings were saved.' : saved === '0' ? 'Nothing was changed.' : undefined;
    return sendHtml(reply, 200, renderCommentSettingsPage(site, { session: request.staff!, values, ...(notice ? { notice } : {}) }));
  });

  app.post('/admin/comments/settings', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    let values = settingsFormValues(await loadCommentSettings(deps));
    try {
      values = readSettingsForm(body);
      const changed = await configureCommentSettings(deps, session.actor, parseSettingsForm(values, await loadCommentSettings(deps)));
      return reply.redirect(`/admin/comments/settings?saved=${changed.length > 0 ? 1 : 0}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendHtml(reply, 422, renderCommentSettingsPage(site, { session, values, errors: error.fieldErrors }));
    }
  });
}
