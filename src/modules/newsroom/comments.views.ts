import type { CommentHistoryRow, CommentStatus, ModerationReason } from '../../db/schema.js';
import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import type { ModerationDetail, QueueEntry, QueueView, ReportCount, StatusCounts } from '../comments/index.js';
import { can, type ActiveSession } from '../people/index.js';
import { adminPage, csrfField } from './newsroom.views.js';

const viewLabels: Record<QueueView, string> = {
  attention: 'Needs attention',
  pending: 'Held',
  reported: 'Reported',
  approved: 'Approved',
  spam: 'Spam',
  trash: 'Trash',
  all: 'All',
};
const statusLabels: Record<CommentStatus, string> = { pending: 'held', approved: 'approved', spam: 'spam', trash: 'trash', deleted: 'deleted by its author' };
const bulkChoices = [
  ['approve', 'Approve'],
  ['hold', 'Hold (unapprove)'],
  ['spam', 'Mark as spam'],
  ['trash', 'Move to trash'],
] as const;

export interface QueueScreen {
  session: ActiveSession;
  view: QueueView;
  commenter?: string;
  entries: QueueEntry[];
  nextBefore: number | undefined;
  paged: boolean;
  /** Held + reported, for the heading and the nav badge. */
  waiting: number;
  /** The URL of this very view, where each action sends the moderator back. */
  back: string;
  notice?: string;
}

/** Query string of a queue view (the commenter filter kept). */
export function queueUrl(o: { view: QueueView; commenter?: string | undefined; before?: number | undefined }): string {
  const params = new URLSearchParams();
  if (o.view !== 'attention') params.set('view', o.view);
  if (o.commenter) params.set('commenter', o.commenter);
  if (o.before) params.set('before', String(o.before));
  const query = params.toString();
  return `/admin/comments${query ? `?${query}` : ''}`;
}

