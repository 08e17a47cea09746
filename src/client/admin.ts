// Progressive enhancement for the story editor: a live preview of the Markdown body, rendered by
// the server with the same code as the public page. Without this script, the "Preview" button does it.

function setupPreview(): void {
  const body = document.querySelector<HTMLTextAreaElement>('textarea[data-preview]');
  const target = body ? document.getElementById(body.dataset.preview ?? '') : null;
  const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value;
  if (!body || !target || !csrf) return;
  let timer: number | undefined;
  let latest = 0;
  const refresh = async () => {
    const request = ++latest;
    const response = await fetch('/admin/preview', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: new URLSearchParams({ body: body.value, _csrf: csrf }).toString(),
      credentials: 'same-origin',
    }).catch(() => undefined);
    if (!response?.ok || request !== latest) return;
    const data = (await response.json()) as { html?: string };
    // The server renders Markdown without raw HTML and with safe links only; this is the same HTML the public page shows.
    if (typeof data.html === 'string') target.innerHTML = data.html;
  };
  body.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), 300);
  });
  void refresh();
}

// Keyboard shortcuts for the moderation queue (/admin/comments) and a comment's page: j/k move the
// selection, a/s/t/u/h press that row's Approve/Spam/Trash/Restore/Unapprove button, e/r follow its
// Edit/Reply link, x ticks it for a bulk action, ? shows the help. Every shortcut presses a real
// button or link, so the page works the same without this script.
function setupShortcuts(): void {
  // "e" and "r" open a comment's page at its edit or reply form: put the cursor in the box.
  const box = ({ '#edit': 'edit-comment', '#reply': 'reply-text' } as Record<string, string>)[location.hash];
  // After the load: the browser's own scroll to the fragment would otherwise take the focus back.
  const focusBox = () => window.setTimeout(() => document.getElementById(box ?? '')?.focus(), 0);
  if (box) {
    if (document.readyState === 'complete') focusBox();
    else window.addEventListener('load', focusBox, { once: true });
  }
  const queue = document.querySelector('[data-moderation-queue]');
  const help = document.getElementById('shortcut-help');
  if (!help) return;
  const rows = queue ? Array.from(queue.querySelectorAll<HTMLElement>('li[data-comment-id]')) : [];
  let current = -1;
  const select = (index: number) => {
    if (rows.length === 0) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle('is-selected', i === current));
    rows[current]?.focus();
  };
  // After an action the page reloads: select the comment that followed the one acted on.
  const remembered = sessionStorage.getItem('readout-queue-next');
  sessionStorage.removeItem('readout-queue-next');
  const fromHash = rows.findIndex((row) => `#${row.id}` === location.hash);
  const fromMemory = rows.findIndex((row) => row.dataset.commentId === remembered);
  if (fromHash >= 0 || fromMemory >= 0) select(fromMemory >= 0 ? fromMemory : fromHash);
  const scope = (): ParentNode | undefined => (queue ? rows[current] : document.querySelector('.queue-actions')?.parentElement ?? undefined);
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (event.ctrlKey || event.metaKey || event.altKey || target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    const key = event.key;
    if (key === '?') {
      help.hidden = !help.hidden;
    } else if (key === 'Escape') {
      help.hidden = true;
    } else if (key === 'j' || key === 'k') {
      select(current < 0 ? 0 : current + (key === 'j' ? 1 : -1));
    } else if (key === 'x') {
      if (current < 0) return;
      const box = rows[current]?.querySelector<HTMLInputElement>('input[data-select]');
      if (box) box.checked = !box.checked;
    } else if ('astuher'.includes(key) && key.length === 1) {
      const control = scope()?.querySelector<HTMLElement>(`[data-shortcut="${key}"]`);
      if (!control) return;
      const next = rows[current + 1]?.dataset.commentId;
      if (next) sessionStorage.setItem('readout-queue-next', next);
      control.click();
    } else {
      return;
    }
    event.preventDefault();
  });
}

function setup(): void {
  setupPreview();
  setupShortcuts();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
else setup();
