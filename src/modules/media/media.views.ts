import type { FieldErrors } from '../../errors.js';
import { html, raw, type SafeHtml } from '../../lib/html.js';
import { timeTag, type SiteContext } from '../../views/layout.js';
import { adminPage, csrfField } from '../newsroom/index.js';
import type { ActiveSession } from '../people/index.js';
import { formatBytes } from './media.files.js';
import type { ImageView } from './media.service.js';

/** `<img>` with every variant in srcset, the largest as src, and its size so the page does not jump. */
export function renderImage(image: ImageView, o: { sizes: string; className?: string; loading?: 'lazy' | 'eager' }): SafeHtml {
  return html`<img src="${image.src}" srcset="${image.srcset.map((v) => `${v.url} ${v.width}w`).join(', ')}" sizes="${o.sizes}" alt="${image.alt}" width="${image.width}" height="${image.height}"${
    o.className ? html` class="${o.className}"` : ''
  }${o.loading ? html` loading="${o.loading}"` : ''} decoding="async">`;
}

/** A small preview: the smallest variant shown 120 pixels wide. */
function renderThumbnail(image: ImageView): SafeHtml {
  const smallest = image.srcset[0] ?? { url: image.src, width: image.width };
  return html`<img src="${smallest.url}" alt="${image.alt}" width="120" height="${Math.max(1, Math.round((120 * image.height) / image.width))}" class="media-thumb" loading="lazy">`;
}

export interface MediaPageView {
  session: ActiveSession;
  images: readonly ImageView[];
  maxBytes: number;
  /** The alt text typed before an error, kept. */
  alt?: string;
  /** A message about the file (too large, wrong type) or the form as a whole. */
  message?: string;
  errors?: FieldErrors;
  notice?: string;
}

/** The newsroom's media page: the upload form (works without JavaScript) and recent uploads. */
export function renderMediaPage(site: SiteContext, v: MediaPageView): string {
  const e = v.errors ?? {};
  const fileError = e.file ?? v.message;
  return adminPage(site, {
    title: 'Media',
    session: v.session,
    main: html`<h1 class="page-title">Media</h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
<form method="post" action="/admin/media" enctype="multipart/form-data" class="admin-form" novalidate>
${fileError || Object.keys(e).length > 0 ? html`<div class="form-errors" role="alert" id="form-errors"><p>The image was not uploaded. ${fileError ?? 'Please correct the fields marked below.'}</p></div>` : ''}
${csrfField(v.session)}
<p class="field${e.alt ? ' has-error' : ''}"><label for="alt">Alt text</label> <span class="hint" id="alt-hint">What the image shows, for readers who cannot see it (at most 300 characters).</span>
${e.alt ? html`<span class="field-error" id="alt-error">${e.alt}</span>` : ''}
<input id="alt" name="alt" type="text" maxlength="300" required value="${v.alt ?? ''}" aria-describedby="${e.alt ? 'alt-error alt-hint' : 'alt-hint'}"${e.alt ? raw(' aria-invalid="true"') : ''}></p>
<p class="field${fileError ? ' has-error' : ''}"><label for="file">Image file</label> <span class="hint" id="file-hint">JPEG, PNG, WebP or GIF, at most ${formatBytes(v.maxBytes)}.</span>
<input id="file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif" required aria-describedby="file-hint"${fileError ? raw(' aria-invalid="true"') : ''}></p>
<p><button type="submit">Upload</button></p>
</form>
<h2>Recent uploads</h2>
${
  v.images.length === 0
    ? html`<p>Nothing has been uploaded yet.</p>`
    : html`<table class="admin-table">
<thead><tr><th scope="col">Image</th><th scope="col">Id</th><th scope="col">Alt text</th><th scope="col">Size</th><th scope="col">Uploaded</th></tr></thead>
<tbody>
${v.images.map(
  (i) => html`<tr><td>${renderThumbnail(i)}</td><td>${i.id}</td><td>${i.alt}</td><td>${i.width} × ${i.height}</td><td>${timeTag(site, i.createdAt)}</td></tr>
`,
)}</tbody>
</table>`
}`,
  });
}
