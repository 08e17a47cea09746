import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { answerFromCache, preferredCoding } from '../../http/cached-response.js';
import { storedPage } from '../../platform/page-cache.js';
import type { SiteContext } from '../../views/layout.js';
import { commentPagePath, commentsAreOpen, commentsCloseAt, getCommentPage, getCommentPageAround, issueFormToken, loadCommentSettings, type CommentPage } from '../comments/index.js';
import { listCorrectionsPage, listStoryCorrections, renderCorrectionsPage } from '../corrections/index.js';
import { findRedirectForSlug, getPublishedStoryRow, getStoryPageOf, listFrontPage, storyPath } from '../stories/index.js';
import { serveHeldCommentView } from './comment-reader.routes.js';
import { readRememberCookie } from './remember-cookie.js';
import { renderFrontPage, renderStoryPage, type StoryPageOptions } from './site.views.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const optionalId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined);
const storyQuery = z.object({
  replytocom: optionalId,
  /** A page of a long comment section (comments.pages.ts). */
  cpage: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  /** WordPress's held-comment address for its author: ?unapproved=ID&moderation-hash=HASH. */
  unapproved: optionalId,
  'moderation-hash': z.string().max(200).optional().catch(undefined),
});
const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) });

/** Public pages: the front page, story pages with their comment section, and the corrections list. */
export function registerSiteRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/', async (request, reply) => {
    const { page } = pageQuery.parse(request.query);
    const path = page === 1 ? '/' : `/?page=${page}`;
    return sendCached(request, reply, {
      deps,
      path,
      render: async () => ({ html: renderFrontPage(site, await listFrontPage(deps, page)), keys: ['front'] }),
    });
  });

  app.get('/corrections', async (request, reply) => {
    const { page } = pageQuery.parse(request.query);
    const path = page === 1 ? '/corrections' : `/corrections?page=${page}`;
    return sendCached(request, reply, {
      deps,
      path,
      render: async () => {
        const list = await listCorrectionsPage(deps, page);
        // `lists` too: a story republished with its corrections reappears here although this page never named it.
        const stories = [...new Set(list.corrections.map((c) => `story:${c.story_id}`))];
        return { html: renderCorrectionsPage(site, list), keys: ['corrections', 'lists', ...stories] };
      },
    });
  });

  app.get('/stories/:slug', async (request, reply) => {
    const params = slugParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    return serveStory(request, reply, params.data.slug).catch(async (error: unknown) => {
      // A slug the story had before answers with a 301 to its current address (checked only on a miss).
      const moved = error instanceof DomainError && error.code === 'STORY_NOT_FOUND' ? await findRedirectForSlug(deps, params.data.slug) : undefined;
      if (!moved) throw error;
      return reply.header('cache-control', 'public, max-age=3600').redirect(storyPath(moved), 301);
    });
  });

  async function serveStory(request: FastifyRequest, reply: FastifyReply, slug: string) {
    const query = storyQuery.parse(request.query);
    const { replytocom } = query;
    if (query.unapproved !== undefined) {
      return serveHeldCommentView(request, reply, { deps, site, slug, commentId: query.unapproved, hash: query['moderation-hash'] ?? '' });
    }
    if (replytocom === undefined) {
      const cpage = query.cpage ?? 1;
      return sendCached(request, reply, {
        deps,
        // Each page of comments is cached under its own address; canonical stays the story's.
        path: commentPagePath(storyPath(slug), cpage),
        render: async () => {
          const options = await storyPageOptions(deps, { slug }, { cpage });
          const story = options.page;
          const keys = [`story:${story.story.id}`, ...(story.related ? [`story:${story.related.id}`] : []), 'comment-settings'];
          // A page with an open comment form goes stale when comments close by themselves (auto-close).
          return { html: renderStoryPage(site, options), keys, expiresAt: options.closesAt ?? undefined };
        },
      });
    }
    // The no-JavaScript reply view: per visitor (it may fill in remembered fields), never cached.
    const options = await storyPageOptions(deps, { slug }, { around: replytocom });
    const parent = options.comments.find((c) => c.id === replytocom);
    const remembered = readRememberCookie(request.headers.cookie);
    options.form = {
      ...options.form,
      ...(parent ? { replyTo: { id: parent.id, name: parent.author_name } } : {}),
      values: { comment: '', author: remembered?.author ?? '', email: remembered?.email ?? '', url: remembered?.url ?? '', remember: !!remembered },
    };
    return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(renderStoryPage(site, options));
  }
}

