import type { FieldErrors } from '../../errors.js';
import { html, type SafeHtml } from '../../lib/html.js';
import { renderPage, type SiteContext } from '../../views/layout.js';

/** The answer to every request, whether or not the address has comments here (no enumeration). */
export const privacyLinkSentMessage = 'If this address has comments here, we have sent it a link. It works for 24 hours.';

/** "Manage your comments": what is kept about commenters, and the form asking for a link. */
export function renderPrivacyRequestPage(
  site: SiteContext,
  o: { retentionDays: number; email?: string; errors?: FieldErrors; sent?: boolean; formError?: string },
): string {
  const error = o.errors?.email;
  return privacyPage(site, 'Manage your comments', html`<h1 class="page-title">Manage your comments</h1>
${o.sent ? html`<p class="notice" role="status">${privacyLinkSentMessage}</p>` : ''}
${o.formError ? html`<div class="form-errors" role="alert"><p>${o.formError}</p></div>` : ''}
<p>You can download every comment you posted here with your email address, or erase them. Give the address you comment with and we will send it a link; the link works for 24 hours.</p>
<form method="post" action="/privacy/comments" class="privacy-form" novalidate>
<p class="field${error ? ' has-error' : ''}"><label for="email">Email</label>
${error ? html`<span id="email-error" class="field-error">${error}</span> ` : ''}<input id="email" name="email" type="email" value="${o.email ?? ''}" size="30" maxlength="254" autocomplete="email" required${
    error ? html` aria-invalid="true" aria-describedby="email-error"` : ''
  }></p>
<p><button type="submit">Send me a link</button></p>
</form>
${whatWeKeep(o.retentionDays)}`);
}

/** The page a mailed link opens: how many comments, download, erase. */
export function renderPrivacyManagePage(site: SiteContext, o: { token: string; count: number; retentionDays: number }): string {
  const t = encodeURIComponent(o.token);
  return privacyPage(site, 'Your comments', html`<h1 class="page-title">Your comments</h1>
${
  o.count === 0
    ? html`<p>There are no comments posted with this address here (any there were have been erased).</p>`
    : html`<p>${o.count === 1 ? 'One comment was' : `${o.count} comments were`} posted here with your email address, including any still awaiting moderation.</p>
<ul class="privacy-actions">
<li><a href="/privacy/comments/export?token=${t}" download>Download my comments</a> (a JSON file: story, text, times and state of each comment)</li>
<li><a href="/privacy/comments/erase?token=${t}">Erase my comments</a></li>
</ul>`
}
${whatWeKeep(o.retentionDays)}`);
}

/** The confirm step before erasure. */
export function renderEraseConfirmPage(site: SiteContext, o: { token: string; count: number }): string {
  if (o.count === 0) {
    return privacyPage(site, 'Erase your comments', html`<h1 class="page-title">Nothing to erase</h1>
<p>There are no comments posted with this address here (any there were have been erased).</p>`);
  }
  return privacyPage(site, 'Erase your comments', html`<h1 class="page-title">Erase your comments?</h1>
<p>${o.count === 1 ? 'Your comment' : `All ${o.count} of your comments`} will show “[deleted]” in place of your name and text, so that replies to ${o.count === 1 ? 'it' : 'them'} stay readable. Your email address, website and everything else we kept with ${o.count === 1 ? 'it' : 'them'} are removed, and so are your reply notifications. This cannot be undone.</p>
<form method="post" action="/privacy/comments/erase" class="privacy-form">
<input type="hidden" name="token" value="${o.token}">
<p><button type="submit" class="danger">Erase my comments</button> <a href="/privacy/comments/manage?token=${encodeURIComponent(o.token)}">Cancel</a></p>
</form>`);
}

export function renderErasedPage(site: SiteContext, o: { erased: number }): string {
  return privacyPage(site, 'Comments erased', html`<h1 class="page-title">Your comments are erased</h1>
<p role="status">${o.erased === 1 ? 'One comment was' : `${o.erased} comments were`} erased. Pages may take a moment to show the change.</p>
<p><a href="/">Go to the front page</a></p>`);
}

/** A bad or expired link. */
export function renderPrivacyLinkErrorPage(site: SiteContext, message: string): string {
  return privacyPage(site, 'Link not valid', html`<h1 class="page-title">This link does not work</h1>
<p>${message}</p>
<p><a href="/privacy/comments">Ask for a new link</a></p>`);
}

function whatWeKeep(retentionDays: number): SafeHtml {
  return html`<h2>What we keep</h2>
<ul>
<li>Your name, website and comment are shown with your comment. Your email address is never shown; your picture is drawn here from a code that cannot be traced back to it.</li>
<li>Your email address, a coded form of your IP address and your browser name are kept for moderators; the IP code and browser name are erased after ${retentionDays} days.</li>
</ul>`;
}

function privacyPage(site: SiteContext, title: string, main: SafeHtml): string {
  return renderPage(site, { title, noindex: true, main });
}
