import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { SiteContext } from '../../views/layout.js';
import { getNewsSitemap, getSitemapFile, getSitemapIndex, sitemapKinds, type SitemapDocument, type SitemapKind } from './sitemap.service.js';
import { renderRobotsTxt } from './sitemap.views.js';
import { sendCached, type RenderedPage } from './site.routes.js';

const xml = 'application/xml; charset=utf-8';
/**
 * Every story save (publish, edit, unpublish, a scheduled story coming due) purges `lists`
 * (src/jobs/purge-cache.ts), which refreshes every sitemap; not `front`, which every approved
 * comment purges too and which sitemaps do not depend on.
 */
const keys = ['lists'];
const fileParams = z.object({
  file: z.string().regex(new RegExp(`^(${sitemapKinds.join('|')})-([1-9][0-9]{0,8})\\.xml$`)),
});

/**
 * `/robots.txt`, the sitemap index at `/sitemap.xml`, its files `/sitemaps/KIND-N.xml` and the
 * Google News sitemap `/sitemaps/news.xml`, all through the page cache (docs/seo.md).
 */
export function registerSitemapRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const pageSize = deps.config.sitemaps.pageSize;

  app.get('/robots.txt', (request, reply) =>
    sendCached(request, reply, {
      deps,
      path: '/robots.txt',
      // It names only the configured public URL: nothing at run time changes it.
      render: async () => ({ html: renderRobotsTxt(site.publicUrl), keys: ['robots'], contentType: 'text/plain; charset=utf-8' }),
    }),
  );

  app.get('/sitemap.xml', (request, reply) =>
    sendCached(request, reply, { deps, path: '/sitemap.xml', render: async () => asPage(await getSitemapIndex(deps, site, pageSize)) }),
  );

  app.get('/sitemaps/news.xml', (request, reply) =>
    sendCached(request, reply, { deps, path: '/sitemaps/news.xml', render: async () => asPage(await getNewsSitemap(deps, site)) }),
  );

  app.get('/sitemaps/:file', (request, reply) => {
    const params = fileParams.safeParse(request.params);
    const match = params.success ? /^([a-z]+)-(\d+)\.xml$/.exec(params.data.file) : null;
    if (!match) return reply.callNotFound();
    const kind = match[1] as SitemapKind;
    const page = Number(match[2]);
    return sendCached(request, reply, {
      deps,
      path: `/sitemaps/${kind}-${page}.xml`,
      render: async () => asPage(await getSitemapFile(deps, site, { kind, page, pageSize })),
    });
  });
}

function asPage(doc: SitemapDocument): RenderedPage {
  return { html: doc.xml, keys, contentType: xml, expiresAt: doc.expiresAt, lastModified: doc.lastModified };
}
