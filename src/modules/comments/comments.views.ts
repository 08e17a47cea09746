import type { FieldErrors } from '../../errors.js';
import { avatarPath } from '../../lib/avatar.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { isHttpUrl } from '../../lib/urls.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import type { PublicComment } from './comments.repo.js';
import { formTokenField, honeypotField } from './comments.form-token.js';
import { commentLimits } from './comments.schemas.js';
import { awaitingModerationNote, renderCommentPager } from './comments.reader.views.js';
import { buildThreads, type ThreadNode } from './comments.threads.js';

export interface CommentFormValues {
  comment: string;
  author: string;
  email: string;
  url: string;
  remember: boolean;
  /** The "Notify me of follow-up comments by email" box (field subscribe_comments). */
  notify?: boolean;
}

export const emptyCommentForm: CommentFormValues = { comment: '', author: '', email: '', url: '', remember: false };

export interface CommentSectionOptions {
  storyId: number;
  storyPath: string;
  headline: string;
  comments: readonly PublicComment[];
  /** Set on the no-JavaScript reply view (`?replytocom=N`). */
  replyTo?: { id: number; name: string };
  values?: CommentFormValues;
  errors?: FieldErrors;
  /** A message for the whole form (e.g. why it was refused). */
  formError?: string;
  /** The form's signed timestamp (comments.form-token.ts); the browser script refreshes it on cached pages. */
  formToken?: string;
  /** Which page of a long comment section this is, and the story's count of approved comments. */
  pagination?: { page: number; pageCount: number; total: number; newestFirst: boolean };
  /** Comments are closed (by an editor, or after the story's days): "Comments are closed." instead of the form. */
  closed?: boolean;
}

/** The comment section of a story: threaded comments, then the "Leave a Reply" form (WordPress markup). */
export function renderCommentSection(site: SiteContext, o: CommentSectionOptions): SafeHtml {
  const threads = buildThreads(o.comments);
  const count = o.pagination?.total ?? o.comments.filter((c) => c.status === 'approved').length;
  const pager = (where: 'top' | 'bottom') => (o.pagination ? renderCommentPager({ storyPath: o.storyPath, ...o.pagination, where }) : '');
  return html`<section id="comments" class="comments-area" aria-labelledby="${o.comments.length > 0 ? 'comments-title' : 'reply-title'}" data-story-id="${o.storyId}" data-cpage="${o.pagination?.page ?? 1}">
${
  o.comments.length > 0
    ? html`<h2 id="comments-title" class="comments-title">${count === 1 ? 'One comment' : `${count === 0 ? 'No' : count} comments`} on “${o.headline}”</h2>
${pager('top')}<ol class="comment-list">
${renderNodes(site, threads, o)}</ol>
${pager('bottom')}`
    : ''
}
${o.closed ? html`<p id="respond" class="comments-closed no-comments">Comments are closed.</p>` : renderCommentForm(o)}
</section>`;
}

/** One comment as a list item, with its nested replies; also the HTML the JSON endpoint returns. */
export function renderComment(
  site: SiteContext,
  node: ThreadNode<PublicComment>,
  o: Pick<CommentSectionOptions, 'storyId' | 'storyPath'>,
): SafeHtml {
  const c = node.comment;
  if (c.status === 'deleted') {
    // A placeholder keeps the replies readable (comments.pages.ts blanked its name and text).
    return html`<li id="comment-${c.id}" class="comment depth-${node.level} comment-deleted" data-level="${node.level}">
<article id="div-comment-${c.id}" class="comment-body"><p class="comment-deleted-note">This comment was deleted.</p></article>
${node.children.length > 0 ? html`<ol class="children">
${renderNodes(site, node.children, o)}</ol>` : ''}
</li>
`;
  }
  const name = c.author_url && isHttpUrl(c.author_url)
    ? html`<a href="${c.author_url}" rel="nofollow ugc noopener" class="url">${c.author_name}</a>`
    : c.author_name;
  const replyLabel = `Reply to ${c.author_name}`;
  return html`<li id="comment-${c.id}" class="comment depth-${node.level}" data-level="${node.level}">
<article id="div-comment-${c.id}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author"><img class="avatar" src="${avatarPath(site.avatarKey, c.email_key)}" alt="" width="40" height="40" loading="lazy"> <b class="fn">${name}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="${c.status === 'approved' ? `/comment/${c.id}` : `${o.storyPath}#comment-${c.id}`}">${timeTag(site, c.created_at)}</a>${c.edited_at ? html` <span class="comment-edited">(edited)</span>` : ''}${
    node.inReplyTo
      ? html` <span class="in-reply-to">in reply to <a href="#comment-${node.inReplyTo.id}">${node.inReplyTo.name}</a></span>`
      : ''
  }</div>
