import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, can, type Actor } from './people.policy.js';
import * as repo from './tokens.repo.js';
import type { ApiTokenSummary } from './tokens.repo.js';

/**
 * Personal API tokens: `rdt_` and 32 random bytes in base64url. Only the SHA-256 of a token is
 * stored, with its first characters to recognise it by; the token itself is shown once.
 */
export const apiTokenRules = { prefix: 'rdt_', shownPrefixLength: 12, nameLength: 100, activePerPerson: 20 } as const;

/** A request records a token's use at most once a minute. */
const touchEveryMs = 60_000;
const tokenPattern = /^rdt_[A-Za-z0-9_-]{43}$/;
const controlCharacter = /[\u0000-\u001f\u007f]/;

export interface NewApiToken {
  token: ApiTokenSummary;
  /** The token itself: give it to its owner now, it cannot be shown again. */
  secret: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token for the actor, who may then use the API with their own role. */
export async function createApiToken(deps: Deps, actor: Actor, input: { name: string }): Promise<NewApiToken> {
  assertCan(actor, 'admin.enter');
  if (actor.personId === 0) throw new DomainError('PERSON_NOT_FOUND', 'Only a staff account can hold API tokens.');
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (name === '') throw new ValidationError({ name: 'Name the token after what will use it, e.g. "Wire importer".' });
  if ([...name].length > apiTokenRules.nameLength) throw new ValidationError({ name: `Use at most ${apiTokenRules.nameLength} characters.` });
  if (controlCharacter.test(input.name.replace(/[\t\n\r]/g, ' '))) throw new ValidationError({ name: 'Use letters, digits and punctuation only.' });

  const secret = `${apiTokenRules.prefix}${randomBytes(32).toString('base64url')}`;
  const now = deps.clock.now().toISOString();
  const token = await deps.store.db.transaction().execute(async (trx) => {
    if ((await repo.countActiveApiTokensOf(trx, actor.personId)) >= apiTokenRules.activePerPerson) {
      throw new ValidationError({ name: `You have ${apiTokenRules.activePerPerson} tokens already; revoke one you no longer use first.` });
    }
    const token = await repo.insertApiToken(trx, {
      personId: actor.personId,
      name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, apiTokenRules.shownPrefixLength),
      now,
    });
    await recordAudit(trx, {
      actor,
      action: 'api-token.created',
      subject: { type: 'person', id: actor.personId },
      details: { tokenId: token.id, name, prefix: token.prefix },
      now,
    });
    return token;
  });
  return { token, secret };
}

/** A person's tokens, newest first, revoked ones included: the actor's own, or anyone's for an admin. */
export async function listApiTokens(deps: Deps, actor: Actor, o: { personId?: number } = {}): Promise<ApiTokenSummary[]> {
  assertCan(actor, 'admin.enter');
  const personId = o.personId ?? actor.personId;
  if (personId !== actor.personId) assertCan(actor, 'person.manage');
  return repo.listApiTokensOf(deps.store.db, personId);
}

/**
 * Revokes a token: at once, for every app node, since each request looks the token up. People
 * revoke their own tokens, admins anyone's; revoking twice keeps the first time.
 */
export async function revokeApiToken(deps: Deps, actor: Actor, input: { tokenId: number }): Promise<ApiTokenSummary> {
  assertCan(actor, 'admin.enter');
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const token = await repo.findApiTokenById(trx, input.tokenId);
    // Someone else's token is "not found" to those who may not revoke it: its existence is not theirs to know.
    if (!token || (token.person_id !== actor.personId && !can(actor, 'person.manage'))) {
      throw new DomainError('API_TOKEN_NOT_FOUND', 'There is no API token of yours with this id.');
    }
    const revoked = await repo.updateApiTokenRevoked(trx, token.id, now);
    if (!revoked) return token;
    await recordAudit(trx, {
      actor,
      action: 'api-token.revoked',
      subject: { type: 'person', id: token.person_id },
      details: { tokenId: token.id, name: token.name, prefix: token.prefix },
      now,
    });
    return revoked;
  });
}

/**
 * The staff member a token acts for; undefined when the token is malformed, unknown or revoked,
 * or its person has no role any more or is disabled. Records the use at most once a minute.
 */
export async function resolveApiToken(deps: Deps, token: string): Promise<Actor | undefined> {
  if (!tokenPattern.test(token)) return undefined;
  const db = deps.store.db;
  const holder = await repo.findApiTokenHolder(db, hashToken(token));
  if (!holder || holder.revoked_at !== null || holder.role === null || holder.disabled_at !== null) return undefined;
  const now = deps.clock.now();
  if (holder.last_used_at === null || now.getTime() - new Date(holder.last_used_at).getTime() >= touchEveryMs) {
    await repo.touchApiToken(db, holder.id, { now: now.toISOString(), notSince: new Date(now.getTime() - touchEveryMs + 1).toISOString() });
  }
  return { personId: holder.person_id, name: holder.person_name, role: holder.role };
}
