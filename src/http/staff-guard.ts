import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { assertCan, csrfTokenMatches, resolveSession, type Action, type ActiveSession } from '../modules/people/index.js';
import { readCookie } from './cookies.js';

export const sessionCookieName = 'readout_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member's session, set by staffGuard. */
    staff: ActiveSession | null;
  }
}

export interface GuardOptions {
  /** The permission the route needs (checked in the domain too). */
  action: Action;
  /** Let a person who must change their password through (the password page itself). */
  beforePasswordChange?: boolean;
}

/**
 * The guard of every staff route: a valid session (else to the sign-in page, or 401), the
 * permission, a password change first when one is due, and on state-changing requests the
 * session's CSRF token in the `_csrf` field.
 */
export function staffGuard(deps: Deps, options: GuardOptions): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const token = readCookie(request.headers.cookie, sessionCookieName);
    const session = token ? await resolveSession(deps, token, deps.clock.now()) : undefined;
    if (!session) {
      if (request.method === 'GET') return reply.redirect(`/admin/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      throw new DomainError('AUTH_REQUIRED', 'Your session has ended. Please sign in again.');
    }
    request.staff = session;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const submitted = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token'];
      if (!csrfTokenMatches(session, submitted)) {
        throw new DomainError('AUTH_CSRF_INVALID', 'This form has expired or did not come from this site. Reload the page and try again.');
      }
    }
    if (session.mustChangePassword && !options.beforePasswordChange) {
      if (request.method === 'GET') return reply.redirect('/admin/password', 303);
      throw new DomainError('AUTH_NOT_PERMITTED', 'Choose a new password before you continue.');
    }
    assertCan(session.actor, options.action);
  };
}