export function renderQueue(site: SiteContext, v: QueueScreen): string {
  const who = v.commenter ? v.entries[0] : undefined;
  return adminPage(site, {
    title: `Comments: ${viewLabels[v.view]}`,
    session: v.session,
    commentQueueCount: v.waiting,
    scripts: [site.assets.admin],
    main: html`<h1 class="page-title">Comments</h1>
<nav aria-label="Comment views"><ul class="queue-tabs">${(Object.keys(viewLabels) as QueueView[]).map(
      (view) =>
        html`<li><a href="${queueUrl({ view, commenter: v.commenter })}"${view === v.view ? raw(' aria-current="page"') : ''}>${viewLabels[view]}${
          view === 'attention' ? ` (${v.waiting})` : ''
        }</a></li>`,
    )}</ul></nav>
${can(v.session.actor, 'comment.configure') ? html`<p class="queue-settings"><a href="/admin/comments/settings">Comment settings and moderation rules</a></p>` : ''}
${v.commenter ? html`<p class="notice">Only the comments of ${who ? html`<strong>${who.author_name}</strong> (${who.author_email})` : 'one commenter'}. <a href="${queueUrl({ view: v.view })}">Show every commenter</a>${
  can(v.session.actor, 'commenter.anonymise') ? html` · <a href="/admin/commenters/${v.commenter}/anonymise" class="danger">Anonymise this commenter…</a>` : ''
}</p>` : ''}
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<p class="hint" id="shortcut-hint">Keyboard: j/k move, a approve, s spam, t trash, e edit, r reply, x tick, ? all shortcuts.</p>
${
  v.entries.length === 0
    ? html`<p>No comments here.</p>`
    : html`<form method="post" action="/admin/comments/bulk" id="bulk-form" class="bulk-bar">${csrfField(v.session)}<input type="hidden" name="back" value="${v.back}">
<label for="bulk-action">With the ticked comments</label> <select id="bulk-action" name="action">${bulkChoices.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>
<button type="submit">Apply</button></form>
<ol class="moderation-queue" data-moderation-queue>
${v.entries.map((e) => queueItem(site, v, e))}</ol>`
}
${v.nextBefore ? html`<p><a rel="next" href="${queueUrl({ view: v.view, commenter: v.commenter, before: v.nextBefore })}">Older comments</a></p>` : ''}
${v.paged ? html`<p><a href="${queueUrl({ view: v.view, commenter: v.commenter })}">Newest comments</a></p>` : ''}
${shortcutHelp()}`,
  });
}

function queueItem(site: SiteContext, v: QueueScreen, e: QueueEntry): SafeHtml {
  return html`<li id="c-${e.id}" class="queue-item status-${e.status}" data-comment-id="${e.id}" tabindex="-1">
<p class="queue-select"><input type="checkbox" name="ids" value="${e.id}" form="bulk-form" id="select-${e.id}" data-select><label for="select-${e.id}">Tick comment ${e.id}</label></p>
<p class="queue-meta"><strong>${e.author_name}</strong> · <a href="mailto:${e.author_email}">${e.author_email}</a>${
    e.author_url ? html` · <a href="${e.author_url}" rel="nofollow noopener">${e.author_url}</a>` : ''
  } · ${timeTag(site, e.created_at)} · on <a href="/stories/${e.story_slug}">${e.story_headline}</a> · <span class="status">${statusLabels[e.status]}</span>${e.staff_person_id ? ' · newsroom' : ''}</p>
<div class="queue-body">${raw(e.body_html)}</div>
<p class="queue-facts">${e.link_count} ${e.link_count === 1 ? 'link' : 'links'} · spam score ${e.spam_score}${reasonsText(e.moderation_reasons)}${reportsText(e.reports)}
· history: ${historyText(e.previous)} <a href="${queueUrl({ view: 'all', commenter: e.email_key })}">all by this commenter</a></p>
${actions(v.session, { id: e.id, status: e.status, reported: e.reports.length > 0, back: `${v.back}` })}
</li>
`;
}

/** One small form per comment whose buttons are the actions (each one click), and links to edit and reply on the detail page. */
function actions(session: ActiveSession, c: { id: number; status: CommentStatus; reported: boolean; back: string }): SafeHtml {
  if (c.status === 'deleted') return html`<p class="queue-actions"><a href="/admin/comments/${c.id}">Details</a></p>`;
  const button = (action: string, label: string, key: string) => html`<button type="submit" name="action" value="${action}" data-shortcut="${key}">${label}</button> `;
  const list: SafeHtml[] = [];
  if (c.status === 'spam' || c.status === 'trash') list.push(button('restore', 'Restore', 'u'));
  if (c.status !== 'approved') list.push(button('approve', 'Approve', 'a'));
  else if (c.reported) list.push(button('approve', 'Keep (dismiss reports)', 'a'));
  else list.push(button('hold', 'Unapprove', 'h'));
  if (c.status !== 'spam') list.push(button('spam', 'Spam', 's'));
  if (c.status !== 'trash') list.push(button('trash', 'Trash', 't'));
  return html`<form method="post" action="/admin/comments/${c.id}/moderate" class="queue-actions">${csrfField(session)}<input type="hidden" name="back" value="${c.back}">${list}<a href="/admin/comments/${c.id}#edit" data-shortcut="e">Edit</a> <a href="/admin/comments/${c.id}#reply" data-shortcut="r">Reply</a> <a href="/admin/comments/${c.id}">Details</a></form>`;
}

function parseReasons(json: string): ModerationReason[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as ModerationReason[]) : [];
  } catch {
    return [];
  }
}

function reasonsText(json: string): SafeHtml | string {
  const reasons = parseReasons(json);
  return reasons.length === 0 ? '' : html` · reasons: ${reasons.map((r, i) => html`${i > 0 ? '; ' : ''}<span class="reason">${r.rule}</span> (${r.verdict}: ${r.detail})`)}`;
}

function reportsText(reports: ReportCount[]): SafeHtml | string {
  if (reports.length === 0) return '';
  return html` · <strong class="reports">open reports: ${reports.map((r, i) => `${i > 0 ? ', ' : ''}${r.reason} ×${r.count}`)}</strong>`;
}

