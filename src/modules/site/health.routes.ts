import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Deps } from '../../deps.js';

/** `/healthz`: 200 when the database answers, 503 when it does not. */
export function registerHealthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(deps.store.db);
      return { status: 'ok', database: deps.store.dialect };
    } catch (error) {
      deps.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: deps.store.dialect });
    }
  });
}
