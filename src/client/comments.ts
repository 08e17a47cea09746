// Progressive enhancement for the comment section. The page works fully without this script:
// it moves the reply form under a comment, posts without a reload, and fills remembered fields.

import { showOwnComments } from './own-comments.js';

interface PostedComment {
  id: number;
  status: string;
  parentId: number;
  level: number;
  url: string;
  html: string;
}

interface FieldErrorsResponse {
  error?: string;
  message?: string;
  errors?: Record<string, string>;
}

const cookieName = 'readout_commenter';

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

function readRemembered(): { author?: string; email?: string; url?: string } | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== cookieName) continue;
    try {
      return JSON.parse(decodeURIComponent(rest.join('='))) as { author?: string; email?: string; url?: string };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function fillRemembered(form: HTMLFormElement): void {
  const remembered = readRemembered();
  if (!remembered) return;
  for (const name of ['author', 'email', 'url'] as const) {
    const input = form.elements.namedItem(name) as HTMLInputElement | null;
    const value = remembered[name];
    if (input && !input.value && typeof value === 'string') input.value = value;
  }
  const consent = form.elements.namedItem('wp-comment-cookies-consent') as HTMLInputElement | null;
  if (consent) consent.checked = true;
}

/**
 * A cached story page carries the form timestamp of when it was rendered; ask for one from now,
 * so the spam check measures this reader's time on the form (the page keeps working without it).
 */
async function refreshFormToken(form: HTMLFormElement): Promise<void> {
  try {
    const response = await fetch('/comments/form-token', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) return;
    const data = (await response.json()) as { field?: string; token?: string };
    const input = data.field ? (form.elements.namedItem(data.field) as HTMLInputElement | null) : null;
    if (input && typeof data.token === 'string') input.value = data.token;
  } catch {
    // Offline or blocked: the token rendered with the page stays.
  }
}

function setup(): void {
  const respond = byId('respond');
  const form = byId<HTMLFormElement>('commentform');
  const title = byId('reply-title');
  const cancel = byId<HTMLAnchorElement>('cancel-comment-reply-link');
  const parentInput = byId<HTMLInputElement>('comment_parent');
  if (!respond || !form || !title || !cancel || !parentInput) return;
  fillRemembered(form);
  void showOwnComments(insertComment);
  void refreshFormToken(form);

  // Remember where the form lives so "Cancel reply" can put it back.
  const home = document.createElement('div');
  home.id = 'respond-home';
  home.hidden = true;
  respond.parentNode?.insertBefore(home, respond);
  const titleText = title.firstChild;

  const setReplyTo = (commentId: string, name: string | null) => {
    parentInput.value = commentId;
    if (titleText) titleText.textContent = name ? `Leave a Reply to ${name} ` : 'Leave a Reply ';
    const span = title.querySelector('.reply-to-name');
    span?.remove();
    cancel.hidden = name === null;
  };
  if (parentInput.value !== '0') {
    // The no-JavaScript reply view rendered the name in a span: normalise it for later changes.
    const name = title.querySelector('.reply-to-name')?.textContent ?? '';
    setReplyTo(parentInput.value, name);
  }

  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a.comment-reply-link') as HTMLAnchorElement | null;
    if (!link) return;
    const commentId = link.dataset.commentid;
    const body = commentId ? byId(`div-comment-${commentId}`) : null;
    if (!commentId || !body) return;
    event.preventDefault();
    body.after(respond);
    setReplyTo(commentId, link.dataset.replyto ?? '');
    byId<HTMLTextAreaElement>('comment')?.focus();
  });

  cancel.addEventListener('click', (event) => {
    event.preventDefault();
    home.after(respond);
    setReplyTo('0', null);
    byId<HTMLTextAreaElement>('comment')?.focus();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit(form, { respond, home, setReplyTo });
  });
}

