import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { html } from '../../lib/html.js';
import { staffGuard } from '../../http/staff-guard.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import { listAudit } from '../audit/index.js';
import { adminPage } from './newsroom.views.js';

const auditQuery = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });
const pageSize = 100;

/** The audit log for administrators: who did what to which story, newest first. */
export function registerAuditRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  app.get('/admin/audit', { preHandler: staffGuard(deps, { action: 'audit.read' }) }, async (request, reply) => {
    const { before } = auditQuery.parse(request.query);
    const session = request.staff!;
    const rows = await listAudit(deps, session.actor, { limit: pageSize + 1, ...(before ? { beforeId: before } : {}) });
    const entries = rows.slice(0, pageSize);
    const last = entries[entries.length - 1];
    const body = adminPage(site, {
      title: 'Audit log',
      session,
      main: html`<h1 class="page-title">Audit log</h1>
<table class="admin-table">
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Subject</th><th scope="col">Details</th></tr></thead>
<tbody>
${entries.map(
  (e) => html`<tr><td>${timeTag(site, e.created_at)}</td><td>${e.actor_name}</td><td>${e.action}</td><td>${
    e.subject_type === 'story' ? html`<a href="/admin/stories/${e.subject_id}/edit">story ${e.subject_id}</a>` : `${e.subject_type} ${e.subject_id}`
  }</td><td><code>${e.details}</code></td></tr>
`,
)}</tbody>
</table>
${rows.length > pageSize && last ? html`<p><a rel="next" href="/admin/audit?before=${last.id}">Older entries</a></p>` : ''}`,
    });
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
  });
}
