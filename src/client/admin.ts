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

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setupPreview);
else setupPreview();
