import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/** The process logger. Request bodies are never logged, and neither are cookies or authorization headers. */
export function createLogger(level: string): FastifyBaseLogger {
  return pino({
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
  }) as unknown as FastifyBaseLogger;
}
