// This browser's own comments on a cached story page: its held comments, shown in place with
// "Your comment is awaiting moderation.", and "Edit" / "Delete" on those still in the edit
// window. The page's HTML is the same for everyone; this asks /comments/mine (uncached, answered
// from the HttpOnly owner cookie) and only when the marker cookie says this browser has commented.

export interface OwnComment {
  id: number;
  parentId: number;
  level: number;
  html: string;
}

interface MineResponse {
  held?: OwnComment[];
  editable?: { id: number; until: string }[];
}

const markerCookie = 'readout_commented';

function hasCommented(): boolean {
  return document.cookie.split(';').some((part) => part.trim() === `${markerCookie}=1`);
}

/** Shows this browser's held comments (through `insert`) and its edit links, if it has commented. */
export async function showOwnComments(insert: (comment: OwnComment) => void): Promise<void> {
  const section = document.getElementById('comments');
  const storyId = section?.dataset.storyId;
  if (!section || !storyId || !hasCommented()) return;
  const cpage = section.dataset.cpage ?? '1';
  let data: MineResponse;
  try {
    const response = await fetch(`/comments/mine?story=${encodeURIComponent(storyId)}&cpage=${encodeURIComponent(cpage)}`, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (!response.ok) return;
    data = (await response.json()) as MineResponse;
  } catch {
    return;
  }
  for (const held of data.held ?? []) {
    if (!document.getElementById(`comment-${held.id}`)) insert(held);
  }
  for (const own of data.editable ?? []) addOwnLinks(own.id, Date.parse(own.until));
}

/** "Edit" (the edit page) and "Delete" (a small form) on one own comment, removed when the window closes. */
function addOwnLinks(id: number, until: number): void {
  const body = document.getElementById(`div-comment-${id}`);
  if (!body || body.querySelector('.comment-own-actions')) return;
  const actions = document.createElement('div');
  actions.className = 'comment-own-actions';
  const edit = document.createElement('a');
  edit.className = 'comment-edit-link';
  edit.href = `/comments/${id}/edit`;
  edit.textContent = 'Edit';
  const form = document.createElement('form');
  form.method = 'post';
  form.action = `/comments/${id}/delete`;
  form.className = 'comment-delete-form';
  const button = document.createElement('button');
  button.type = 'submit';
  button.className = 'comment-delete-link';
  button.textContent = 'Delete';
  form.appendChild(button);
  form.addEventListener('submit', (event) => {
    if (!window.confirm('Delete your comment? This cannot be undone.')) event.preventDefault();
  });
  actions.append(edit, ' ', form);
  body.appendChild(actions);
  const left = until - Date.now();
  if (left > 0 && left < 2 ** 31 - 1) window.setTimeout(() => actions.remove(), left);
}
