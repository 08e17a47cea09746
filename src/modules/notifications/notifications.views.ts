import { html } from '../../lib/html.js';
import { renderPage, type SiteContext } from '../../views/layout.js';
import type { UnsubscribeToken } from './notifications.service.js';

/**
 * The pages behind the links in mail. Each GET only shows a button: mail scanners and link
 * previewers fetch GET links, and must not confirm or unsubscribe anyone by doing so.
 */
export function renderConfirmPage(site: SiteContext, o: { token: string }): string {
  return notice(site, {
    title: 'Confirm reply notifications',
    body: html`<p>Press the button to receive an email when readers reply to your comments on the stories you chose.
You can stop them at any time with the link in each email.</p>
<form method="post" action="/subscriptions/confirm">
<input type="hidden" name="token" value="${o.token}">
<p><button type="submit">Confirm</button></p>
</form>`,
  });
}

export function renderConfirmedPage(site: SiteContext, o: { outcome: 'confirmed' | 'suppressed' }): string {
  return notice(site, {
    title: o.outcome === 'confirmed' ? 'Notifications confirmed' : 'Notifications are off for this address',
    body:
      o.outcome === 'confirmed'
        ? html`<p>Thank you. We will email you when readers reply to your comments. Each email has a link to stop them.</p>`
        : html`<p>You asked us never to email this address, so we will not send it any notifications.</p>`,
  });
}

export function renderUnsubscribePage(site: SiteContext, o: { token: string; what: UnsubscribeToken }): string {
  return notice(site, {
    title: titleOf(o.what),
    body: html`<p>${describe(o.what)}</p>
<form method="post" action="/unsubscribe?token=${o.token}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<p><button type="submit">${buttonOf(o.what)}</button></p>
</form>`,
  });
}

export function renderUnsubscribedPage(site: SiteContext, o: { what: UnsubscribeToken }): string {
  const done: Record<UnsubscribeToken['kind'], string> = {
    story: 'You will not get any more reply notifications for this story.',
    address: 'We will not send this address any email again.',
    digest: 'You will not get the moderation digest any more.',
  };
  return notice(site, { title: 'Unsubscribed', body: html`<p>${done[o.what.kind]}</p>` });
}

function titleOf(what: UnsubscribeToken): string {
  return what.kind === 'digest' ? 'Stop the moderation digest' : what.kind === 'address' ? 'Never email me again' : 'Stop reply notifications';
}

function describe(what: UnsubscribeToken): string {
  if (what.kind === 'story') return 'Stop emailing me about replies to my comments on this story.';
  if (what.kind === 'address') return 'Stop all email from this site to this address, now and in the future.';
  return 'Stop sending me the digest of comments awaiting moderation.';
}

function buttonOf(what: UnsubscribeToken): string {
  return what.kind === 'address' ? 'Never email me again' : 'Unsubscribe';
}

function notice(site: SiteContext, o: { title: string; body: ReturnType<typeof html> }): string {
  return renderPage(site, {
    title: o.title,
    noindex: true,
    main: html`<article class="notice-page">
<h1>${o.title}</h1>
${o.body}
</article>`,
  });
}
