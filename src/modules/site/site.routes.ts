import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import type { CachedPage } from '../../platform/page-cache.js';
import type { SiteContext } from '../../views/layout.js';
import { listPublicComments } from '../comments/index.js';
import { listCorrectionsPage, listStoryCorrections, renderCorrectionsPage } from '../corrections/index.js';
import { findRedirectForSlug, getPublishedStory, listFrontPage, storyPath } from '../stories/index.js';
import { readRememberCookie } from './remember-cookie.js';
import { renderFrontPage, renderStoryPage, type StoryPageOptions } from './site.views.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const storyQuery = z.object({ replytocom: z.coerce.number().int().positive().optional().catch(undefined) });
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
    const { replytocom } = storyQuery.parse(request.query);
    const path = storyPath(slug);
    if (replytocom === undefined) {
      return sendCached(request, reply, {
        deps,
        path,
        render: async () => {
          const story = await getPublishedStory(deps, { slug });
          const [comments, corrections] = await Promise.all([listPublicComments(deps, story.story.id), listStoryCorrections(deps, story.story.id)]);
          const keys = [`story:${story.story.id}`, ...(story.related ? [`story:${story.related.id}`] : [])];
          return { html: renderStoryPage(site, { page: story, comments, corrections }), keys };
        },
      });
    }
    // The no-JavaScript reply view: per visitor (it may fill in remembered fields), never cached.
    const options = await storyPageOptions(deps, { slug });
    const parent = options.comments.find((c) => c.id === replytocom);
    const remembered = readRememberCookie(request.headers.cookie);
    options.form = {
      ...(parent ? { replyTo: { id: parent.id, name: parent.author_name } } : {}),
      values: { comment: '', author: remembered?.author ?? '', email: remembered?.email ?? '', url: remembered?.url ?? '', remember: !!remembered },
    };
    return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(renderStoryPage(site, options));
  }
}

/**
 * Serves a public page through the page cache under `path` (with its query, e.g. `/?page=2`):
 * a hit is sent as stored; a miss is rendered, stored with the surrogate keys of everything it
 * shows (unless a purge raced the render) and sent. `ETag`, `Cache-Control` and `Surrogate-Key`
 * headers either way, and `304` for a matching `If-None-Match`. An error thrown by `render`
 * (a 404, say) is not cached.
 */
export async function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { deps: Pick<Deps, 'pageCache'>; path: string; render: () => Promise<{ html: string; keys: string[] }> },
) {
  const { pageCache } = options.deps;
  let page: CachedPage | undefined = pageCache.get(options.path);
  if (!page) {
    const token = pageCache.token();
    const rendered = await options.render();
    page = pageCache.set(options.path, rendered.html, rendered.keys, token);
  }
  reply.header('etag', page.etag).header('cache-control', 'public, max-age=0, must-revalidate').header('surrogate-key', page.keys.join(' '));
  if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
  return reply.type(page.contentType).send(page.body);
}

/** A story page's data, for views that are rendered per visitor (reply view, re-rendered form). */
export async function storyPageOptions(deps: Deps, which: { slug: string } | { id: number }): Promise<StoryPageOptions> {
  const page = await getPublishedStory(deps, which);
  const [comments, corrections] = await Promise.all([listPublicComments(deps, page.story.id), listStoryCorrections(deps, page.story.id)]);
  return { page, comments, corrections };
}
