import { createHash, randomBytes } from 'node:crypto';
import type { Deps, RequestContext } from '../../deps.js';
import { ValidationError } from '../../errors.js';
import { appendEvent } from '../../platform/outbox.js';
import { hashPassword, passwordProblem } from './passwords.js';
import * as repo from './people.repo.js';

const linkLifetimeMs = 60 * 60 * 1000;
/** Reset mails per account per hour, so the form cannot flood anyone's inbox. */
const maxRequestsPerHour = 3;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sends a one-use link (valid for an hour) to a staff member who forgot their password. The answer
 * is the same whether or not the address belongs to anyone, so the form reveals no accounts.
 * The mail goes through the outbox in the same transaction as the token.
 */
export async function requestPasswordReset(deps: Deps, ctx: RequestContext, input: { email: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const db = deps.store.db;
  const person = email === '' ? undefined : await repo.findPersonByEmail(db, email);
  if (!person || person.role === null || person.disabled_at !== null) return;
  const now = ctx.now;
  const since = new Date(now.getTime() - 60 * 60 * 1000).toISOString();
  const recent = await db
    .selectFrom('password_resets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', person.id)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= maxRequestsPerHour) return;
  const events = await db.transaction().execute(async (trx) => [
    await issueSetPasswordLink(trx, deps, {
      person,
      now,
      lifetimeMs: linkLifetimeMs,
      subject: 'Reset your newsroom password',
      purpose: 'password-reset',
      body: (link) =>
        `Hello ${person.name},\n\nsomeone (we hope you) asked to reset your password. Choose a new one here within the hour:\n\n${link}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
    }),
  ]);
  deps.onCommitted(events);
}

/**
 * Stores a one-use token for a person and appends the mail carrying its link, in the caller's
 * transaction (so the mail exists exactly when the token does).
 */
export async function issueSetPasswordLink(
  trx: Deps['store']['db'],
  deps: Pick<Deps, 'config'>,
  o: { person: { id: number; email: string | null }; now: Date; lifetimeMs: number; subject: string; purpose: string; body: (link: string) => string },
) {
  const token = randomBytes(32).toString('base64url');
  const link = `${deps.config.publicUrl}/admin/reset-password?token=${token}`;
  await trx
    .insertInto('password_resets')
    .values({
      person_id: o.person.id,
      token_hash: hashToken(token),
      created_at: o.now.toISOString(),
      expires_at: new Date(o.now.getTime() + o.lifetimeMs).toISOString(),
    })
    .execute();
  return appendEvent(trx, {
    topic: 'mail.requested',
    payload: { to: o.person.email ?? '', subject: o.subject, purpose: o.purpose, text: o.body(link) },
    now: o.now.toISOString(),
  });
}

/** Sets a new password with a reset link's token; the link then stops working and every session ends. */
export async function resetPasswordWithToken(deps: Deps, input: { token: string; next: string; confirm: string }): Promise<void> {
  const db = deps.store.db;
  const nowIso = deps.clock.now().toISOString();
  const reset = await db.selectFrom('password_resets').selectAll().where('token_hash', '=', hashToken(input.token)).executeTakeFirst();
  if (!reset || reset.used_at !== null || reset.expires_at <= nowIso) {
    throw new ValidationError({ token: 'This link has expired or was already used. Ask for a new one.' });
  }
  const person = await repo.findPersonById(db, reset.person_id);
  const errors: Record<string, string> = {};
  const problem = passwordProblem(input.next, { email: person?.email ?? '', name: person?.name ?? '' });
  if (problem) errors.next = problem;
  if (input.confirm !== input.next) errors.confirm = 'The two new passwords are not the same.';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: nowIso })
      .where('id', '=', reset.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new ValidationError({ token: 'This link was already used. Ask for a new one.' });
    await repo.updatePerson(trx, reset.person_id, { password_hash: passwordHash, must_change_password: 0 });
    await repo.deleteSessionsOf(trx, reset.person_id);
  });
}
