import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { configureFeedSettings, loadFeedSettings, parseFeedSettingsForm } from '../feeds/index.js';
import { renderFeedSettingsPage } from './feed-settings.views.js';

const savedQuery = z.object({ saved: z.enum(['1', '0']).optional().catch(undefined) });

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** /admin/settings/feeds: full text or summaries in the site's feeds (feed.configure; CSRF-checked, audited). */
export function registerFeedSettingsRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'feed.configure' });

  app.get('/admin/settings/feeds', { preHandler: guard }, async (request, reply) => {
    const { saved } = savedQuery.parse(request.query);
    const notice = saved === '1' ? 'The feed settings were saved.' : saved === '0' ? 'Nothing was changed.' : undefined;
    const { content } = await loadFeedSettings(deps);
    return sendHtml(reply, 200, renderFeedSettingsPage(site, { session: request.staff!, content, ...(notice ? { notice } : {}) }));
  });

  app.post('/admin/settings/feeds', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const changed = await configureFeedSettings(deps, session.actor, { ...(await loadFeedSettings(deps)), ...parseFeedSettingsForm(body) });
      return reply.redirect(`/admin/settings/feeds?saved=${changed.length > 0 ? 1 : 0}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const content = typeof body.content === 'string' ? body.content : '';
      return sendHtml(reply, 422, renderFeedSettingsPage(site, { session, content, error: error.fieldErrors.content ?? error.message }));
    }
  });
}