/** "3 approved, 1 spam", or "first comment". */
export function historyText(counts: StatusCounts): string {
  const order: CommentStatus[] = ['approved', 'pending', 'spam', 'trash', 'deleted'];
  const parts = order.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${statusLabels[s]}`);
  return parts.length === 0 ? 'first comment' : parts.join(', ');
}

function shortcutHelp(): SafeHtml {
  const keys = [
    ['j / k', 'next / previous comment'],
    ['a', 'approve'],
    ['s', 'spam'],
    ['t', 'trash'],
    ['u', 'restore (from spam or trash)'],
    ['e', 'edit'],
    ['r', 'reply'],
    ['x', 'tick for a bulk action'],
    ['?', 'show or hide this help'],
  ];
  return html`<section id="shortcut-help" class="shortcut-help" hidden aria-labelledby="shortcut-help-title">
<h2 id="shortcut-help-title">Keyboard shortcuts</h2>
<dl>${keys.map(([k, what]) => html`<dt><kbd>${k}</kbd></dt><dd>${what}</dd>`)}</dl>
</section>`;
}

export interface DetailScreen {
  session: ActiveSession;
  detail: ModerationDetail;
  waiting: number;
  notice?: string;
  errors?: FieldErrors;
  /** Text to keep in the edit or reply box after a refused post. */
  editText?: string;
  replyText?: string;
  siteName: string;
}

export function renderCommentDetail(site: SiteContext, v: DetailScreen): string {
  const { comment: c, story, reports, history, people } = v.detail;
  const back = `/admin/comments/${c.id}`;
  return adminPage(site, {
    title: `Comment ${c.id}`,
    session: v.session,
    commentQueueCount: v.waiting,
    scripts: [site.assets.admin],
    main: html`<p><a href="/admin/comments">← Comments</a></p>
<h1 class="page-title">Comment ${c.id} by ${c.author_name}</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<dl class="comment-facts">
<dt>Story</dt><dd><a href="/stories/${story.slug}">${story.headline}</a> (<a href="/admin/stories/${story.id}/edit">edit the story</a>)</dd>
<dt>State</dt><dd>${statusLabels[c.status]}${c.moderated_at ? html`, ${timeTag(site, c.moderated_at)}${c.moderated_by ? ` by ${people.get(c.moderated_by) ?? 'a former staff member'}` : ''}` : ''}</dd>
<dt>Author</dt><dd>${c.author_name} · <a href="mailto:${c.author_email}">${c.author_email}</a>${c.author_url ? html` · <a href="${c.author_url}" rel="nofollow noopener">${c.author_url}</a>` : ''}</dd>
<dt>Posted</dt><dd>${timeTag(site, c.created_at)}${c.edited_at ? html`, edited ${timeTag(site, c.edited_at)}` : ''}</dd>
<dt>Links, spam score</dt><dd>${c.link_count}, ${c.spam_score}${reasonsText(c.moderation_reasons)}</dd>
<dt>Commenter</dt><dd>${historyText(v.detail.previous)} before this one · <a href="${queueUrl({ view: 'all', commenter: c.email_key })}">all by this commenter</a></dd>
</dl>
<div class="queue-body">${raw(c.body_html)}</div>
${actions(v.session, { id: c.id, status: c.status, reported: reports.some((r) => r.resolved_at === null), back })}
<h2>Reports</h2>
${
  reports.length === 0
    ? html`<p>No reader has reported it.</p>`
    : html`<table class="admin-table"><thead><tr><th scope="col">When</th><th scope="col">Reason</th><th scope="col">Note</th><th scope="col">Reporter</th><th scope="col">Resolved</th></tr></thead><tbody>
${reports.map(
  (r) =>
    html`<tr><td>${timeTag(site, r.created_at)}</td><td>${r.reason}</td><td>${r.note ?? ''}</td><td><code>${shortKey(r.reporter_key)}</code></td><td>${
      r.resolved_at ? html`${timeTag(site, r.resolved_at)}${r.resolved_by ? ` by ${people.get(r.resolved_by) ?? 'a former staff member'}` : ''}` : 'open'
    }</td></tr>`,
)}</tbody></table>`
}
<h2>History</h2>
<ol class="comment-history">${history.map((h) => historyItem(site, h))}</ol>
${c.status === 'deleted' ? '' : editForms(v)}
${shortcutHelp()}`,
  });
}

function editForms(v: DetailScreen): SafeHtml {
  const c = v.detail.comment;
  const errors = v.errors ?? {};
  const canReply = c.status === 'approved' || c.status === 'pending' || errors.reply !== undefined;
  return html`<h2 id="edit">Edit the text</h2>
<form method="post" action="/admin/comments/${c.id}/edit" class="admin-form">${csrfField(v.session)}
<p class="field${errors.comment ? ' has-error' : ''}"><label for="edit-comment">Text (Markdown)</label>
${errors.comment ? html`<span id="edit-comment-error" class="field-error">${errors.comment}</span>` : ''}
<textarea id="edit-comment" name="comment" rows="8" required${errors.comment ? raw(' aria-invalid="true" aria-describedby="edit-comment-error"') : ''}>${v.editText ?? c.body_source}</textarea></p>
<p><button type="submit">Save the text</button> <span class="hint">The previous text is kept in the history.</span></p>
</form>
${
  canReply
    ? html`<h2 id="reply">Reply as the newsroom</h2>
<form method="post" action="/admin/comments/${c.id}/reply" class="admin-form">${csrfField(v.session)}
<p class="field${errors.reply ? ' has-error' : ''}"><label for="reply-text">Your reply, signed “${v.session.actor.name}, ${v.siteName}”</label>
${errors.reply ? html`<span id="reply-text-error" class="field-error">${errors.reply}</span>` : ''}
<textarea id="reply-text" name="reply" rows="6" required${errors.reply ? raw(' aria-invalid="true" aria-describedby="reply-text-error"') : ''}>${v.replyText ?? ''}</textarea></p>
<p><button type="submit">Publish the reply</button>${c.status === 'pending' ? html` <span class="hint">This also approves the comment.</span>` : ''}</p>
</form>`
    : html`<h2 id="reply">Reply as the newsroom</h2><p>Restore the comment before you reply to it.</p>`
}`;
}

const historyVerbs: Record<string, string> = {
  created: 'Posted',
  edited: 'Edited',
  reported: 'Reported',
  approved: 'Approved',
  held: 'Held',
  spammed: 'Marked as spam',
  trashed: 'Moved to trash',
  deleted: 'Deleted by its author',
  erased: 'Erased',
  anonymised: 'Anonymised',
};

function historyItem(site: SiteContext, h: CommentHistoryRow): SafeHtml {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(h.details) as Record<string, unknown>;
  } catch {
    details = {};
  }
  return html`<li>${timeTag(site, h.created_at)} · <strong>${historyVerbs[h.action] ?? h.action}</strong> by ${h.actor_name}${historyDetails(h.action, details)}</li>`;
}

function historyDetails(action: string, d: Record<string, unknown>): SafeHtml | string {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (action) {
    case 'created': {
      const reasons = Array.isArray(d.reasons) ? (d.reasons as ModerationReason[]) : [];
      return html` · ${text(d.status) === 'pending' ? 'held' : text(d.status)}${d.spamScore !== undefined ? `, spam score ${text(d.spamScore)}` : ''}${
        reasons.length ? html`<ul>${reasons.map((r) => html`<li>${r.rule}: ${r.verdict} (${r.detail})</li>`)}</ul>` : ''
      }`;
    }
    case 'edited':
      return typeof d.previous === 'string' ? html`<details><summary>Previous text</summary><pre class="previous-text">${d.previous}</pre></details>` : '';
    case 'reported':
      return html` · ${text(d.reason)}${d.note ? html`: “${text(d.note)}”` : ''}${d.reporter ? html` (reader <code>${shortKey(text(d.reporter))}</code>)` : ''}`;
    default:
      return d.from !== undefined ? ` · ${text(d.from)} → ${text(d.to)}${typeof d.reportsResolved === 'number' && d.reportsResolved > 0 ? `, ${d.reportsResolved} report(s) resolved` : ''}` : '';
  }
}

/** A reporter's key, shortened: enough to tell reporters apart, nothing that identifies them. */
const shortKey = (key: string) => key.slice(0, 8);
