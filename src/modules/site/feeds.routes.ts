import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import type { SiteContext } from '../../views/layout.js';
import { buildFeed, feedBasePath, feedContentTypes, feedFiles, feedPath, renderFeed, type FeedFormat, type FeedSubject } from '../feeds/index.js';
import { findRedirectForSlug } from '../stories/index.js';
import { sendCached } from './site.routes.js';

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) });
const formats = Object.keys(feedFiles) as FeedFormat[];

/**
 * Public feeds in RSS 2.0, Atom 1.0 and JSON Feed 1.1 (feeds.paths.ts says where), through the
 * page cache with the keys of what they show and `Last-Modified` from the newest change in them.
 * An unknown section, tag, author or story answers 404; a story's old slug, 301 to its feed.
 */
export function registerFeedRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  for (const format of formats) {
    const file = feedFiles[format];
    app.get(`/feed/${file}`, (request, reply) => serveFeed(request, reply, { kind: 'site' }, format));
    app.get(`/comments/feed/${file}`, (request, reply) => serveFeed(request, reply, { kind: 'comments' }, format));
    for (const kind of ['section', 'tag', 'author'] as const) {
      const base = feedBasePath({ kind, slug: ':slug' });
      app.get(`${base}/${file}`, (request, reply) => withSlug(request, reply, (slug) => serveFeed(request, reply, { kind, slug }, format)));
    }
    app.get(`${feedBasePath({ kind: 'story-comments', slug: ':slug' })}/${file}`, (request, reply) =>
      withSlug(request, reply, (slug) =>
        serveFeed(request, reply, { kind: 'story-comments', slug }, format).catch(async (error: unknown) => {
          // A slug the story had before: 301 to the feed at its current address.
          const moved = error instanceof DomainError && error.code === 'STORY_NOT_FOUND' ? await findRedirectForSlug(deps, slug) : undefined;
          if (!moved) throw error;
          return reply.header('cache-control', 'public, max-age=3600').redirect(feedPath({ kind: 'story-comments', slug: moved }, format), 301);
        }),
      ),
    );
  }

  function withSlug(request: FastifyRequest, reply: FastifyReply, serve: (slug: string) => Promise<unknown>) {
    const params = slugParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    return serve(params.data.slug);
  }

  function serveFeed(request: FastifyRequest, reply: FastifyReply, subject: FeedSubject, format: FeedFormat) {
    return sendCached(request, reply, {
      deps,
      path: feedPath(subject, format),
      render: async () => {
        const { feed, keys, lastModified } = await buildFeed(deps, site, subject);
        return { html: renderFeed(feed, format), keys, contentType: feedContentTypes[format], lastModified };
      },
    });
  }
}
