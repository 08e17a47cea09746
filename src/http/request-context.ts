import type { FastifyRequest } from 'fastify';
import type { Clock, RequestContext } from '../deps.js';

/** The request facts a service may use. The client IP is resolved under TRUST_PROXY by Fastify. */
export function requestContext(request: FastifyRequest, clock: Clock): RequestContext {
  const ua = request.headers['user-agent'];
  return { now: clock.now(), ip: request.ip, userAgent: typeof ua === 'string' ? ua : '', requestId: request.id };
}

/** True when the client asked for JSON rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /application\/json/.test(accept) && !/text\/html/.test(accept);
}
