import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import type { SiteContext } from '../../views/layout.js';
import { listSearchSections, searchStories } from '../search/index.js';
import { renderSearchPage, type SearchForm } from './search.views.js';

/** One value of a query parameter (the first when repeated), as text without control characters; anything else is empty. */
const text = z
  .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().catch(''))
  .catch('')
  .transform((v) => v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''));
const searchQuery = z.object({
  q: text,
  section: text,
  from: text,
  to: text,
  page: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.coerce.number().int().min(1).catch(1)).catch(1),
});

/**
 * `/search?q=…&section=slug&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N`: published stories by relevance.
 * Each query is its own page, so it is not put in the page cache (which would fill with one-off
 * queries); a minute of caching downstream is allowed. A query the search refuses (too long, no
 * words, a bad date) answers 422 with the form and the reader's input, never a 500.
 */
export function registerSearchRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/search', async (request, reply) => {
    const query = searchQuery.parse(request.query ?? {});
    const form: SearchForm = { q: query.q, section: query.section, from: query.from, to: query.to };
    const sections = await listSearchSections(deps);
    reply.type('text/html; charset=utf-8');
    try {
      const results = await searchStories(deps, { ...form, page: query.page });
      return reply.header('cache-control', 'public, max-age=60').send(renderSearchPage(site, { form, sections, results }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'SEARCH_QUERY_INVALID') throw error;
      return reply.code(422).header('cache-control', 'no-store').send(renderSearchPage(site, { form, sections, error: error.message }));
    }
  });
}
