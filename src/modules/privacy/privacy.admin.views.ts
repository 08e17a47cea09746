import { html } from '../../lib/html.js';
import type { SiteContext } from '../../views/layout.js';
import { adminPage, csrfField } from '../newsroom/index.js';
import type { ActiveSession } from '../people/index.js';

/** The confirm step before an administrator anonymises a commenter. */
export function renderAnonymiseConfirmPage(site: SiteContext, o: { session: ActiveSession; emailKey: string; count: number }): string {
  const back = `/admin/comments?view=all&commenter=${encodeURIComponent(o.emailKey)}`;
  return adminPage(site, {
    title: 'Anonymise commenter',
    session: o.session,
    main:
      o.count === 0
        ? html`<h1 class="page-title">Anonymise commenter</h1>
<p>There are no comments by this commenter (they may have been erased or anonymised already).</p>`
        : html`<h1 class="page-title">Anonymise this commenter?</h1>
<p>${o.count === 1 ? 'Their comment keeps its text' : `Their ${o.count} comments keep their text`} but will be shown as “Anonymous”. Their email address, website, IP hash, browser name and reply notifications are removed, and they can no longer be told apart from other commenters. This cannot be undone.</p>
<form method="post" action="/admin/commenters/${o.emailKey}/anonymise" class="admin-form">
${csrfField(o.session)}
<p><button type="submit" class="danger">Anonymise commenter</button> <a href="${back}">Cancel</a></p>
</form>`,
  });
}

export function renderAnonymisedPage(site: SiteContext, o: { session: ActiveSession; anonymised: number }): string {
  return adminPage(site, {
    title: 'Commenter anonymised',
    session: o.session,
    main: html`<h1 class="page-title">Commenter anonymised</h1>
<p role="status">${o.anonymised === 1 ? 'One comment is' : `${o.anonymised} comments are`} now shown as “Anonymous”.</p>
<p><a href="/admin/comments">Back to the moderation queue</a></p>`,
  });
}
