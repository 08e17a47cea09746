import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps, RequestContext } from '../../deps.js';
import type { PersonRow } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { hashIp } from '../../lib/ip-hash.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { Actor } from './people.policy.js';
import * as repo from './people.repo.js';

/** Sessions last two weeks from the last request; a request renews a session at most once an hour. */
const sessionLifetimeMs = 14 * 24 * 60 * 60 * 1000;
const renewAfterMs = 60 * 60 * 1000;

/** Failed sign-ins allowed in the window, per account and per client address. */
export const signInThrottle = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 20 } as const;

export interface SignedIn {
  /** The secret for the session cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
  person: PersonRow;
  mustChangePassword: boolean;
}

export interface ActiveSession {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Signs a staff member in with email and password. Wrong credentials get one message whether the
 * account exists or not (and take the same time); repeated failures per account and per client
 * address are throttled with a message saying when to try again.
 */
export async function signIn(deps: Deps, ctx: RequestContext, input: { email: string; password: string }): Promise<SignedIn> {
  const db = deps.store.db;
  const now = ctx.now.toISOString();
  const email = input.email.trim().toLowerCase();
  const keys = [`account:${email}`, `ip:${hashIp(deps.ipSalt, ctx.ip)}`];
  await assertNotThrottled(deps, keys, ctx.now);

  const person = email === '' ? undefined : await repo.findPersonByEmail(db, email);
  const passwordOk = await verifyPassword(person?.password_hash ?? (await decoyHash()), input.password);
  if (!person || !passwordOk || person.role === null || person.disabled_at !== null) {
    await repo.insertAttempts(db, keys, now);
    throw new DomainError('AUTH_INVALID_CREDENTIALS', 'The email address or password is not correct.');
  }
  await repo.deleteAttempts(db, keys[0] as string);
  const token = randomToken();
  const csrfToken = randomToken();
  await repo.insertSession(db, {
    id: sessionId(token),
    person_id: person.id,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(ctx.now.getTime() + sessionLifetimeMs).toISOString(),
    ip_hash: hashIp(deps.ipSalt, ctx.ip),
    user_agent: ctx.userAgent.slice(0, 512),
  });
  return { token, csrfToken, person, mustChangePassword: person.must_change_password === 1 };
}

async function assertNotThrottled(deps: Deps, keys: readonly string[], now: Date): Promise<void> {
  const since = new Date(now.getTime() - signInThrottle.windowMs).toISOString();
  const limits = [signInThrottle.perAccount, signInThrottle.perAddress];
  for (const [i, key] of keys.entries()) {
    const { count, oldest } = await repo.countAttemptsSince(deps.store.db, key, since);
    if (count >= (limits[i] as number)) {
      const retryMs = Math.max(0, new Date(oldest ?? now).getTime() + signInThrottle.windowMs - now.getTime());
      const minutes = Math.max(1, Math.ceil(retryMs / 60_000));
      throw new DomainError(
        'AUTH_THROTTLED',
        `Too many failed sign-ins ${i === 0 ? 'for this account' : 'from your network'}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
  }
}

/** The session for a cookie token, renewed when due; undefined when unknown, expired or its person may no longer sign in. */
export async function resolveSession(deps: Deps, token: string, now: Date): Promise<ActiveSession | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const db = deps.store.db;
  const id = sessionId(token);
  const session = await repo.findSession(db, id);
  if (!session || session.expires_at <= now.toISOString()) return undefined;
  const person = await repo.findPersonById(db, session.person_id);
  if (!person || person.role === null || person.disabled_at !== null) return undefined;
  if (now.getTime() - new Date(session.last_seen_at).getTime() > renewAfterMs) {
    await repo.touchSession(db, id, now.toISOString(), new Date(now.getTime() + sessionLifetimeMs).toISOString());
  }
  return {
    actor: { personId: person.id, name: person.name, role: person.role },
    sessionId: id,
    csrfToken: session.csrf_token,
    mustChangePassword: person.must_change_password === 1,
  };
}

/** True when the submitted token is the session's CSRF token (compared in constant time). */
export function csrfTokenMatches(session: ActiveSession, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function signOut(deps: Deps, session: ActiveSession): Promise<void> {
  await repo.deleteSession(deps.store.db, session.sessionId);
}

/** Ends every session of the actor, this one included. Returns how many were ended. */
export async function signOutEverywhere(deps: Deps, session: ActiveSession): Promise<number> {
  return repo.deleteSessionsOf(deps.store.db, session.actor.personId);
}

/**
 * Sets a new password after checking the current one. Other sessions of the person end;
 * this one stays signed in. Clears the "must change password" flag.
 */
export async function changePassword(
  deps: Deps,
  session: ActiveSession,
  input: { current: string; next: string; confirm: string },
): Promise<void> {
  const db = deps.store.db;
  const person = await repo.findPersonById(db, session.actor.personId);
  if (!person) throw new DomainError('PERSON_NOT_FOUND', 'Your account no longer exists.');
  const errors: Record<string, string> = {};
  if (!(await verifyPassword(person.password_hash ?? (await decoyHash()), input.current))) errors.current = 'This is not your current password.';
  const problem = passwordProblem(input.next, { email: person.email ?? '', name: person.name });
  if (problem) errors.next = problem;
  else if (input.next === input.current) errors.next = 'Choose a password different from the current one.';
  if (input.confirm !== input.next) errors.confirm = 'The two new passwords are not the same.';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    await repo.updatePerson(trx, person.id, { password_hash: passwordHash, must_change_password: 0 });
    await repo.deleteSessionsOf(trx, person.id, session.sessionId);
  });
}
