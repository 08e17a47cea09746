import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { SiteContext } from '../../views/layout.js';
import {
  authorPath,
  getAuthorListing,
  getSectionListing,
  getTagListing,
  listingCacheKeys,
  pagedPath,
  sectionPath,
  tagPath,
} from '../taxonomy/index.js';
import { sendCached } from './site.routes.js';
import { renderAuthorPage, renderSectionPage, renderTagPage } from './taxonomy.views.js';

const listingParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) });
const listingQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

/**
 * Public listings of the newsroom's structure: `/sections/:slug`, `/tags/:slug` and
 * `/authors/:slug`, 20 stories a page (`?page=N`), through the page cache. Unknown slugs,
 * listings without a published story and pages past the end answer 404.
 */
export function registerTaxonomyRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/sections/:slug', (request, reply) =>
    serveListing(request, reply, {
      pathOf: sectionPath,
      render: async (slug, page) => {
        const listing = await getSectionListing(deps, { slug, page });
        return { html: renderSectionPage(site, listing), keys: listingCacheKeys(`section:${listing.subject.id}`, listing.stories) };
      },
    }),
  );

  app.get('/tags/:slug', (request, reply) =>
    serveListing(request, reply, {
      pathOf: tagPath,
      render: async (slug, page) => {
        const listing = await getTagListing(deps, { slug, page });
        return { html: renderTagPage(site, listing), keys: listingCacheKeys(`tag:${listing.subject.id}`, listing.stories) };
      },
    }),
  );

  app.get('/authors/:slug', (request, reply) =>
    serveListing(request, reply, {
      pathOf: authorPath,
      render: async (slug, page) => {
        const listing = await getAuthorListing(deps, { slug, page });
        return { html: renderAuthorPage(site, listing), keys: listingCacheKeys(`author:${listing.subject.id}`, listing.stories) };
      },
    }),
  );

  async function serveListing(
    request: FastifyRequest,
    reply: FastifyReply,
    listing: { pathOf: (slug: string) => string; render: (slug: string, page: number) => Promise<{ html: string; keys: string[] }> },
  ) {
    const params = listingParams.safeParse(request.params);
    if (!params.success) return reply.callNotFound();
    const { page } = listingQuery.parse(request.query);
    const path = pagedPath(listing.pathOf(params.data.slug), page);
    return sendCached(request, reply, { deps, path, render: () => listing.render(params.data.slug, page) });
  }
}
