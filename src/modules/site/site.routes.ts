import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { CachedPage } from '../../platform/page-cache.js';
import type { SiteContext } from '../../views/layout.js';
import { listPublicComments } from '../comments/index.js';
import { getPublishedStory, listFrontPage, storyPath } from '../stories/index.js';
import { readRememberCookie } from './remember-cookie.js';
import { renderFrontPage, renderStoryPage, type StoryPageOptions } from './site.views.js';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const storyQuery = z.object({ replytocom: z.coerce.number().int().positive().optional().catch(undefined) });
const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) });

/** Public pages: the front page and story pages with their comment section. */
export function registerSiteRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
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

/** A story page's data, for views that are rendered per visitor (reply view, re-rendered form). */
export async function storyPageOptions(deps: Deps, which: { slug: string } | { id: number }): Promise<StoryPageOptions> {
  const page = await getPublishedStory(deps, which);
  return { page, comments: await listPublicComments(deps, page.story.id) };
}
