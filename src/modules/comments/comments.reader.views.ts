import type { CommentRow } from '../../db/schema.js';
import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { renderPage, timeTag, type SiteContext } from '../../views/layout.js';
import { commentPagePath } from './comments.pages.js';
import { reportReasons } from './comments.reader.js';
import { commentLimits } from './comments.schemas.js';

/** The note a commenter sees on their own held comment (WordPress's words). */
export const awaitingModerationNote = 'Your comment is awaiting moderation.';

/**
 * Links to the other pages of a long comment section (WordPress's comment navigation), shown
 * above and below the comments: `where` names each landmark apart, as screen readers list them.
 */
export function renderCommentPager(o: { storyPath: string; page: number; pageCount: number; newestFirst: boolean; where?: 'top' | 'bottom' }): SafeHtml | '' {
  if (o.pageCount <= 1) return '';
  const link = (n: number) =>
    n === o.page
      ? html`<span aria-current="page" class="page-numbers current">${n}</span>`
      : html`<a class="page-numbers" href="${commentPagePath(o.storyPath, n)}#comments">${n}</a>`;
  const numbers = Array.from({ length: o.pageCount }, (_, i) => i + 1)
    .filter((n) => n === 1 || n === o.pageCount || Math.abs(n - o.page) <= 2)
    .map((n, i, all) => (i > 0 && n - (all[i - 1] as number) > 1 ? html`<span class="dots">…</span> ${link(n)}` : link(n)));
  const [earlier, later] = o.newestFirst ? ['Newer comments', 'Older comments'] : ['Older comments', 'Newer comments'];
  return html`<nav class="navigation comment-navigation" aria-label="${o.where === 'bottom' ? 'Comment pages, below the comments' : 'Comment pages'}">
${o.page > 1 ? html`<a class="prev" rel="prev" href="${commentPagePath(o.storyPath, o.page - 1)}#comments">${earlier}</a> ` : ''}${numbers.map((n) => html`${n} `)}${
    o.page < o.pageCount ? html`<a class="next" rel="next" href="${commentPagePath(o.storyPath, o.page + 1)}#comments">${later}</a>` : ''
  }
</nav>`;
}

/** The author's own edit form (uncached), with the delete button beside it. */
export function renderEditCommentPage(
  site: SiteContext,
  o: { comment: CommentRow; storyPath: string; until: Date; text?: string; errors?: FieldErrors },
): string {
  const c = o.comment;
  const e = o.errors ?? {};
  const main = html`<h1 class="page-title">Edit your comment</h1>
<p>You can change or delete your comment until ${timeTag(site, o.until.toISOString())}. <a href="${c.status === 'approved' ? `/comment/${c.id}` : `${o.storyPath}#comments`}">Back to the story</a></p>
${c.status === 'pending' ? html`<p class="comment-awaiting-moderation">${awaitingModerationNote}</p>` : ''}
<form action="/comments/${c.id}/edit" method="post" class="comment-edit-form"${e.comment ? raw(' aria-describedby="comment-error"') : ''}>
<p class="comment-form-comment${e.comment ? ' has-error' : ''}"><label for="comment">Comment</label>
${e.comment ? html`<span id="comment-error" class="field-error" role="alert">${e.comment}</span> ` : ''}<textarea id="comment" name="comment" cols="45" rows="8" maxlength="${commentLimits.comment}" required${
    e.comment ? raw(' aria-invalid="true"') : ''
  }>${o.text ?? c.body_source}</textarea></p>
<p class="form-submit"><input type="submit" class="submit" value="Save changes"></p>
</form>
<form action="/comments/${c.id}/delete" method="post" class="comment-delete-form">
<p><input type="submit" class="submit delete" value="Delete this comment"></p>
</form>`;
  return renderPage(site, { title: 'Edit your comment', noindex: true, main });
}

/** "Report this comment": a plain form, no JavaScript needed. */
export function renderReportCommentPage(
  site: SiteContext,
  o: { comment: CommentRow; values?: { reason: string; note: string }; errors?: FieldErrors },
): string {
  const c = o.comment;
  const e = o.errors ?? {};
  const labels: Record<(typeof reportReasons)[number], string> = {
    spam: 'Spam or advertising',
    abuse: 'Abusive, hateful or harassing',
    'off-topic': 'Off-topic',
    other: 'Something else',
  };
  const main = html`<h1 class="page-title">Report a comment</h1>
<p>You are reporting this comment by <b>${c.author_name}</b> (<a href="/comment/${c.id}">back to the story</a>):</p>
<blockquote class="reported-comment">${raw(c.body_html)}</blockquote>
<form action="/comments/${c.id}/report" method="post" class="comment-report-form">
<fieldset${e.reason ? raw(' aria-describedby="reason-error"') : ''}>
<legend>Why should moderators look at it?</legend>
${e.reason ? html`<p id="reason-error" class="field-error" role="alert">${e.reason}</p>` : ''}
${reportReasons.map(
  (r) => html`<p><input type="radio" name="reason" id="reason-${r}" value="${r}"${o.values?.reason === r ? raw(' checked') : ''} required> <label for="reason-${r}">${labels[r]}</label></p>
`,
)}</fieldset>
<p><label for="note">Anything moderators should know (optional)</label>
${e.note ? html`<span id="note-error" class="field-error" role="alert">${e.note}</span> ` : ''}<textarea id="note" name="note" rows="4" cols="45" maxlength="1000">${o.values?.note ?? ''}</textarea></p>
<p class="form-submit"><input type="submit" class="submit" value="Send report"></p>
</form>`;
  return renderPage(site, { title: 'Report a comment', noindex: true, main });
}

export function renderReportThanksPage(site: SiteContext, o: { commentId: number }): string {
  const main = html`<h1 class="page-title">Thank you</h1>
<p>Your report has been sent to the moderators. They will look at the comment soon.</p>
<p><a href="/comment/${o.commentId}">Back to the story</a></p>`;
  return renderPage(site, { title: 'Thank you for your report', noindex: true, main });
}
