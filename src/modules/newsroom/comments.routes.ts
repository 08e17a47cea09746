import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { ValidationError, type FieldErrors } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import {
  countModerationQueue,
  editCommentAsModerator,
  getCommentForModeration,
  listModerationQueue,
  moderateMany,
  moderateOne,
  queueViews,
  replyAsNewsroom,
  restoreComment,
  type ModerationAction,
} from '../comments/index.js';
import type { ActiveSession } from '../people/index.js';
import { renderCommentDetail, renderQueue } from './comments.views.js';

const pageSize = 50;
const doneValues = ['approve', 'hold', 'spam', 'trash', 'restore', 'edit', 'reply'] as const;
type Done = (typeof doneValues)[number];
const doneWords: Record<Done, string> = { approve: 'approved', hold: 'held', spam: 'marked as spam', trash: 'moved to trash', restore: 'restored', edit: 'edited', reply: 'answered' };

const queueQuery = z.object({
  view: z.enum(queueViews).optional().catch(undefined),
  commenter: z.string().regex(/^[\w-]{1,64}$/).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  done: z.enum(doneValues).optional().catch(undefined),
  n: z.coerce.number().int().min(0).max(10_000).optional().catch(undefined),
});
const idParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const actionBody = z.object({ action: z.enum(['approve', 'hold', 'spam', 'trash', 'restore']) });
const bulkBody = z.object({
  action: z.enum(['approve', 'hold', 'spam', 'trash']),
  ids: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0)),
});

/** Where an action sends the moderator back: a queue view or a detail page of this admin, nothing else. */
function backTo(body: Record<string, unknown>, fallback: string, done: { done: Done; n?: number }): string {
  const raw = typeof body.back === 'string' && /^\/admin\/comments(?:\/\d+)?(?:\?[^#]*)?$/.test(body.back) ? body.back : fallback;
  const url = new URL(raw, 'http://x');
  url.searchParams.set('done', done.done);
  if (done.n !== undefined) url.searchParams.set('n', String(done.n));
  else url.searchParams.delete('n');
  return `${url.pathname}${url.search}`;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw Object.assign(new Error(`The form field "${name}" was sent more than once.`), { statusCode: 400 });
  return value;
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** The moderation queue, a comment's detail page, and the moderators' actions (each one click, and in bulk). */
export function registerCommentAdminRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'comment.moderate' });

  app.get('/admin/comments', { preHandler: guard }, async (request, reply) => {
    const q = queueQuery.parse(request.query);
    const session = request.staff!;
    const view = q.view ?? (q.commenter ? 'all' : 'attention');
    const [page, waiting] = await Promise.all([
      listModerationQueue(deps, session.actor, { view, limit: pageSize, ...(q.commenter ? { emailKey: q.commenter } : {}), ...(q.before ? { beforeId: q.before } : {}) }),
      countModerationQueue(deps, session.actor),
    ]);
    const back = new URL(request.url, 'http://x');
    back.searchParams.delete('done');
    back.searchParams.delete('n');
    const notice = q.done ? (q.n === undefined ? `Comment ${doneWords[q.done]}.` : `${q.n} ${q.n === 1 ? 'comment' : 'comments'} ${doneWords[q.done]}.`) : undefined;
    return sendHtml(
      reply,
      200,
      renderQueue(site, { session, view, ...(q.commenter ? { commenter: q.commenter } : {}), ...page, paged: q.before !== undefined, waiting, back: `${back.pathname}${back.search}`, ...(notice ? { notice } : {}) }),
    );
  });

  app.get('/admin/comments/:id', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const { done } = queueQuery.parse(request.query);
    return sendDetail(reply, 200, request.staff!, id, done ? { notice: `Comment ${doneWords[done]}.` } : {});
  });

  app.post('/admin/comments/bulk', { preHandler: guard }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = bulkBody.safeParse(body);
    if (!form.success) throw new ValidationError({ action: 'Choose what to do with the ticked comments.' });
    const { changed } = await moderateMany(deps, request.staff!.actor, { commentIds: form.data.ids, action: form.data.action });
    return reply.redirect(backTo(body, '/admin/comments', { done: form.data.action, n: changed }), 303);
  });

  app.post('/admin/comments/:id/moderate', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = actionBody.safeParse(body);
    if (!parsed.success) throw new ValidationError({ action: 'Choose approve, hold, spam, trash or restore.' });
    const { action } = parsed.data;
    const actor = request.staff!.actor;
    if (action === 'restore') await restoreComment(deps, actor, id);
    else await moderateOne(deps, actor, id, action satisfies ModerationAction);
    return reply.redirect(`${backTo(body, `/admin/comments/${id}`, { done: action })}#c-${id}`, 303);
  });

  app.post('/admin/comments/:id/edit', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const value = text((request.body ?? {}) as Record<string, unknown>, 'comment');
    try {
      await editCommentAsModerator(deps, request.staff!.actor, { commentId: id, body: value });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendDetail(reply, 422, request.staff!, id, { errors: error.fieldErrors, editText: value });
    }
    return reply.redirect(`/admin/comments/${id}?done=edit`, 303);
  });

  app.post('/admin/comments/:id/reply', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const value = text((request.body ?? {}) as Record<string, unknown>, 'reply');
    try {
      await replyAsNewsroom(deps, request.staff!.actor, { commentId: id, body: value, userAgent: String(request.headers['user-agent'] ?? '') });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendDetail(reply, 422, request.staff!, id, { errors: error.fieldErrors, replyText: value });
    }
    return reply.redirect(`/admin/comments/${id}?done=reply`, 303);
  });

  async function sendDetail(reply: FastifyReply, status: number, session: ActiveSession, id: number, o: { notice?: string; errors?: FieldErrors; editText?: string; replyText?: string }) {
    const [detail, waiting] = await Promise.all([getCommentForModeration(deps, session.actor, id), countModerationQueue(deps, session.actor)]);
    return sendHtml(reply, status, renderCommentDetail(site, { session, detail, waiting, siteName: site.siteName, ...o }));
  }
}
