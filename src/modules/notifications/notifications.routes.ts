import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { SiteContext } from '../../views/layout.js';
import { checkConfirmationToken, confirmSubscriptions, readUnsubscribeToken, unsubscribe } from './notifications.service.js';
import { renderConfirmedPage, renderConfirmPage, renderUnsubscribedPage, renderUnsubscribePage } from './notifications.views.js';

const tokenField = z.string().min(1).max(4_096);
const tokenQuery = z.object({ token: tokenField });
const confirmBody = z.object({ token: tokenField });

function sendHtml(reply: FastifyReply, body: string) {
  // Private to whoever holds the link: never cached, never indexed, never sent on as a Referer.
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(body);
}

/**
 * The links in notification mail: double opt-in confirmation and unsubscribe (RFC 8058 one-click).
 * Registered in their own scope so that POST /unsubscribe alone also accepts the multipart or
 * plain-text bodies some mail providers send with `List-Unsubscribe=One-Click`.
 */
export async function registerNotificationRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(['multipart/form-data', 'text/plain'], { parseAs: 'string', bodyLimit: 4_096 }, (_request, body, done) =>
      done(null, body),
    );

    scope.get('/subscriptions/confirm', async (request, reply) => {
      const { token } = tokenQuery.parse(request.query);
      checkConfirmationToken(deps, token, deps.clock.now());
      return sendHtml(reply, renderConfirmPage(site, { token }));
    });

    scope.post('/subscriptions/confirm', async (request, reply) => {
      const { token } = confirmBody.parse(request.body ?? {});
      const outcome = await confirmSubscriptions(deps, token);
      return sendHtml(reply, renderConfirmedPage(site, { outcome }));
    });

    scope.get('/unsubscribe', async (request, reply) => {
      const { token } = tokenQuery.parse(request.query);
      const what = readUnsubscribeToken(deps, token);
      return sendHtml(reply, renderUnsubscribePage(site, { token, what }));
    });

    // One-click (RFC 8058): the token in the URL is the whole authority; no cookie, CSRF token or
    // sign-in, and src/http/cross-site.ts lets this one route through (see the comment there).
    scope.post('/unsubscribe', async (request, reply) => {
      const { token } = tokenQuery.parse(request.query);
      const what = await unsubscribe(deps, token);
      return sendHtml(reply, renderUnsubscribedPage(site, { what }));
    });
  });
}
