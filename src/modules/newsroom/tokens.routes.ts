import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../people/index.js';
import { renderTokensPage } from './tokens.views.js';

const createBody = z.object({ name: z.string().max(1_000).optional().default('') });
const idParams = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).refine((id) => id <= 2_147_483_647) });
const listQuery = z.object({ revoked: z.literal('1').optional().catch(undefined) });

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** The signed-in person's API tokens: list, create (the secret shown once) and revoke. */
export function registerTokenRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'admin.enter' });

  app.get('/admin/tokens', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const { revoked } = listQuery.parse(request.query);
    const tokens = await listApiTokens(deps, session.actor);
    const notice = revoked ? 'The token was revoked. Programs that use it are refused from now on.' : undefined;
    return sendHtml(reply, 200, renderTokensPage(site, { session, tokens, ...(notice ? { notice } : {}) }));
  });

  app.post('/admin/tokens', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const body = createBody.safeParse(request.body ?? {});
    if (!body.success) throw Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
    try {
      const { token, secret } = await createApiToken(deps, session.actor, { name: body.data.name });
      const tokens = await listApiTokens(deps, session.actor);
      // The secret goes into this one response only (never into a URL or a redirect), which no cache keeps.
      return sendHtml(reply, 200, renderTokensPage(site, { session, tokens, created: { name: token.name, secret } }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const tokens = await listApiTokens(deps, session.actor);
      return sendHtml(reply, 422, renderTokensPage(site, { session, tokens, name: body.data.name, errors: error.fieldErrors }));
    }
  });

  app.post('/admin/tokens/:id/revoke', { preHandler: guard }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) throw new DomainError('API_TOKEN_NOT_FOUND', 'There is no API token of yours with this id.');
    await revokeApiToken(deps, request.staff!.actor, { tokenId: params.data.id });
    return reply.redirect('/admin/tokens?revoked=1', 303);
  });
}
