import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, RateLimitedError, ValidationError, type ErrorKind } from '../errors.js';
import { renderErrorPage } from '../views/error-page.js';
import type { SiteContext } from '../views/layout.js';
import { wantsJson } from './request-context.js';

const statusByKind: Record<ErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
  unauthenticated: 401,
  rate_limited: 429,
  too_large: 413,
  unsupported_type: 415,
};

/** Everything under /api/ answers JSON, whatever the Accept header says. */
const apiPath = /^\/api(?:[/?]|$)/;

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Not allowed',
  408: 'Too slow',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported form',
  422: 'Please check your input',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

/**
 * Maps errors to responses: domain errors by their kind, Fastify's own client errors
 * (oversized or malformed bodies) to their 4xx with a clear message, and everything else
 * to a logged 500 that reveals nothing.
 */
export function installErrorHandler(app: FastifyInstance, site: SiteContext, options: { bodyLimitBytes: number }): void {
  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      const status = statusByKind[error.kind];
      const fields = error instanceof ValidationError ? error.fieldErrors : undefined;
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendError(request, reply, status, { code: error.code, message: error.message, fields });
    }
    if (error instanceof ZodError) {
      return sendError(request, reply, 400, { code: 'BAD_REQUEST', message: 'The request was not sent in the form this site expects.' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(request, reply, status, { code: error.code ?? 'BAD_REQUEST', message: clientMessage(error, options.bodyLimitBytes) });
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, 500, { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again in a moment.' });
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, { code: 'NOT_FOUND', message: 'There is nothing at this address.' }),
  );

  function sendError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    body: { code: string; message: string; fields?: Record<string, string> | undefined },
  ) {
    reply.code(status).header('cache-control', 'no-store');
    if (wantsJson(request) || apiPath.test(request.url)) return reply.send({ error: body.code, message: body.message, ...(body.fields ? { errors: body.fields } : {}) });
    const title = titles[status] ?? (status >= 500 ? 'Server error' : 'Error');
    return reply.type('text/html; charset=utf-8').send(renderErrorPage(site, { title, message: body.message }));
  }
}

function clientMessage(error: FastifyError, bodyLimitBytes: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The form you sent is too large (the limit is ${Math.floor(bodyLimitBytes / 1024)} KiB). Please shorten your text.`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This address does not accept data in that format.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    default:
      return error.message || 'The request could not be understood.';
  }
}
