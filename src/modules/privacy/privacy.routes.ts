import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, RateLimitedError, ValidationError } from '../../errors.js';
import { requestContext } from '../../http/request-context.js';
import { staffGuard } from '../../http/staff-guard.js';
import { avatarIdPattern, defaultAvatarId, renderAvatarSvg } from '../../lib/avatar.js';
import type { SiteContext } from '../../views/layout.js';
import { renderAnonymiseConfirmPage, renderAnonymisedPage } from './privacy.admin.views.js';
import { parsePrivacyEmail, privacyTokenInput } from './privacy.schemas.js';
import {
  anonymiseCommenter,
  countCommenterComments,
  eraseCommenter,
  exportCommenterComments,
  readPrivacyLink,
  requestPrivacyLink,
} from './privacy.service.js';
import {
  renderEraseConfirmPage,
  renderErasedPage,
  renderPrivacyLinkErrorPage,
  renderPrivacyManagePage,
  renderPrivacyRequestPage,
} from './privacy.views.js';

const avatarParams = z.object({ file: z.string().max(40) });
const commenterParams = z.object({ emailKey: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
/** Pages reached through a privacy link: never cached, never indexed, never sent on as a referrer. */
const privateHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' };

/** Commenter privacy: local avatars, "manage your comments" (export, erase) by mailed link, and anonymising by an admin. */
export function registerPrivacyRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const retentionDays = deps.config.privacy.ipRetentionDays;

  app.get('/avatars/:file', async (request, reply) => {
    const file = avatarParams.safeParse(request.params).data?.file ?? '';
    const id = file.endsWith('.svg') ? file.slice(0, -4) : '';
    if (id !== defaultAvatarId && !avatarIdPattern.test(id)) return reply.callNotFound();
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('image/svg+xml; charset=utf-8')
      .send(renderAvatarSvg(id));
  });

  app.get('/privacy/comments', async (_request, reply) => html(reply, 200, renderPrivacyRequestPage(site, { retentionDays })));

  app.post('/privacy/comments', async (request, reply) => {
    const email = String((request.body as Record<string, unknown> | undefined)?.email ?? '').slice(0, 1_000);
    try {
      await requestPrivacyLink(deps, requestContext(request, deps.clock), { email: parsePrivacyEmail(request.body) });
      return html(reply, 200, renderPrivacyRequestPage(site, { retentionDays, sent: true }));
    } catch (error) {
      if (error instanceof ValidationError) return html(reply, 422, renderPrivacyRequestPage(site, { retentionDays, email, errors: error.fieldErrors }));
      if (!(error instanceof RateLimitedError)) throw error;
      reply.header('retry-after', String(error.retryAfterSeconds));
      return html(reply, 429, renderPrivacyRequestPage(site, { retentionDays, email, formError: error.message }));
    }
  });

  app.get('/privacy/comments/manage', async (request, reply) =>
    withLink(reply, privacyTokenInput.parse(request.query).token, async (token, key) =>
      html(reply, 200, renderPrivacyManagePage(site, { token, count: await countCommenterComments(deps, key), retentionDays })),
    ),
  );

  app.get('/privacy/comments/export', async (request, reply) =>
    withLink(reply, privacyTokenInput.parse(request.query).token, async (_token, key) => {
      const now = deps.clock.now();
      const body = JSON.stringify(await exportCommenterComments(deps, key, now), null, 2);
      return reply
        .headers(privateHeaders)
        .header('content-disposition', `attachment; filename="comments-${now.toISOString().slice(0, 10)}.json"`)
        .type('application/json; charset=utf-8')
        .send(body);
    }),
  );

  app.get('/privacy/comments/erase', async (request, reply) =>
    withLink(reply, privacyTokenInput.parse(request.query).token, async (token, key) =>
      html(reply, 200, renderEraseConfirmPage(site, { token, count: await countCommenterComments(deps, key) })),
    ),
  );

  app.post('/privacy/comments/erase', async (request, reply) =>
    withLink(reply, privacyTokenInput.parse(request.body ?? {}).token, async (_token, key) => {
      const { erased } = await eraseCommenter(deps, requestContext(request, deps.clock), key);
      return html(reply, 200, renderErasedPage(site, { erased }));
    }),
  );

  const anonymiseGuard = { preHandler: staffGuard(deps, { action: 'commenter.anonymise' }) };
  app.get('/admin/commenters/:emailKey/anonymise', anonymiseGuard, async (request, reply) => {
    const { emailKey } = commenterParams.parse(request.params);
    const count = await countCommenterComments(deps, emailKey);
    return html(reply, count === 0 ? 404 : 200, renderAnonymiseConfirmPage(site, { session: request.staff!, emailKey, count }));
  });

  app.post('/admin/commenters/:emailKey/anonymise', anonymiseGuard, async (request, reply) => {
    const { emailKey } = commenterParams.parse(request.params);
    const { anonymised } = await anonymiseCommenter(deps, request.staff!.actor, emailKey);
    return html(reply, 200, renderAnonymisedPage(site, { session: request.staff!, anonymised }));
  });

  /** Runs `use` with the link's email key, or answers 400 (altered link) or 410 (expired) with a page saying so. */
  async function withLink(reply: FastifyReply, token: string, use: (token: string, key: string) => Promise<FastifyReply>) {
    let key: string;
    try {
      key = readPrivacyLink(deps, token, deps.clock.now());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return html(reply, error.code === 'PRIVACY_LINK_EXPIRED' ? 410 : 400, renderPrivacyLinkErrorPage(site, error.message));
    }
    return use(token, key);
  }
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(privateHeaders).type('text/html; charset=utf-8').send(body);
}
