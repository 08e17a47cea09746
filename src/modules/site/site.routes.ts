import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { requestContext, wantsJson } from '../../http/request-context.js';
import type { CachedPage } from '../../platform/page-cache.js';
import type { SiteContext } from '../../views/layout.js';
import {
  listPublicComments,
  maxThreadDepth,
  parseCommentForm,
  renderComment,
  submitComment,
  type CommentFormValues,
} from '../comments/index.js';
import { getPublishedStory, listFrontPage, storyPath } from '../stories/index.js';
import { readRememberCookie, rememberCookie } from './remember-cookie.js';
import { renderFrontPage, renderStoryPage, type StoryPageOptions } from './site.views.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const storyQuery = z.object({ replytocom: z.coerce.number().int().positive().optional().catch(undefined) });
const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) });

/** A posted form field: absent → '', repeated → refused. */
const field = z
  .string()
  .optional()
  .transform((v) => v ?? '');
const id = (what: string) =>
  z
    .string({ error: `${what} is missing.` })
    .regex(/^\d{1,12}$/, `${what} is not a valid id.`)
    .transform(Number);
const commentPostBody = z.object({
  comment: field,
  author: field,
  email: field,
  url: field,
  'wp-comment-cookies-consent': field,
  comment_post_ID: id('The story this comment belongs to'),
  comment_parent: id('The comment being replied to').optional().default(0),
});

/** Public pages: the front page, story pages with their comment section, and the comment form's endpoint. */
export function registerSiteRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const secureCookies = deps.config.publicUrl.startsWith('https:');

  app.get('/', async (request, reply) => {
    const { page } = pageQuery.parse(request.query);
    const path = page === 1 ? '/' : `/?page=${page}`;
    return sendCached(request, reply, path, async () => ({
      html: renderFrontPage(site, await listFrontPage(deps, page)),
      keys: ['front'],
    }));
  });

  app.get('/stories/:slug', async (request, reply) => {
    const params = slugParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const { replytocom } = storyQuery.parse(request.query);
    const path = storyPath(params.data.slug);
    if (replytocom === undefined) {
      return sendCached(request, reply, path, async () => {
        const story = await getPublishedStory(deps, { slug: params.data.slug });
        const comments = await listPublicComments(deps, story.story.id);
        const keys = [`story:${story.story.id}`, ...(story.related ? [`story:${story.related.id}`] : [])];
        return { html: renderStoryPage(site, { page: story, comments }), keys };
      });
    }
    // The no-JavaScript reply view: per visitor (it may fill in remembered fields), never cached.
    const options = await storyPageOptions(deps, { slug: params.data.slug });
    const parent = options.comments.find((c) => c.id === replytocom);
    const remembered = readRememberCookie(request.headers.cookie);
    options.form = {
      ...(parent ? { replyTo: { id: parent.id, name: parent.author_name } } : {}),
      values: { comment: '', author: remembered?.author ?? '', email: remembered?.email ?? '', url: remembered?.url ?? '', remember: !!remembered },
    };
    return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(renderStoryPage(site, options));
  });

  app.post('/comments', async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw Object.assign(new Error('Send the comment form as application/x-www-form-urlencoded.'), { statusCode: 415 });
    }
    const body = commentPostBody.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      const message = issue?.code === 'custom' || issue?.path[0] === 'comment_post_ID' || issue?.path[0] === 'comment_parent'
        ? issue.message
        : `The form field "${String(issue?.path[0] ?? '')}" was sent more than once or in a form this site does not send.`;
      throw Object.assign(new Error(message), { statusCode: 400 });
    }
    const b = body.data;
    const values: CommentFormValues = { comment: b.comment, author: b.author, email: b.email, url: b.url, remember: b['wp-comment-cookies-consent'] === 'yes' };
    try {
      const form = parseCommentForm(values);
      const ctx = requestContext(request, deps.clock);
      const { comment, storySlug } = await submitComment(deps, ctx, { storyId: b.comment_post_ID, parentId: b.comment_parent, form });
      reply.header('set-cookie', rememberCookie(form.remember ? form : undefined, secureCookies));
      reply.header('cache-control', 'no-store');
      const path = storyPath(storySlug);
      const url = `${path}#comment-${comment.id}`;
      if (!wantsJson(request)) return reply.redirect(url, 303);
      const level = Math.min(comment.depth, maxThreadDepth);
      const html = renderComment(site, { comment, level, children: [] }, { storyId: comment.story_id, storyPath: path });
      return reply.code(201).send({ id: comment.id, status: comment.status, parentId: comment.parent_id ?? 0, level, url, html: html.value });
    } catch (error) {
      if (!(error instanceof ValidationError) || wantsJson(request)) throw error;
      return sendInvalidForm(reply, { storyId: b.comment_post_ID, parentId: b.comment_parent, values, errors: error.fieldErrors });
    }
  });

  /** 422 with the story page re-rendered: the reader's text kept, each message beside its field. */
  async function sendInvalidForm(
    reply: FastifyReply,
    o: { storyId: number; parentId: number; values: CommentFormValues; errors: Record<string, string> },
  ) {
    const options = await storyPageOptions(deps, { id: o.storyId }).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'STORY_NOT_FOUND'
        ? new DomainError('COMMENT_STORY_NOT_FOUND', 'The story you tried to comment on does not exist or is no longer published.')
        : error;
    });
    const parent = o.errors.comment_parent ? undefined : options.comments.find((c) => c.id === o.parentId);
    options.form = { values: o.values, errors: o.errors, ...(parent ? { replyTo: { id: parent.id, name: parent.author_name } } : {}) };
    return reply.code(422).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderStoryPage(site, options));
  }

  async function sendCached(
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    render: () => Promise<{ html: string; keys: string[] }>,
  ) {
    let page: CachedPage | undefined = deps.pageCache.get(path);
    if (!page) {
      const token = deps.pageCache.token();
      const rendered = await render();
      page = deps.pageCache.set(path, rendered.html, rendered.keys, token);
    }
    reply.header('etag', page.etag).header('cache-control', 'public, max-age=0, must-revalidate').header('surrogate-key', page.keys.join(' '));
    if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
    return reply.type(page.contentType).send(page.body);
  }
}

async function storyPageOptions(deps: Deps, which: { slug: string } | { id: number }): Promise<StoryPageOptions> {
  const page = await getPublishedStory(deps, which);
  return { page, comments: await listPublicComments(deps, page.story.id) };
}
