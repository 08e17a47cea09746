import { html } from '../lib/html.js';
import { renderPage, type SiteContext } from './layout.js';

export function renderErrorPage(site: SiteContext, o: { title: string; message: string }): string {
  return renderPage(site, {
    title: o.title,
    noindex: true,
    main: html`<h1 class="page-title">${o.title}</h1>
<p>${o.message}</p>
<p><a href="/">Go to the front page</a></p>`,
  });
}
