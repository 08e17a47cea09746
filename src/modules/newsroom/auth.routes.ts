import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { readCookie, serializeCookie } from '../../http/cookies.js';
import { requestContext } from '../../http/request-context.js';
import { sessionCookieName, staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import {
  changePassword,
  requestPasswordReset,
  resetPasswordWithToken,
  resolveSession,
  signIn,
  signOut,
  signOutEverywhere,
} from '../people/index.js';
import { renderDashboard, renderForgotPasswordPage, renderPasswordPage, renderResetPasswordPage, renderSignInPage } from './newsroom.views.js';

const text = (max: number) => z.string().max(max).optional().default('');
const signInBody = z.object({ email: text(254), password: text(200), next: text(2_000) });
const passwordBody = z.object({ current: text(200), next: text(400), confirm: text(400) });
const nextQuery = z.object({ next: z.string().max(2_000).optional().catch(undefined) });

/** Only a path on this site may be a destination after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/|$|\?)/.test(next) ? next : '/admin';
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** Sign-in, sign-out, the dashboard and the password page. */
export function registerAuthRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const secure = deps.config.publicUrl.startsWith('https:');
  const sessionCookie = (token: string | undefined) =>
    serializeCookie(sessionCookieName, token, { httpOnly: true, secure, path: '/', maxAgeSeconds: 14 * 24 * 60 * 60 });

  app.get('/admin/sign-in', async (request, reply) => {
    const { next } = nextQuery.parse(request.query);
    const token = readCookie(request.headers.cookie, sessionCookieName);
    if (token && (await resolveSession(deps, token, deps.clock.now()))) return reply.redirect(safeNext(next), 303);
    return sendHtml(reply, 200, renderSignInPage(site, { next: safeNext(next) }));
  });

  app.post('/admin/sign-in', async (request, reply) => {
    const body = signInBody.safeParse(request.body ?? {});
    if (!body.success) return sendHtml(reply, 400, renderSignInPage(site, { message: 'The sign-in form was not sent as this site sends it.' }));
    const { email, password, next } = body.data;
    try {
      const signedIn = await signIn(deps, requestContext(request, deps.clock), { email, password });
      reply.header('set-cookie', sessionCookie(signedIn.token));
      return reply.redirect(signedIn.mustChangePassword ? '/admin/password' : safeNext(next), 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !['AUTH_INVALID_CREDENTIALS', 'AUTH_THROTTLED'].includes(error.code)) throw error;
      const status = error.code === 'AUTH_THROTTLED' ? 429 : 401;
      return sendHtml(reply, status, renderSignInPage(site, { email, next: safeNext(next), message: error.message }));
    }
  });

  app.get('/admin/forgot-password', async (_request, reply) => sendHtml(reply, 200, renderForgotPasswordPage(site, {})));

  app.post('/admin/forgot-password', async (request, reply) => {
    const body = z.object({ email: text(254) }).safeParse(request.body ?? {});
    if (!body.success) throw Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
    await requestPasswordReset(deps, requestContext(request, deps.clock), { email: body.data.email });
    return sendHtml(reply, 200, renderForgotPasswordPage(site, { sent: true, email: body.data.email }));
  });

  app.get('/admin/reset-password', async (request, reply) => {
    const token = z.object({ token: z.string().max(200) }).safeParse(request.query);
    if (!token.success) return sendHtml(reply, 400, renderForgotPasswordPage(site, {}));
    return sendHtml(reply, 200, renderResetPasswordPage(site, { token: token.data.token }));
  });

  app.post('/admin/reset-password', async (request, reply) => {
    const body = z.object({ token: text(200), next: text(400), confirm: text(400) }).safeParse(request.body ?? {});
    if (!body.success) throw Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
    try {
      await resetPasswordWithToken(deps, body.data);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendHtml(reply, 422, renderResetPasswordPage(site, { token: body.data.token, errors: error.fieldErrors }));
    }
    return sendHtml(reply, 200, renderSignInPage(site, { notice: 'Your password is set. Sign in with it now.' }));
  });

  app.post('/admin/sign-out', { preHandler: staffGuard(deps, { action: 'admin.enter', beforePasswordChange: true }) }, async (request, reply) => {
    await signOut(deps, request.staff!);
    reply.header('set-cookie', sessionCookie(undefined));
    return sendHtml(reply, 200, renderSignInPage(site, { notice: 'You are signed out.' }));
  });

  app.post('/admin/sign-out-everywhere', { preHandler: staffGuard(deps, { action: 'admin.enter', beforePasswordChange: true }) }, async (request, reply) => {
    const ended = await signOutEverywhere(deps, request.staff!);
    reply.header('set-cookie', sessionCookie(undefined));
    return sendHtml(reply, 200, renderSignInPage(site, { notice: `You are signed out on every device (${ended} session${ended === 1 ? '' : 's'} ended).` }));
  });

  app.get('/admin', { preHandler: staffGuard(deps, { action: 'admin.enter' }) }, async (request, reply) =>
    sendHtml(reply, 200, renderDashboard(site, { session: request.staff! })),
  );

  app.get('/admin/password', { preHandler: staffGuard(deps, { action: 'admin.enter', beforePasswordChange: true }) }, async (request, reply) =>
    sendHtml(reply, 200, renderPasswordPage(site, { session: request.staff!, required: request.staff!.mustChangePassword })),
  );

  app.post('/admin/password', { preHandler: staffGuard(deps, { action: 'admin.enter', beforePasswordChange: true }) }, async (request, reply) => {
    const session = request.staff!;
    const body = passwordBody.safeParse(request.body ?? {});
    if (!body.success) throw Object.assign(new Error('The password form was not sent as this site sends it.'), { statusCode: 400 });
    try {
      await changePassword(deps, session, body.data);
      return reply.redirect('/admin', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendHtml(reply, 422, renderPasswordPage(site, { session, errors: error.fieldErrors, required: session.mustChangePassword }));
    }
  });
}