</footer>
${c.status === 'approved' ? '' : html`<p class="comment-awaiting-moderation">${awaitingModerationNote}</p>
`}<div class="comment-content">
${raw(c.body_html)}</div>
${c.status === 'approved' ? html`<div class="reply"><a rel="nofollow" class="comment-reply-link" href="${o.storyPath}?replytocom=${c.id}#respond" data-commentid="${c.id}" data-postid="${o.storyId}" data-replyto="${c.author_name}" aria-label="${replyLabel}">Reply</a> <a rel="nofollow" class="comment-report-link" href="/comments/${c.id}/report">Report</a></div>` : html`<div class="reply"></div>`}
</article>
${node.children.length > 0 ? html`<ol class="children">
${renderNodes(site, node.children, o)}</ol>` : ''}
</li>
`;
}

function renderNodes(
  site: SiteContext,
  nodes: readonly ThreadNode<PublicComment>[],
  o: Pick<CommentSectionOptions, 'storyId' | 'storyPath'>,
): SafeHtml[] {
  return nodes.map((node) => renderComment(site, node, o));
}

function renderCommentForm(o: CommentSectionOptions): SafeHtml {
  const v = o.values ?? emptyCommentForm;
  const e = o.errors ?? {};
  const errorIds = Object.keys(e).map((f) => `${f}-error`);
  return html`<div id="respond" class="comment-respond">
<h2 id="reply-title" class="comment-reply-title">${
    o.replyTo ? html`Leave a Reply to <span class="reply-to-name">${o.replyTo.name}</span>` : 'Leave a Reply'
  } <small><a rel="nofollow" id="cancel-comment-reply-link" href="${o.storyPath}#respond"${o.replyTo ? '' : raw(' hidden')}>Cancel reply</a></small></h2>
<form action="/comments" method="post" id="commentform" class="comment-form" novalidate${
    errorIds.length > 0 ? html` aria-describedby="comment-form-errors"` : ''
  }>
${
  errorIds.length > 0 || o.formError
    ? html`<div id="comment-form-errors" class="form-errors" role="alert" tabindex="-1">
<p>${o.formError ?? 'Your comment was not posted. Please correct the fields marked below.'}</p>
${e.comment_parent ? html`<p id="comment_parent-error" class="field-error">${e.comment_parent}</p>` : ''}
</div>`
    : ''
}
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <a href="/privacy/comments" class="privacy-link">Manage your comments</a> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
<p class="comment-form-comment${e.comment ? ' has-error' : ''}"><label for="comment">Comment <span class="required">*</span></label>
${fieldError('comment', e)}<textarea id="comment" name="comment" cols="45" rows="8" maxlength="${commentLimits.comment}" required${invalid('comment', e)}>${v.comment}</textarea></p>
<p class="comment-form-author${e.author ? ' has-error' : ''}"><label for="author">Name <span class="required">*</span></label>
${fieldError('author', e)}<input id="author" name="author" type="text" value="${v.author}" size="30" maxlength="${commentLimits.author}" autocomplete="name" required${invalid('author', e)}></p>
<p class="comment-form-email${e.email ? ' has-error' : ''}"><label for="email">Email <span class="required">*</span></label>
${fieldError('email', e)}<input id="email" name="email" type="email" value="${v.email}" size="30" maxlength="${commentLimits.email}" autocomplete="email" required${invalid('email', e, 'email-notes')}></p>
<p class="comment-form-url${e.url ? ' has-error' : ''}"><label for="url">Website</label>
${fieldError('url', e)}<input id="url" name="url" type="url" value="${v.url}" size="30" maxlength="${commentLimits.url}" autocomplete="url"${invalid('url', e)}></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes"${v.remember ? raw(' checked') : ''}> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="comment-subscription-form"><input id="subscribe_comments" name="subscribe_comments" type="checkbox" value="subscribe"${v.notify ? raw(' checked') : ''}> <label for="subscribe_comments">Notify me of follow-up comments by email.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment">
<input type="hidden" name="comment_post_ID" value="${o.storyId}" id="comment_post_ID">
<input type="hidden" name="comment_parent" id="comment_parent" value="${o.replyTo?.id ?? 0}">
<input type="hidden" name="${formTokenField}" id="${formTokenField}" value="${o.formToken ?? ''}"></p>
<div class="comment-form-hp" aria-hidden="true"><label for="${honeypotField}">If you are a person, leave this field empty.</label> <input id="${honeypotField}" name="${honeypotField}" type="text" value="" tabindex="-1" autocomplete="off"></div>
<p class="form-status" role="status" aria-live="polite"></p>
</form>
</div>`;
}

function fieldError(field: string, errors: FieldErrors): SafeHtml | string {
  const message = errors[field];
  return message ? html`<span id="${field}-error" class="field-error">${message}</span> ` : '';
}

function invalid(field: string, errors: FieldErrors, describedBy?: string): SafeHtml {
  const ids = [errors[field] ? `${field}-error` : undefined, describedBy].filter(Boolean).join(' ');
  return html`${errors[field] ? raw(' aria-invalid="true"') : ''}${ids ? html` aria-describedby="${ids}"` : ''}`;
}
