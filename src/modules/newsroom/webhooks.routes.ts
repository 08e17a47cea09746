import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  readWebhookForm,
  requestTestDelivery,
  rotateWebhookSecret,
  setWebhookActive,
  type WebhookFormInput,
} from '../webhooks/index.js';
import { renderWebhookPage, renderWebhooksPage } from './webhooks.views.js';

const idParams = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).refine((id) => id <= 2_147_483_647) });
const activeBody = z.object({ active: z.enum(['0', '1']) });
const notices: Record<string, string> = {
  deleted: 'The webhook was deleted, with its delivery log. Deliveries still queued for it are dropped.',
  saved: 'The changes were saved.',
  enabled: 'The webhook is enabled: new events are sent to it.',
  disabled: 'The webhook is disabled: nothing is sent to it, and deliveries still queued are dropped.',
  test: 'A test delivery is on its way; reload this page in a moment to see it in the delivery log.',
};
const noticeQuery = z.object({ done: z.string().max(20).optional().catch(undefined) });

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

const badForm = () => Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
const webhookId = (params: unknown) => {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw new DomainError('WEBHOOK_NOT_FOUND', 'There is no webhook with this id.');
  return parsed.data.id;
};
const noticeOf = (query: unknown) => {
  const done = noticeQuery.parse(query ?? {}).done;
  return done ? notices[done] : undefined;
};

/** Admin screens for webhooks (permission webhook.manage): list, add, change, enable/disable, rotate, delete, test, delivery log. */
export function registerWebhookRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'webhook.manage' });

  app.get('/admin/webhooks', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const notice = noticeOf(request.query);
    return sendHtml(reply, 200, renderWebhooksPage(site, { session, webhooks: await listWebhooks(deps, session.actor), ...(notice ? { notice } : {}) }));
  });

  app.post('/admin/webhooks', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const form = readWebhookForm(request.body);
    if (!form) throw badForm();
    try {
      // The secret goes into this one response only (never into a URL or a redirect), which no cache keeps.
      const created = await createWebhook(deps, session.actor, form);
      return sendHtml(reply, 200, renderWebhooksPage(site, { session, webhooks: await listWebhooks(deps, session.actor), created }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const webhooks = await listWebhooks(deps, session.actor);
      return sendHtml(reply, 422, renderWebhooksPage(site, { session, webhooks, form, errors: error.fieldErrors }));
    }
  });

  app.get('/admin/webhooks/:id', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const notice = noticeOf(request.query);
    const detail = await getWebhook(deps, session.actor, webhookId(request.params));
    return sendHtml(reply, 200, renderWebhookPage(site, { session, detail, ...(notice ? { notice } : {}) }));
  });

  app.post('/admin/webhooks/:id', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const id = webhookId(request.params);
    const form: WebhookFormInput | undefined = readWebhookForm(request.body);
    if (!form) throw badForm();
    try {
      await changeWebhook(deps, session.actor, id, form);
      return reply.redirect(`/admin/webhooks/${id}?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const detail = await getWebhook(deps, session.actor, id);
      return sendHtml(reply, 422, renderWebhookPage(site, { session, detail, form, errors: error.fieldErrors }));
    }
  });

  app.post('/admin/webhooks/:id/active', { preHandler: guard }, async (request, reply) => {
    const id = webhookId(request.params);
    const body = activeBody.safeParse(request.body ?? {});
    if (!body.success) throw badForm();
    await setWebhookActive(deps, request.staff!.actor, id, body.data.active === '1');
    return reply.redirect(`/admin/webhooks/${id}?done=${body.data.active === '1' ? 'enabled' : 'disabled'}`, 303);
  });

  app.post('/admin/webhooks/:id/rotate', { preHandler: guard }, async (request, reply) => {
    const session = request.staff!;
    const id = webhookId(request.params);
    const { secret } = await rotateWebhookSecret(deps, session.actor, id);
    return sendHtml(reply, 200, renderWebhookPage(site, { session, detail: await getWebhook(deps, session.actor, id), secret }));
  });

  app.post('/admin/webhooks/:id/delete', { preHandler: guard }, async (request, reply) => {
    await deleteWebhook(deps, request.staff!.actor, webhookId(request.params));
    return reply.redirect('/admin/webhooks?done=deleted', 303);
  });

  app.post('/admin/webhooks/:id/test', { preHandler: guard }, async (request, reply) => {
    const id = webhookId(request.params);
    await requestTestDelivery(deps, request.staff!.actor, id);
    return reply.redirect(`/admin/webhooks/${id}?done=test`, 303);
  });
}
