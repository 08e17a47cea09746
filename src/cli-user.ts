import { parseArgs } from 'node:util';
import type { Deps } from './deps.js';
import { commandLineActor, createStaffMember, listStaff, resetPassword, setRole } from './modules/people/index.js';

type Print = (line: string) => void;

/** `readout user …`: staff accounts from the command line (the operator acts as an administrator). */
export async function runUserCommand(deps: Deps, args: string[], out: Print, err: Print): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } } });
      if (!values.name || !values.email || !values.role) {
        err('user create: give --name, --email and --role, e.g. readout user create --name "Amina Castell" --email amina@example.org --role editor');
        return 2;
      }
      const created = await createStaffMember(deps, commandLineActor, { name: values.name, email: values.email, role: values.role });
      out(`Created ${created.person.name} <${created.person.email}> as ${created.person.role}.`);
      out(`One-time password (must be changed at first sign-in): ${created.temporaryPassword}`);
      return 0;
    }
    case 'list': {
      const people = await listStaff(deps, commandLineActor);
      if (people.length === 0) out('No staff accounts yet.');
      for (const p of people) out(`${p.email}\t${p.role}\t${p.name}${p.disabled_at ? '\t(disabled)' : ''}`);
      return 0;
    }
    case 'set-role': {
      const [email, role] = rest;
      if (!email || !role) {
        err('user set-role: give an email address and a role, e.g. readout user set-role amina@example.org admin');
        return 2;
      }
      const person = await setRole(deps, commandLineActor, { email, role });
      out(`${person.name} <${person.email}> is now ${person.role}.`);
      return 0;
    }
    case 'reset-password': {
      const [email] = rest;
      if (!email) {
        err('user reset-password: give an email address');
        return 2;
      }
      const { person, temporaryPassword } = await resetPassword(deps, commandLineActor, { email });
      out(`Signed ${person.name} out everywhere. One-time password (must be changed at first sign-in): ${temporaryPassword}`);
      return 0;
    }
    default:
      err(`user: unknown subcommand "${sub ?? ''}"; use create, list, set-role or reset-password`);
      return 2;
  }
}
