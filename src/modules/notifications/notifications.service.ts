import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { emailKey } from '../../lib/email-key.js';
import type { CommentDeriver } from '../../jobs/comment-fanout.js';
import { signToken, verifyToken } from '../../lib/signing.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import { permissions } from '../people/index.js';
import { confirmationMail, digestMail, replyMail, type MailSite } from './notifications.mails.js';
import * as repo from './notifications.repo.js';

type Db = Kysely<Database>;

/** An address gets at most one confirmation mail in this long, however often the form is sent with it. */
export const confirmationResendMs = 7 * 86_400_000;
/** A confirmation link works this long. */
export const confirmationLinkMs = 30 * 86_400_000;

const confirmPurpose = 'comment-subscription-confirm';
const unsubscribePurpose = 'mail-unsubscribe';

/** What an unsubscribe link stops: replies on one story, all mail to an address, or a moderator's digest. */
export type UnsubscribeToken =
  | { kind: 'story'; k: string; s: number }
  | { kind: 'address'; k: string }
  | { kind: 'digest'; p: number };

interface ConfirmToken {
  k: string;
  /** Issued at (ms since the epoch). */
  at: number;
}

/**
 * "Notify me of follow-up comments by email", in the caller's (the comment's) transaction:
 * subscribes the address to the story and, unless the address is confirmed or suppressed or got
 * a confirmation mail in the last 7 days, appends the ONE confirmation mail. An unconfirmed
 * address gets nothing else, so the form cannot be used to mail strangers.
 */
export async function requestReplyNotifications(
  trx: Db,
  deps: Pick<Deps, 'config' | 'ipSalt'>,
  o: { email: string; emailKey: string; storyId: number; now: Date },
): Promise<OutboxEvent[]> {
  const now = o.now.toISOString();
  await repo.insertAddressIfAbsent(trx, { emailKey: o.emailKey, email: o.email, now });
  await repo.upsertSubscription(trx, { emailKey: o.emailKey, storyId: o.storyId, now });
  const since = new Date(o.now.getTime() - confirmationResendMs).toISOString();
  if (!(await repo.claimConfirmationMail(trx, { emailKey: o.emailKey, now, since }))) return [];
  const address = await repo.findAddress(trx, o.emailKey);
  const story = await trx.selectFrom('stories').select('headline').where('id', '=', o.storyId).executeTakeFirstOrThrow();
  const token = signToken(deps.ipSalt, confirmPurpose, { k: o.emailKey, at: o.now.getTime() } satisfies ConfirmToken);
  const mail = confirmationMail(await mailSite(trx, deps), {
    to: address?.email ?? o.email,
    headline: story.headline,
    confirmUrl: `${deps.config.publicUrl}/subscriptions/confirm?token=${token}`,
    unsubscribeUrl: unsubscribeUrl(deps, { kind: 'address', k: o.emailKey }),
  });
  return [await appendEvent(trx, { topic: 'mail.requested', payload: mail, now })];
}

/** True when the confirmation token is genuine and not expired (for the page with the Confirm button). */
export function checkConfirmationToken(deps: Pick<Deps, 'ipSalt'>, token: string, now: Date): void {
  readConfirmToken(deps, token, now);
}

/** Confirms the address of a confirmation link: all its subscriptions start working. */
export async function confirmSubscriptions(deps: Deps, token: string): Promise<'confirmed' | 'suppressed'> {
  const now = deps.clock.now();
  const data = readConfirmToken(deps, token, now);
  await repo.updateAddressConfirmed(deps.store.db, data.k, now.toISOString());
  const address = await repo.findAddress(deps.store.db, data.k);
  if (!address) throw invalidLink();
  return address.suppressed_at === null ? 'confirmed' : 'suppressed';
}

/** The unsubscribe link's meaning (for the page with the button), or NOTIFICATION_LINK_INVALID. */
export function readUnsubscribeToken(deps: Pick<Deps, 'ipSalt'>, token: string): UnsubscribeToken {
  const data = verifyToken<UnsubscribeToken>(deps.ipSalt, unsubscribePurpose, token);
  if (!data || !['story', 'address', 'digest'].includes(data.kind)) throw invalidLink();
  return data;
}

/** One-click unsubscribe (RFC 8058): needs only the signed token; repeating it changes nothing. */
export async function unsubscribe(deps: Deps, token: string): Promise<UnsubscribeToken> {
  const data = readUnsubscribeToken(deps, token);
  const db = deps.store.db;
  const now = deps.clock.now().toISOString();
  if (data.kind === 'story') await repo.updateSubscriptionUnsubscribed(db, { emailKey: data.k, storyId: data.s, now });
  else if (data.kind === 'address') await repo.updateAddressSuppressed(db, data.k, now);
  else {
    await db.transaction().execute(async (trx) => {
      const optOuts = await repo.listDigestOptOuts(trx);
      await repo.saveDigestOptOuts(trx, [...optOuts, data.p]);
    });
  }
  return data;
}

/**
 * Reply notifications, derived after commit from `comment.created` (approved at once) and
 * `comment.status-changed` (a held or spammed reply approved): one mail to the parent comment's
 * author when their address is confirmed, not suppressed, subscribed to the story and not the
 * replier's own. Never for a comment that is not approved now.
 */
