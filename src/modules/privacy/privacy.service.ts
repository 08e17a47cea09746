import type { Deps, RequestContext } from '../../deps.js';
import { DomainError, RateLimitedError } from '../../errors.js';
import { emailKey } from '../../lib/email-key.js';
import { hashIp } from '../../lib/ip-hash.js';
import { signToken, verifyToken } from '../../lib/signing.js';
import { appendEvent, type OutboxEvent } from '../../platform/outbox.js';
import type { RateLimit } from '../../platform/rate-limit.js';
import { recordAudit } from '../audit/index.js';
import { insertHistory, type HistoryActor } from '../comments/index.js';
import { assertCan, type Actor } from '../people/index.js';
import { storyPath } from '../stories/index.js';
import * as repo from './privacy.repo.js';

/** How long a mailed privacy link works. */
export const privacyLinkLifetimeMs = 24 * 60 * 60 * 1000;
const tokenPurpose = 'privacy';
/** Requests per client IP, and links per address, an hour: the form cannot flood anyone's inbox. */
export const privacyRequestLimits: { perIp: RateLimit; perAddress: RateLimit } = {
  perIp: { max: 10, windowMs: 60 * 60 * 1000 },
  perAddress: { max: 3, windowMs: 60 * 60 * 1000 },
};
/** Rows written per statement (keeps `in (…)` lists well inside both databases' parameter limits). */
const chunkSize = 500;

/**
 * "Manage your comments": mails a signed link (valid 24 hours) to an address that has comments
 * here and did not ask never to be mailed. The caller answers the same whatever happened, so the
 * form reveals nothing about who comments here. Throws RateLimitedError past the limits.
 */
export async function requestPrivacyLink(deps: Deps, ctx: RequestContext, input: { email: string }): Promise<void> {
  const key = emailKey(deps.ipSalt, input.email);
  for (const [bucket, id, limit] of [
    ['privacy-ip', hashIp(deps.ipSalt, ctx.ip), privacyRequestLimits.perIp],
    ['privacy-address', key, privacyRequestLimits.perAddress],
  ] as const) {
    const result = await deps.rateLimiter.consume(bucket, id, limit, ctx.now);
    if (!result.allowed) {
      throw new RateLimitedError('RATE_LIMITED', 'You have asked for several links in a short time. Please wait a while and try again.', result.retryAfterSeconds);
    }
  }
  const db = deps.store.db;
  const [count, address] = await Promise.all([repo.countCommentsByEmailKey(db, key), repo.findSubscriberAddress(db, key)]);
  if (count === 0 || address?.suppressed_at) return;
  const token = signToken(deps.ipSalt, tokenPurpose, { emailKey: key, exp: ctx.now.getTime() + privacyLinkLifetimeMs });
  const link = `${deps.config.publicUrl}/privacy/comments/manage?token=${encodeURIComponent(token)}`;
  const event = await db.transaction().execute((trx) =>
    appendEvent(trx, {
      topic: 'mail.requested',
      payload: {
        to: input.email.trim(),
        subject: 'Your comments: download or erase them',
        purpose: 'privacy-link',
        text: `Hello,\n\nsomeone (we hope you) asked to manage the comments posted with this address. Within 24 hours, this link lets you download them or erase them:\n\n${link}\n\nIf it was not you, ignore this message; nothing changes.\n`,
      },
      now: ctx.now.toISOString(),
    }),
  );
  deps.onCommitted([event]);
}

/** The email key a privacy link was made for; PRIVACY_LINK_INVALID when altered, PRIVACY_LINK_EXPIRED when too old. */
export function readPrivacyLink(deps: Pick<Deps, 'ipSalt'>, token: string, now: Date): string {
  const data = token === '' ? undefined : verifyToken<{ emailKey?: unknown; exp?: unknown }>(deps.ipSalt, tokenPurpose, token);
  if (!data || typeof data.emailKey !== 'string' || data.emailKey === '' || typeof data.exp !== 'number') {
    throw new DomainError('PRIVACY_LINK_INVALID', 'This link is not valid. Please copy the whole link from the email, or ask for a new one.');
  }
  if (data.exp <= now.getTime()) {
    throw new DomainError('PRIVACY_LINK_EXPIRED', 'This link has expired (links work for 24 hours). Please ask for a new one.');
  }
  return data.emailKey;
}

/** How many comments a commenter has here. */
export function countCommenterComments(deps: Deps, key: string): Promise<number> {
  return key === '' ? Promise.resolve(0) : repo.countCommentsByEmailKey(deps.store.db, key);
}

export interface CommentExport {
  exportedAt: string;
  site: string;
  comments: {
    id: number;
    story: { headline: string; url: string };
    inReplyTo: number | null;
    status: string;
    name: string;
    website: string | null;
    text: string;
    postedAt: string;
    editedAt: string | null;
  }[];
}