async function submit(
  form: HTMLFormElement,
  ui: { respond: HTMLElement; home: HTMLElement; setReplyTo: (id: string, name: string | null) => void },
): Promise<void> {
  const status = form.querySelector<HTMLElement>('.form-status');
  const button = form.querySelector<HTMLInputElement>('input[type=submit]');
  clearErrors(form);
  if (button) button.disabled = true;
  if (status) status.textContent = 'Posting your comment…';
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>).toString(),
      credentials: 'same-origin',
    });
    const data = (await response.json().catch(() => ({}))) as PostedComment & FieldErrorsResponse;
    if (response.status === 201) {
      insertComment(data);
      const comment = form.elements.namedItem('comment') as HTMLTextAreaElement;
      comment.value = '';
      ui.home.after(ui.respond);
      ui.setReplyTo('0', null);
      if (status) status.textContent = data.status === 'approved' ? 'Your comment has been posted.' : 'Your comment is awaiting moderation.';
      // The owner cookie is set now: offer Edit and Delete on the new comment.
      void showOwnComments(insertComment);
      const added = document.getElementById(`comment-${data.id}`);
      added?.setAttribute('tabindex', '-1');
      added?.focus();
      return;
    }
    // An expired or damaged form timestamp: take a fresh one, so sending again works.
    if (data.error === 'COMMENT_FORM_EXPIRED' || data.error === 'COMMENT_FORM_INVALID') await refreshFormToken(form);
    showErrors(form, data);
    if (status) status.textContent = data.message ?? 'Your comment was not posted.';
  } catch {
    if (status) status.textContent = 'Your comment could not be sent. Please check your connection and try again.';
  } finally {
    if (button) button.disabled = false;
  }
}

function insertComment(data: Pick<PostedComment, 'parentId' | 'level' | 'html'>): void {
  const template = document.createElement('template');
  template.innerHTML = data.html.trim();
  const item = template.content.firstElementChild;
  if (!item) return;
  const parent = data.parentId ? document.getElementById(`comment-${data.parentId}`) : null;
  if (parent && Number(parent.dataset.level) < data.level) {
    let children = parent.querySelector<HTMLOListElement>(':scope > ol.children');
    if (!children) {
      children = document.createElement('ol');
      children.className = 'children';
      parent.appendChild(children);
    }
    children.appendChild(item);
    return;
  }
  if (parent) {
    parent.parentElement?.appendChild(item);
    return;
  }
  let list = document.querySelector<HTMLOListElement>('#comments > ol.comment-list');
  if (!list) {
    list = document.createElement('ol');
    list.className = 'comment-list';
    document.getElementById('comments')?.prepend(list);
  }
  list.appendChild(item);
}

function clearErrors(form: HTMLFormElement): void {
  form.querySelectorAll('.field-error, #comment-form-errors').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  // Drop references to the removed messages (the form's own included), keeping others (the email notice).
  [form, ...form.querySelectorAll('[aria-describedby]')].forEach((el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && !/-errors?$/.test(id));
    if (ids.length > 0) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  });
  form.querySelectorAll('.has-error').forEach((el) => el.classList.remove('has-error'));
}

function showErrors(form: HTMLFormElement, data: FieldErrorsResponse): void {
  const errors = data.errors ?? {};
  const summary = document.createElement('div');
  summary.id = 'comment-form-errors';
  summary.className = 'form-errors';
  summary.setAttribute('role', 'alert');
  summary.tabIndex = -1;
  const p = document.createElement('p');
  p.textContent = data.message ?? 'Your comment was not posted.';
  summary.appendChild(p);
  form.prepend(summary);
  let first: HTMLElement | null = null;
  for (const [name, message] of Object.entries(errors)) {
    const input = form.elements.namedItem(name) as HTMLInputElement | null;
    const span = document.createElement('span');
    span.id = `${name}-error`;
    span.className = 'field-error';
    span.textContent = message;
    if (input && input.type !== 'hidden') {
      input.setAttribute('aria-invalid', 'true');
      const describedBy = input.getAttribute('aria-describedby');
      input.setAttribute('aria-describedby', describedBy ? `${name}-error ${describedBy}` : `${name}-error`);
      input.parentElement?.classList.add('has-error');
      input.before(span);
      first ??= input;
    } else {
      summary.appendChild(span);
    }
  }
  (first ?? summary).focus();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
else setup();
