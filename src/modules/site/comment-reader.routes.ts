import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { CommentRow } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { requestContext } from '../../http/request-context.js';
import type { SiteContext } from '../../views/layout.js';
import {
  commentPagePath,
  deleteOwnComment,
  editDeadline,
  editOwnComment,
  findHeldCommentForOwner,
  getEditableComment,
  getReportableComment,
  listOwnComments,
  locateComment,
  maxThreadDepth,
  moderationHash,
  pageOfComment,
  renderComment,
  renderEditCommentPage,
  renderReportCommentPage,
  renderReportThanksPage,
  reportComment,
  verifyModerationHash,
  withHeldComment,
  type CommentSettings,
} from '../comments/index.js';
import { findPublishedStory, storyPath } from '../stories/index.js';
import { readOwnerHash } from './owner-cookie.js';
import { storyPageOptions } from './site.routes.js';
import { renderStoryPage } from './site.views.js';

const idParams = z.object({ id: z.string().regex(/^\d{1,12}$/).transform(Number) });
const mineQuery = z.object({
  story: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  cpage: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
/** One text field of a posted form: absent → '', repeated (an array) → 400. */
const text = z.string().optional().transform((v) => v ?? '');
const editBody = z.object({ comment: text });
const reportBody = z.object({ reason: text, note: text });

const uncached = 'private, no-store';

/**
 * The reader's side of comments beyond posting: the permalink, this browser's own comments
 * (held ones shown to their author, edit and delete within the window), and reports.
 */
export function registerCommentReaderRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/comment/:id', async (request, reply) => {
    const { id } = parseId(request);
    const found = await locateComment(deps, id);
    if (!found) throw new DomainError('COMMENT_NOT_FOUND', 'This comment does not exist or is not published.');
    return reply.header('cache-control', 'public, max-age=60').redirect(`${commentPagePath(storyPath(found.slug), found.page)}#comment-${id}`, 302);
  });

  app.get('/comments/mine', async (request, reply) => {
    const query = mineQuery.safeParse(request.query);
    if (!query.success) throw Object.assign(new Error('Say which story: /comments/mine?story=ID.'), { statusCode: 400 });
    const { story: storyId, cpage = 1 } = query.data;
    const story = await findPublishedStory(deps, storyId);
    const own = story ? await listOwnComments(deps, requestContext(request, deps.clock), { storyId, ownerKeyHash: readOwnerHash(request.headers.cookie) }) : { held: [], editable: [] };
    const held = [];
    for (const comment of own.held) {
      if ((await pageOfComment(deps, comment)) !== cpage || !story) continue;
      held.push({ id: comment.id, parentId: comment.parent_id ?? 0, level: Math.min(comment.depth, maxThreadDepth), html: renderOwn(comment, story.slug) });
    }
    return reply.header('cache-control', uncached).send({ held, editable: own.editable });
  });

  app.get('/comments/:id/edit', async (request, reply) => {
    const ctx = requestContext(request, deps.clock);
    const comment = await getEditableComment(deps, ctx, { commentId: parseId(request).id, ownerKeyHash: readOwnerHash(request.headers.cookie) });
    return sendEditPage(reply, 200, { comment });
  });

  app.post('/comments/:id/edit', async (request, reply) => {
    const who = { commentId: parseId(request).id, ownerKeyHash: readOwnerHash(request.headers.cookie) };
    const body = parseBody(editBody, request);
    try {
      const edited = await editOwnComment(deps, requestContext(request, deps.clock), { ...who, text: body.comment });
      return reply.header('cache-control', 'no-store').redirect(await ownCommentLocation(deps, edited), 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const comment = await getEditableComment(deps, requestContext(request, deps.clock), who);
      return sendEditPage(reply, 422, { comment, text: body.comment, errors: error.fieldErrors });
    }
  });

  app.post('/comments/:id/delete', async (request, reply) => {
    const who = { commentId: parseId(request).id, ownerKeyHash: readOwnerHash(request.headers.cookie) };
    const deleted = await deleteOwnComment(deps, requestContext(request, deps.clock), who);
    const story = await findPublishedStory(deps, deleted.story_id);
    const page = await pageOfComment(deps, deleted);
    return reply.header('cache-control', 'no-store').redirect(story ? `${commentPagePath(storyPath(story.slug), page)}#comments` : '/', 303);
  });

  app.get('/comments/:id/report', async (request, reply) => {
    const comment = await getReportableComment(deps, parseId(request).id);
    return reply.header('cache-control', uncached).type('text/html; charset=utf-8').send(renderReportCommentPage(site, { comment }));
  });

  app.post('/comments/:id/report', async (request, reply) => {
    const commentId = parseId(request).id;
    const body = parseBody(reportBody, request);
    try {
      await reportComment(deps, requestContext(request, deps.clock), { commentId, ...body });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const comment = await getReportableComment(deps, commentId);
      const page = renderReportCommentPage(site, { comment, values: body, errors: error.fieldErrors });
      return reply.code(422).header('cache-control', uncached).type('text/html; charset=utf-8').send(page);
    }
    return reply.header('cache-control', uncached).type('text/html; charset=utf-8').send(renderReportThanksPage(site, { commentId }));
  });

  function renderOwn(comment: CommentRow, slug: string): string {
    const level = Math.min(comment.depth, maxThreadDepth);
    return renderComment(site, { comment, level, children: [] }, { storyId: comment.story_id, storyPath: storyPath(slug) }).value;
  }

  async function sendEditPage(reply: FastifyReply, status: number, o: { comment: CommentRow; text?: string; errors?: Record<string, string> }) {
    const story = await findPublishedStory(deps, o.comment.story_id);
    const until = await editDeadline(deps, o.comment);
    const page = renderEditCommentPage(site, { ...o, storyPath: story ? storyPath(story.slug) : '/', until });
    return reply.code(status).header('cache-control', uncached).type('text/html; charset=utf-8').send(page);
  }
}

