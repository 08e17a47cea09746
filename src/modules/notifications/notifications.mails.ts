import type { EventMap } from '../../platform/outbox.js';

export type MailPayload = EventMap['mail.requested'];

/** Where links in mail point: absolute URLs under PUBLIC_URL. */
export interface MailSite {
  siteName: string;
  publicUrl: string;
}

/**
 * RFC 8058 one-click unsubscribe: a mail client (or the mail provider, from its own servers) POSTs
 * `List-Unsubscribe=One-Click` to the URL, without cookies. RFC 2369 wants the URL in angle brackets.
 */
export function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The one mail an unconfirmed address ever gets: the double opt-in link, and "never email me again". */
export function confirmationMail(site: MailSite, o: { to: string; headline: string; confirmUrl: string; unsubscribeUrl: string }): MailPayload {
  return {
    to: o.to,
    subject: `Please confirm: email me replies to my comments on ${site.siteName}`,
    purpose: 'comment-subscription-confirm',
    headers: unsubscribeHeaders(o.unsubscribeUrl),
    text:
      `Hello,\n\nsomeone (we hope you) posted a comment with this address on “${o.headline}” at ${site.siteName} ` +
      `and asked to be emailed when readers reply.\n\nTo confirm, open this link and press "Confirm":\n\n${o.confirmUrl}\n\n` +
      `If it was not you, ignore this message: we will not email you again unless you confirm.\n\n` +
      `Never email me again (no confirmation needed):\n${o.unsubscribeUrl}\n`,
  };
}

/** A reply to a subscriber's comment. Never carries the replier's address. */
export function replyMail(
  site: MailSite,
  o: { to: string; recipientName: string; replierName: string; headline: string; body: string; replyId: number; unsubscribeUrl: string },
): MailPayload {
  return {
    to: o.to,
    subject: `${o.replierName} replied to your comment on “${o.headline}”`,
    purpose: 'comment-reply-notification',
    headers: unsubscribeHeaders(o.unsubscribeUrl),
    text:
      `Hello ${o.recipientName},\n\n${o.replierName} replied to your comment on “${o.headline}”:\n\n${quote(excerpt(o.body, 500))}\n\n` +
      `Read the reply and answer it:\n${site.publicUrl}/comment/${o.replyId}\n\n` +
      `You get this because you asked to be notified of replies on this story at ${site.siteName}.\n` +
      `Stop notifications for this story:\n${o.unsubscribeUrl}\n`,
  };
}

/** The moderators' digest of comments held for review. */
export function digestMail(
  site: MailSite,
  o: {
    to: string;
    name: string;
    comments: readonly { id: number; author_name: string; body_source: string; headline: string }[];
    total: number;
    unsubscribeUrl: string;
  },
): MailPayload {
  const n = o.total;
  const lines = o.comments.map((c) => `- ${c.author_name} on “${c.headline}”:\n  ${excerpt(c.body_source, 160)}`);
  const more = n > o.comments.length ? `\n…and ${n - o.comments.length} more.\n` : '';
  return {
    to: o.to,
    subject: `${n} comment${n === 1 ? '' : 's'} awaiting moderation on ${site.siteName}`,
    purpose: 'moderation-digest',
    headers: unsubscribeHeaders(o.unsubscribeUrl),
    text:
      `Hello ${o.name},\n\n${n === 1 ? 'A new comment is' : `${n} new comments are`} waiting for review:\n\n${lines.join('\n')}\n${more}\n` +
      `Review them in the moderation queue:\n${site.publicUrl}/admin/comments\n\n` +
      `Stop these digests:\n${o.unsubscribeUrl}\n`,
  };
}

/** The first `max` characters of a text on one line (whitespace collapsed), with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

function quote(text: string): string {
  return `> ${text}`;
}
