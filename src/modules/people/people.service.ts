import type { Deps } from '../../deps.js';
import type { PersonRow, Role } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { slugify } from '../../lib/slug.js';
import { recordAudit } from '../audit/index.js';
import { issueSetPasswordLink } from './password-reset.service.js';
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

/** How long an invitation link stays valid. */
const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Creates a staff account and mails the person a link (valid a week) to choose their password;
 * no password is shown to anyone. The link and its mail are written in one transaction, after the
 * account; should that fail, the account exists and "Forgot your password?" sends a new link.
 */
export async function inviteStaffMember(deps: Deps, actor: Actor, input: { name: string; email: string; role: string }): Promise<PersonRow> {
  const { person } = await createStaffMember(deps, actor, input);
  const now = deps.clock.now();
  const event = await deps.store.db.transaction().execute(async (trx) => {
    await recordAudit(trx, { actor, action: 'person.invited', subject: { type: 'person', id: person.id }, details: { role: person.role }, now: now.toISOString() });
    return issueSetPasswordLink(trx, deps, {
      person,
      now,
      lifetimeMs: invitationLifetimeMs,
      subject: `You are invited to the newsroom of ${new URL(deps.config.publicUrl).hostname}`,
      purpose: 'invitation',
      body: (link) =>
        `Hello ${person.name},\n\n${actor.name} invited you to the newsroom as ${person.role}. Choose your password here within a week:\n\n${link}\n`,
    });
  });
  deps.onCommitted([event]);
  return person;
}

/** Disables or re-enables an account; disabling ends its sessions. The last active admin stays. */
export async function setDisabled(deps: Deps, actor: Actor, input: { email: string; disabled: boolean }): Promise<PersonRow> {
  assertCan(actor, 'person.manage');
  const nowIso = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const person = await getStaffByEmail(trx, input.email);
    if (input.disabled && person.role === 'admin' && person.disabled_at === null && (await repo.countActiveAdmins(trx)) <= 1) {
      throw new DomainError('PERSON_LAST_ADMIN', 'This is the last administrator; make someone else an administrator first.');
    }
    if (input.disabled) await repo.deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      actor,
      action: input.disabled ? 'person.disabled' : 'person.enabled',
      subject: { type: 'person', id: person.id },
      now: nowIso,
    });
    return repo.updatePerson(trx, person.id, { disabled_at: input.disabled ? nowIso : null });
  });
}
