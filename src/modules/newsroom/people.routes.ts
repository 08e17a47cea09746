import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { inviteStaffMember, listStaff, setDisabled, setRole, type ActiveSession } from '../people/index.js';
import { renderPeoplePage, type PeopleView } from './people.views.js';

const text = (max: number) => z.string().max(max).optional().default('');
const inviteBody = z.object({ name: text(200), email: text(300), role: text(40) });
const personBody = z.object({ email: text(300), role: text(40) });

/** Staff accounts (admins only): invite by email, change roles, disable and enable. */
export function registerPeopleRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'person.manage' });

  async function sendPage(reply: FastifyReply, status: number, session: ActiveSession, extra: Omit<PeopleView, 'session' | 'people'> = {}) {
    const people = await listStaff(deps, session.actor);
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderPeoplePage(site, { session, people, ...extra }));
  }

  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw Object.assign(new Error('The form was not sent as this site sends it.'), { statusCode: 400 });
    return parsed.data;
  };

  app.get('/admin/people', { preHandler: guard }, async (request, reply) => sendPage(reply, 200, request.staff!));

  app.post('/admin/people', { preHandler: guard }, async (request, reply) => {
    const values = parse(inviteBody, request.body);
    try {
      const person = await inviteStaffMember(deps, request.staff!.actor, values);
      return sendPage(reply, 200, request.staff!, { notice: `Invitation sent to ${person.email}.` });
    } catch (error) {
      if (error instanceof ValidationError) return sendPage(reply, 422, request.staff!, { values, errors: error.fieldErrors });
      if (error instanceof DomainError && error.code === 'PERSON_EMAIL_TAKEN') return sendPage(reply, 409, request.staff!, { values, errors: { email: error.message } });
      throw error;
    }
  });

  for (const change of ['role', 'disable', 'enable'] as const) {
    app.post(`/admin/people/${change}`, { preHandler: guard }, async (request, reply) => {
      const { email, role } = parse(personBody, request.body);
      const actor = request.staff!.actor;
      try {
        const person =
          change === 'role' ? await setRole(deps, actor, { email, role }) : await setDisabled(deps, actor, { email, disabled: change === 'disable' });
        const what = change === 'role' ? `is now ${person.role}` : change === 'disable' ? 'is disabled and signed out' : 'is enabled';
        return sendPage(reply, 200, request.staff!, { notice: `${person.name} ${what}.` });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const message = error instanceof ValidationError ? Object.values(error.fieldErrors).join(' ') : error.message;
        return sendPage(reply, error.kind === 'not_found' ? 404 : error.kind === 'conflict' ? 409 : 422, request.staff!, { message });
      }
    });
  }
}