/**
 * Where a reader goes after posting or editing their comment without JavaScript: the page of the
 * story that shows it, or, while it is held, WordPress's held-comment address, which shows it to
 * this browser alone (`?unapproved=ID&moderation-hash=HASH`).
 */
export async function ownCommentLocation(
  deps: Deps,
  comment: CommentRow,
  known: { slug?: string; settings?: CommentSettings; page?: number | undefined } = {},
): Promise<string> {
  const { slug, settings, page } = known;
  const storySlug = slug ?? (await findPublishedStory(deps, comment.story_id))?.slug;
  if (!storySlug) return '/';
  const path = storyPath(storySlug);
  if (comment.status === 'pending' || comment.status === 'spam') {
    return `${path}?unapproved=${comment.id}&moderation-hash=${moderationHash(deps.ipSalt, comment.id)}#comment-${comment.id}`;
  }
  return `${commentPagePath(path, page ?? (await pageOfComment(deps, comment, settings)))}#comment-${comment.id}`;
}

/**
 * GET /stories/SLUG?unapproved=ID&moderation-hash=HASH: the story page (the page of comments the
 * held comment belongs on) with the held comment in place, marked as awaiting moderation, only
 * when the hash matches and this browser posted it. Never cached; everyone else sees the public page.
 */
export async function serveHeldCommentView(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { deps: Deps; site: SiteContext; slug: string; commentId: number; hash: string },
) {
  const options = await storyPageOptions(o.deps, { slug: o.slug }, { around: o.commentId });
  const held = verifyModerationHash(o.deps.ipSalt, o.commentId, o.hash)
    ? await findHeldCommentForOwner(o.deps, { commentId: o.commentId, storyId: options.page.story.id, ownerKeyHash: readOwnerHash(request.headers.cookie) })
    : undefined;
  if (held) options.comments = withHeldComment(options.comments, held, options.pagination?.newestFirst ?? false);
  const page = renderStoryPage(o.site, options);
  return reply.header('cache-control', uncached).type('text/html; charset=utf-8').send(page);
}

function parseId(request: FastifyRequest): { id: number } {
  const params = idParams.safeParse(request.params);
  if (!params.success) throw new DomainError('COMMENT_NOT_FOUND', 'This comment does not exist or has been removed.');
  return params.data;
}

function parseBody<T extends z.ZodType>(schema: T, request: FastifyRequest): z.output<T> {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    throw Object.assign(new Error('Send the form as application/x-www-form-urlencoded.'), { statusCode: 415 });
  }
  const body = schema.safeParse(request.body ?? {});
  if (!body.success) throw Object.assign(new Error('A form field was sent more than once or in a form this site does not send.'), { statusCode: 400 });
  return body.data;
}