export interface RenderedPage {
  html: string;
  keys: string[];
  expiresAt?: Date | undefined;
  contentType?: string | undefined;
  /** The newest change among what the page shows (the `Last-Modified` header); omitted: when it was rendered. */
  lastModified?: Date | undefined;
}

/**
 * Serves a public page through the page cache under `path` (with its query, e.g. `/?page=2`):
 * a hit is sent as stored; a miss is rendered (once, however many readers wait for it), stored
 * with the surrogate keys of everything it shows (unless a purge raced the render) and sent; its
 * compressed forms are made in the background (PageCache.fill). `ETag`, `Last-Modified`,
 * `Cache-Control` and `Surrogate-Key` headers either way, the stored form the client accepts,
 * and `304` for a matching `If-None-Match` or `If-Modified-Since` (src/http/cached-response.ts).
 * An error thrown by `render` (a 404, say) is not cached. Hits on the page's own address are
 * usually served before routing (pageCacheFastPath); this path serves the rest.
 */
export async function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    deps: Pick<Deps, 'pageCache' | 'clock'>;
    path: string;
    /**
     * The page (HTML unless `contentType` says otherwise: feeds, sitemaps), the surrogate keys of
     * what it shows, when it goes stale by itself (if ever) and when what it shows last changed.
     */
    render: () => Promise<RenderedPage>;
  },
) {
  const { pageCache, clock } = options.deps;
  const now = clock.now().getTime();
  const page =
    pageCache.get(options.path, now) ??
    (await pageCache.fill(options.path, async () => {
      const rendered = await options.render();
      return storedPage(rendered.html, rendered.keys, pageCache.policy, {
        contentType: rendered.contentType,
        expiresAt: rendered.expiresAt?.getTime(),
        lastModified: rendered.lastModified?.getTime(),
        now,
      });
    }));
  // A miss (or a hit before its stored forms are made) is compressed on the spot, quickly.
  const answer = answerFromCache(pageCache.formFor(options.path, page, preferredCoding(request.headers['accept-encoding'])), request.headers);
  reply.headers(answer.headers);
  if (answer.status === 304) return reply.code(304).send();
  return reply.send(answer.form.body);
}

/**
 * A story page's data with one page of its comments: `cpage` (404 past the last page), or the page
 * showing comment `around` (reply view, re-rendered form), or page 1; and when its comments close
 * by themselves (null: never, or closed already), which ends a cached copy.
 */
export async function storyPageOptions(
  deps: Deps,
  which: { slug: string } | { id: number },
  view: { cpage?: number; around?: number } = {},
): Promise<StoryPageOptions & { closesAt: Date | null }> {
  const [story, settings] = await Promise.all([getPublishedStoryRow(deps, which), loadCommentSettings(deps)]);
  const id = story.id;
  // The story's other parts, its page of comments and its corrections are read at the same time
  // (on PostgreSQL each read is a round trip; a page of comments is one, with the approved count beside it).
  const [page, comments, corrections] = await Promise.all([
    getStoryPageOf(deps, story),
    view.around !== undefined ? getCommentPageAround(deps, story, view.around, settings) : getCommentPage(deps, story, view.cpage ?? 1, settings),
    listStoryCorrections(deps, id),
  ]);
  if (!comments) throw new DomainError('COMMENT_NOT_FOUND', `This story has no page ${view.cpage ?? 1} of comments.`);
  // The comment form's signed timestamp (spam defence); on a cached page the browser script refreshes it.
  const now = deps.clock.now();
  const closed = !commentsAreOpen(page.story, settings, now);
  const options = withCommentPage({ page, comments: [], corrections, form: { formToken: issueFormToken(deps, now), ...(closed ? { closed } : {}) } }, comments);
  return { ...options, closesAt: closed ? null : commentsCloseAt(page.story, settings) };
}

/** Puts a page of comments (and its numbers) into a story page's options. */
export function withCommentPage(options: StoryPageOptions, page: CommentPage): StoryPageOptions {
  const { comments, ...pagination } = page;
  return { ...options, comments, pagination };
}