/** Every comment of a commenter (held, spam and trashed ones too), as a JSON document they may keep. */
export async function exportCommenterComments(deps: Deps, key: string, now: Date): Promise<CommentExport> {
  const rows = key === '' ? [] : await repo.listCommentsByEmailKey(deps.store.db, key);
  return {
    exportedAt: now.toISOString(),
    site: deps.config.publicUrl,
    comments: rows.map((c) => ({
      id: c.id,
      story: { headline: c.story_headline, url: `${deps.config.publicUrl}${storyPath(c.story_slug)}` },
      inReplyTo: c.parent_id,
      status: c.status,
      name: c.author_name,
      website: c.author_url,
      text: c.body_source,
      postedAt: c.created_at,
      editedAt: c.edited_at,
    })),
  };
}

/**
 * Erases a commenter at their request: every comment of theirs keeps its place (so replies stay
 * threaded and readable) but shows "[deleted]" as name and text; their address, website, IP hash,
 * user agent and browser key go, and so does the text kept in earlier history entries; their
 * subscriptions and notification address go, and the outbox forgets mail to them (unsent mail is cancelled). One transaction; the pages are purged after commit.
 */
export async function eraseCommenter(deps: Deps, ctx: Pick<RequestContext, 'now'>, key: string): Promise<{ erased: number }> {
  return scrubCommenter(deps, {
    key,
    now: ctx.now,
    action: 'erased',
    actor: 'commenter',
    fields: { author_name: '[deleted]', body: { source: '[deleted]', html: '<p>[deleted]</p>' } },
  });
}

/**
 * An administrator anonymises a commenter: like erasure, but the text stays (named "Anonymous").
 * Recorded in each comment's history and in the audit log, without the address.
 */
export async function anonymiseCommenter(deps: Deps, actor: Actor, key: string): Promise<{ anonymised: number }> {
  assertCan(actor, 'commenter.anonymise');
  if (key === '' || (await countCommenterComments(deps, key)) === 0) {
    throw new DomainError('COMMENTER_NOT_FOUND', 'There are no comments by this commenter (they may have been erased or anonymised already).');
  }
  const { erased } = await scrubCommenter(deps, {
    key,
    now: deps.clock.now(),
    action: 'anonymised',
    actor: { id: actor.personId, name: actor.name },
    fields: { author_name: 'Anonymous' },
    audit: actor,
  });
  return { anonymised: erased };
}

async function scrubCommenter(
  deps: Deps,
  o: {
    key: string;
    now: Date;
    action: 'erased' | 'anonymised';
    actor: HistoryActor;
    fields: repo.ScrubbedFields;
    audit?: Actor;
  },
): Promise<{ erased: number }> {
  if (o.key === '') return { erased: 0 };
  const now = o.now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const refs = await repo.listCommentRefsByEmailKey(trx, o.key);
    const storyIds = [...new Set(refs.map((r) => r.story_id))];
    await repo.forgetMailTo(trx, await repo.listAddressesByEmailKey(trx, o.key), now);
    for (let i = 0; i < refs.length; i += chunkSize) {
      const ids = refs.slice(i, i + chunkSize).map((r) => r.id);
      await repo.scrubComments(trx, ids, o.fields);
      // Erasure keeps nothing of the old text; anonymising keeps the text, so only the edits' previous versions stay.
      await repo.blankHistoryDetails(trx, ids, o.action === 'anonymised' ? { keepActions: ['edited'] } : {});
    }
    for (const ref of refs) await insertHistory(trx, { commentId: ref.id, action: o.action, actor: o.actor, details: {}, now });
    await repo.forgetSubscriberAddress(trx, o.key);
    const first = refs[0];
    if (o.audit && first) {
      await recordAudit(trx, {
        actor: o.audit,
        action: 'commenter.anonymised',
        subject: { type: 'comment', id: first.id },
        details: { comments: refs.length, storyIds },
        now,
      });
    }
    const events: OutboxEvent[] =
      refs.length > 0 ? [await appendEvent(trx, { topic: 'comment.commenter-erased', payload: { storyIds }, now })] : [];
    return { erased: refs.length, events };
  });
  deps.onCommitted(result.events);
  return { erased: result.erased };
}

/**
 * The retention pass: IP hashes and user agents of comments, and reporter keys of reports, older
 * than READOUT_IP_RETENTION_DAYS are erased, in batches of `batchSize` rows (at most `maxBatches`
 * a pass; the next pass continues); sign-in attempts that old are deleted, and the recipients of
 * mails sent that long ago are blanked in the outbox.
 */
export async function eraseExpiredIpData(
  deps: Pick<Deps, 'store' | 'config'>,
  now: Date,
  o: { batchSize?: number; maxBatches?: number } = {},
): Promise<repo.RetentionCounts> {
  const db = deps.store.db;
  const before = new Date(now.getTime() - deps.config.privacy.ipRetentionDays * 24 * 60 * 60 * 1000).toISOString();
  const batchSize = o.batchSize ?? 500;
  const maxBatches = o.maxBatches ?? 200;
  const drain = async (step: () => Promise<number>) => {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const n = await step();
      total += n;
      if (n < batchSize) break;
    }
    return total;
  };
  return {
    comments: await drain(() => repo.eraseCommentIpHashes(db, before, batchSize)),
    reports: await drain(() => repo.eraseReporterKeys(db, before, batchSize)),
    signInAttempts: await repo.deleteSignInAttemptsBefore(db, before),
    sentMails: await drain(() => repo.blankSentMailAddresses(db, before, batchSize)),
  };
}
