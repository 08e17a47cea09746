import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { assertCan, resolveApiToken, type Action, type Actor } from '../modules/people/index.js';
import { readCookie } from './cookies.js';
import { sessionCookieName } from './staff-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff member an API token acts for, set by apiGuard. */
    apiActor: Actor | null;
  }
}

const challenge = 'Bearer realm="readout"';
const bearer = /^Bearer +([^\s]+) *$/i;

/**
 * The guard of every /api/ route, run before the body is read: a personal API token in
 * `Authorization: Bearer …` (else 401 with a `WWW-Authenticate` challenge), then the permission.
 * The newsroom session cookie is refused: the API takes no cookies, so it needs no CSRF token.
 */
export function apiGuard(deps: Deps, options: { action: Action }): onRequestAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      reply.header('www-authenticate', challenge);
      if (readCookie(request.headers.cookie, sessionCookieName) !== undefined) {
        throw new DomainError(
          'API_SESSION_COOKIE_REFUSED',
          'The API does not accept the newsroom sign-in cookie. Send an API token as "Authorization: Bearer TOKEN"; create one at /admin/tokens.',
        );
      }
      throw new DomainError('AUTH_REQUIRED', 'Send an API token as "Authorization: Bearer TOKEN"; create one at /admin/tokens.');
    }
    const token = bearer.exec(header)?.[1];
    const actor = token === undefined ? undefined : await resolveApiToken(deps, token);
    if (!actor) {
      reply.header('www-authenticate', `${challenge}, error="invalid_token"`);
      throw new DomainError('API_TOKEN_INVALID', 'This API token is not valid: it is malformed, unknown or revoked, or its account may no longer sign in.');
    }
    request.apiActor = actor;
    assertCan(actor, options.action);
  };
}
