import type { Deps } from '../../deps.js';
import type { PersonRow, Role } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { slugify } from '../../lib/slug.js';
import { hashPassword, passwordProblem, temporaryPassword } from './passwords.js';
import { assertCan, roles, type Actor } from './people.policy.js';
import * as repo from './people.repo.js';

/** The operator at the command line: has a shell on the server, so may do what an admin may. */
export const commandLineActor: Actor = { personId: 0, name: 'command line', role: 'admin' };

const emailPattern = /^[^\s@]{1,64}@[^\s@]+$/;

export interface NewStaffMember {
  person: PersonRow;
  /** Set when no password was given: a one-time password that must be changed at first sign-in. */
  temporaryPassword?: string;
}

/** Creates a staff account. Without a password, a one-time password is generated. */
export async function createStaffMember(
  deps: Deps,
  actor: Actor,
  input: { name: string; email: string; role: string; password?: string },
): Promise<NewStaffMember> {
  assertCan(actor, 'person.manage');
  const name = input.name.trim().replace(/\s+/g, ' ');
  const email = input.email.trim().toLowerCase();
  const errors: Record<string, string> = {};
  if (name === '' || name.length > 120) errors.name = 'Give a name of 1 to 120 characters.';
  if (!emailPattern.test(email) || email.length > 254) errors.email = 'Give a valid email address.';
  if (!isRole(input.role)) errors.role = `Choose one of: ${roles.join(', ')}.`;
  const problem = input.password === undefined ? undefined : passwordProblem(input.password, { email, name });
  if (problem) errors.password = problem;
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const oneTime = input.password === undefined ? temporaryPassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (oneTime as string));
  const now = deps.clock.now().toISOString();
  const person = await deps.store.db.transaction().execute(async (trx) => {
    if (await repo.findPersonByEmail(trx, email)) {
      throw new DomainError('PERSON_EMAIL_TAKEN', `Someone already has the email address ${email}.`);
    }
    const slug = await freeSlug(trx, slugify(name) || 'person');
    return repo.insertPerson(trx, { name, slug, email, role: input.role as Role, passwordHash, mustChangePassword: oneTime !== undefined, now });
  });
  return oneTime === undefined ? { person } : { person, temporaryPassword: oneTime };
}

/** Staff accounts, by name. */
export async function listStaff(deps: Deps, actor: Actor): Promise<PersonRow[]> {
  assertCan(actor, 'person.manage');
  return repo.listStaff(deps.store.db);
}

/** Changes a staff member's role; the last active admin cannot be demoted. */
export async function setRole(deps: Deps, actor: Actor, input: { email: string; role: string }): Promise<PersonRow> {
  assertCan(actor, 'person.manage');
  if (!isRole(input.role)) throw new ValidationError({ role: `Choose one of: ${roles.join(', ')}.` });
  return deps.store.db.transaction().execute(async (trx) => {
    const person = await getStaffByEmail(trx, input.email);
    if (person.role === 'admin' && input.role !== 'admin' && (await repo.countActiveAdmins(trx)) <= 1) {
      throw new DomainError('PERSON_LAST_ADMIN', 'This is the last administrator; make someone else an administrator first.');
    }
    return repo.updatePerson(trx, person.id, { role: input.role as Role });
  });
}

/** Replaces a staff member's password with a one-time password and ends their sessions. */
export async function resetPassword(deps: Deps, actor: Actor, input: { email: string }): Promise<{ person: PersonRow; temporaryPassword: string }> {
  assertCan(actor, 'person.manage');
  const oneTime = temporaryPassword();
  const passwordHash = await hashPassword(oneTime);
  const person = await deps.store.db.transaction().execute(async (trx) => {
    const person = await getStaffByEmail(trx, input.email);
    await repo.deleteSessionsOf(trx, person.id);
    return repo.updatePerson(trx, person.id, { password_hash: passwordHash, must_change_password: 1 });
  });
  return { person, temporaryPassword: oneTime };
}

/**
 * On a site without any administrator, creates one with a one-time password and returns the
 * credentials (the caller prints them once; they are never logged). Otherwise returns undefined.
 */
export async function ensureFirstAdmin(deps: Deps, email: string): Promise<{ email: string; password: string } | undefined> {
  if ((await repo.countActiveAdmins(deps.store.db)) > 0) return undefined;
  const created = await createStaffMember(deps, commandLineActor, { name: 'Administrator', email, role: 'admin' }).catch((error: unknown) => {
    // Another node created it first.
    if (error instanceof DomainError && error.code === 'PERSON_EMAIL_TAKEN') return undefined;
    throw error;
  });
  return created?.temporaryPassword ? { email: created.person.email as string, password: created.temporaryPassword } : undefined;
}

async function getStaffByEmail(db: Deps['store']['db'], email: string): Promise<PersonRow> {
  const person = await repo.findPersonByEmail(db, email.trim().toLowerCase());
  if (!person || person.role === null) throw new DomainError('PERSON_NOT_FOUND', `No staff member has the email address ${email}.`);
  return person;
}

async function freeSlug(db: Deps['store']['db'], base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await repo.findPersonBySlug(db, slug))) return slug;
  }
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