export const deriveReplyNotifications: CommentDeriver = async (trx, event, deps) => {
  if (event.topic === 'comment.reported') return [];
  // Only replies notify: a new top-level comment needs no lookup at all.
  if (event.topic === 'comment.created' && (event.payload.status !== 'approved' || event.payload.parentId === null)) return [];
  if (event.topic === 'comment.status-changed') {
    const { from, to } = event.payload;
    if (to !== 'approved' || (from !== 'pending' && from !== 'spam')) return [];
    // Approved before (e.g. approved, held, approved again): its author's audience was told then.
    if ((await repo.countApprovals(trx, event.payload.commentId)) > 1) return [];
  }
  // A new reply names its parent: look for a subscribed parent author first (usually there is none).
  const knownParent = event.topic === 'comment.created' ? event.payload.parentId : null;
  if (knownParent !== null && !(await repo.findReplyRecipient(trx, { parentId: knownParent, storyId: event.payload.storyId }))) return [];
  const reply = await repo.findCommentWithStory(trx, event.payload.commentId);
  if (!reply || reply.status !== 'approved' || reply.parent_id === null) return [];
  const recipient = await repo.findReplyRecipient(trx, { parentId: reply.parent_id, storyId: reply.story_id });
  if (!recipient || recipient.email_key === reply.email_key) return [];
  const mail = replyMail(await mailSite(trx, deps), {
    to: recipient.email,
    recipientName: recipient.author_name,
    replierName: reply.author_name,
    headline: reply.headline,
    body: reply.body_source,
    replyId: reply.id,
    unsubscribeUrl: unsubscribeUrl(deps, { kind: 'story', k: recipient.email_key, s: reply.story_id }),
  });
  return [await appendEvent(trx, { topic: 'mail.requested', payload: mail, now: deps.clock.now().toISOString() })];
};

/**
 * The moderators' digest: when comments were held since the last digest and at least `everyMs`
 * has passed, one mail per staff member who may moderate (active, not opted out, address not
 * suppressed). The last-digest time moves by a conditional update in the same transaction as the
 * mails, so when several nodes run this at once exactly one sends. Resolves with the mails queued.
 */
export async function sendModerationDigest(deps: Deps, o: { everyMs: number }): Promise<number> {
  const db = deps.store.db;
  const now = deps.clock.now();
  await repo.insertLastDigestIfAbsent(db);
  const last = await repo.findLastDigest(db);
  if (last === undefined || now.getTime() - Date.parse(last) < o.everyMs) return 0;
  const held = await repo.listHeldSince(db, { since: last, limit: 20 });
  if (held.total === 0) return 0;
  const [staff, optOuts] = await Promise.all([repo.listModerators(db, permissions['comment.moderate']), repo.listDigestOptOuts(db)]);
  // "Never email me again" holds for staff addresses too.
  const keyOf = (email: string | null) => emailKey(deps.ipSalt, email ?? '');
  const suppressed = await repo.listSuppressedKeys(db, staff.map((p) => keyOf(p.email)));
  const moderators = staff.filter((p) => p.email && !optOuts.includes(p.id) && !suppressed.has(keyOf(p.email)));
  const site = await mailSite(db, deps);
  const events = await db.transaction().execute(async (trx) => {
    if (!(await repo.updateLastDigest(trx, { from: last, to: now.toISOString() }))) return [];
    const appended: OutboxEvent[] = [];
    for (const person of moderators) {
      const mail = digestMail(site, {
        to: person.email ?? '',
        name: person.name,
        comments: held.rows,
        total: held.total,
        unsubscribeUrl: unsubscribeUrl(deps, { kind: 'digest', p: person.id }),
      });
      appended.push(await appendEvent(trx, { topic: 'mail.requested', payload: mail, now: now.toISOString() }));
    }
    return appended;
  });
  deps.onCommitted(events);
  return events.length;
}

function unsubscribeUrl(deps: Pick<Deps, 'config' | 'ipSalt'>, data: UnsubscribeToken): string {
  return `${deps.config.publicUrl}/unsubscribe?token=${signToken(deps.ipSalt, unsubscribePurpose, data)}`;
}

function readConfirmToken(deps: Pick<Deps, 'ipSalt'>, token: string, now: Date): ConfirmToken {
  const data = verifyToken<ConfirmToken>(deps.ipSalt, confirmPurpose, token);
  if (!data || typeof data.k !== 'string' || typeof data.at !== 'number') throw invalidLink();
  if (now.getTime() - data.at > confirmationLinkMs) {
    throw new DomainError('NOTIFICATION_LINK_INVALID', 'This confirmation link has expired. Tick the box again when you next comment.');
  }
  return data;
}

function invalidLink(): DomainError {
  return new DomainError('NOTIFICATION_LINK_INVALID', 'This link is not valid. Please use the link exactly as it appears in the email.');
}

async function mailSite(db: Db, deps: Pick<Deps, 'config'>): Promise<MailSite> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'site_name').executeTakeFirst();
  return { siteName: row?.value ?? new URL(deps.config.publicUrl).hostname, publicUrl: deps.config.publicUrl };
}
