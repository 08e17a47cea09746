import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, RateLimitedError, ValidationError, type ErrorKind } from '../../errors.js';
import { requestContext, wantsJson } from '../../http/request-context.js';
import type { SiteContext } from '../../views/layout.js';
import {
  enforceCommentRateLimits,
  formTokenField,
  honeypotField,
  issueFormToken,
  maxThreadDepth,
  readFormAge,
  parseCommentForm,
  renderComment,
  submitComment,
  type CommentFormValues,
  type SubmittedComment,
} from '../comments/index.js';
import { storyPath } from '../stories/index.js';
import { ownCommentLocation } from './comment-reader.routes.js';
import { ownerForPost } from './owner-cookie.js';
import { rememberCookie } from './remember-cookie.js';
import { storyPageOptions } from './site.routes.js';
import { renderStoryPage } from './site.views.js';

/** A posted text field: absent → '', repeated (an array) → refused. */
const field = z
  .string()
  .optional()
  .transform((v) => v ?? '');
const id = (what: string) =>
  z
    .string({ error: `${what} is missing.` })
    .regex(/^\d{1,12}$/, `${what} is not a valid id.`)
    .transform(Number);

/** The comment form as WordPress names its fields (DESIGN.md §1). */
const commentPostBody = z.object({
  comment: field,
  author: field,
  email: field,
  url: field,
  'wp-comment-cookies-consent': field,
  subscribe_comments: field,
  comment_post_ID: id('The story this comment belongs to'),
  comment_parent: id('The comment being replied to').optional().default(0),
  [formTokenField]: field,
  [honeypotField]: field,
});

interface CommentPost {
  storyId: number;
  parentId: number;
  values: CommentFormValues;
  /** The hidden honeypot field and the form's signed timestamp (spam defence, docs/comments.md). */
  honeypot: string;
  formToken: string;
}

/** Refusals that re-render the story page with the reader's text kept (or answer JSON), by kind. */
const formRefusalStatus: Partial<Record<ErrorKind, number>> = { invalid: 422, conflict: 409, rate_limited: 429 };

/**
 * POST /comments: the comment form (x-www-form-urlencoded). 303 to the new comment, or 422 with
 * the story page re-rendered; with `Accept: application/json`, 201 or 422 as JSON (DESIGN.md §4).
 */
export function registerCommentPostRoute(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const secureCookies = deps.config.publicUrl.startsWith('https:');

  app.post('/comments', async (request, reply) => {
    const post = readCommentPost(request);
    const ctx = requestContext(request, deps.clock);
    try {
      const form = parseCommentForm(post.values);
      await enforceCommentRateLimits(deps, ctx, form.email);
      const signals = { honeypot: post.honeypot, formAgeSeconds: readFormAge(deps, post.formToken, ctx.now) };
      // This browser's owner key (a new one on its first comment): it alone sees, edits and deletes the comment.
      const owner = ownerForPost(request.headers.cookie, secureCookies);
      const submitted = await submitComment(deps, ctx, { storyId: post.storyId, parentId: post.parentId, form, signals, ownerKeyHash: owner.hash });
      reply.header('set-cookie', [rememberCookie(form.remember ? form : undefined, secureCookies), ...owner.setCookies]).header('cache-control', 'no-store');
      return sendPosted(request, reply, submitted);
    } catch (error) {
      if (!(error instanceof DomainError) || !formRefusalStatus[error.kind] || wantsJson(request)) throw error;
      return sendInvalidForm(reply, post, error);
    }
  });

  // A fresh signed timestamp for the comment form of a cached page (the browser script asks on load).
  app.get('/comments/form-token', (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ field: formTokenField, token: issueFormToken(deps, deps.clock.now()) }),
  );

  async function sendPosted(request: FastifyRequest, reply: FastifyReply, { comment, storySlug, parent, settings, page }: SubmittedComment) {
    const path = storyPath(storySlug);
    const url = `${path}#comment-${comment.id}`;
    if (!wantsJson(request)) return reply.redirect(await ownCommentLocation(deps, comment, { slug: storySlug, settings, page }), 303);
    const level = Math.min(comment.depth, maxThreadDepth);
    const inReplyTo = parent && comment.depth > maxThreadDepth ? { id: parent.id, name: parent.author_name } : undefined;
    const html = renderComment(site, { comment, level, children: [], ...(inReplyTo ? { inReplyTo } : {}) }, { storyId: comment.story_id, storyPath: path });
    return reply.code(201).send({ id: comment.id, status: comment.status, parentId: comment.parent_id ?? 0, level, url, html: html.value });
  }

  /**
   * The story page re-rendered with the reader's text kept and a fresh form timestamp: 422 with
   * each message beside its field, or the refusal's message over the form (409 duplicate, 429 too many).
   */
  async function sendInvalidForm(reply: FastifyReply, post: CommentPost, refusal: DomainError) {
    const errors = refusal instanceof ValidationError ? refusal.fieldErrors : {};
    const formError = refusal instanceof ValidationError ? undefined : refusal.message;
    if (refusal instanceof RateLimitedError) reply.header('retry-after', String(refusal.retryAfterSeconds));
    // The page of comments that shows the comment replied to (a reply from page 3 stays on page 3).
    const options = await storyPageOptions(deps, { id: post.storyId }, post.parentId ? { around: post.parentId } : {}).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'STORY_NOT_FOUND'
        ? new DomainError('COMMENT_STORY_NOT_FOUND', 'The story you tried to comment on does not exist or is no longer published.')
        : error;
    });
    const parent = errors.comment_parent ? undefined : options.comments.find((c) => c.id === post.parentId);
    options.form = {
      values: post.values,
      errors,
      formToken: issueFormToken(deps, deps.clock.now()),
      ...(formError ? { formError } : {}),
      ...(parent ? { replyTo: { id: parent.id, name: parent.author_name } } : {}),
    };
    return reply.code(formRefusalStatus[refusal.kind] ?? 422).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderStoryPage(site, options));
  }
}

/** Checks the request's shape (content type, ids, no repeated fields); 415/400 with a message otherwise. */
function readCommentPost(request: FastifyRequest): CommentPost {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    throw Object.assign(new Error('Send the comment form as application/x-www-form-urlencoded.'), { statusCode: 415 });
  }
  const body = commentPostBody.safeParse(request.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    const name = String(issue?.path[0] ?? '');
    const message =
      name === 'comment_post_ID' || name === 'comment_parent'
        ? (issue?.message ?? 'The form is incomplete.')
        : `The form field "${name}" was sent more than once or in a form this site does not send.`;
    throw Object.assign(new Error(message), { statusCode: 400 });
  }
  const b = body.data;
  return {
    storyId: b.comment_post_ID,
    parentId: b.comment_parent,
    values: {
      comment: b.comment,
      author: b.author,
      email: b.email,
      url: b.url,
      remember: b['wp-comment-cookies-consent'] === 'yes',
      notify: b.subscribe_comments === 'subscribe',
    },
    honeypot: b[honeypotField],
    formToken: b[formTokenField],
  };
}
