import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one route exempt, by its declared pattern (not the raw URL, so no other path can borrow it):
 * RFC 8058 one-click unsubscribe, which the recipient's mail provider POSTs from its own servers,
 * with a foreign Origin or none and without cookies. Letting it through weakens nothing: it reads
 * no session or cookie, the signed token in its URL is its whole authority, and its only effect is
 * to stop mail to that token's owner. A forged cross-site POST would need the token from the mail,
 * and could then only do what the link in that mail does anyway.
 */
const crossSiteAllowedRoutes = new Set(['POST /unsubscribe']);

/**
 * Refuses state-changing requests that a browser marks as coming from another site
 * (Fetch Metadata `Sec-Fetch-Site`, then `Origin`). This needs no per-visitor token, so public
 * pages with forms stay cacheable. Requests without either header (non-browser clients) pass:
 * a browser always sends at least one of them on a cross-site POST.
 */
export function installCrossSiteCheck(app: FastifyInstance, options: { publicOrigin: string }): void {
  app.addHook('preHandler', async (request) => {
    if (!unsafeMethods.has(request.method)) return;
    if (crossSiteAllowedRoutes.has(`${request.method} ${request.routeOptions.url}`)) return;
    if (isCrossSite(request, options.publicOrigin)) {
      throw new DomainError('REQUEST_CROSS_SITE', 'This form was sent from another site, so it was refused. Please post it from this site.');
    }
  });
}

export function isCrossSite(request: Pick<FastifyRequest, 'headers' | 'protocol' | 'host'>, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  return origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`;
}
