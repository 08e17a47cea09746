import MarkdownIt from 'markdown-it';
import { isSafeLink } from './urls.js';

type Renderer = MarkdownIt;

/**
 * Markdown renderers. Raw HTML is never passed through (it is shown as text), and only
 * http(s) and mailto links (plus site-relative links in stories) survive. Output is
 * rendered once at write time and stored.
 */
function createRenderer(kind: 'story' | 'comment'): Renderer {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    typographer: kind === 'story',
    breaks: kind === 'comment',
  });
  // Bound nesting (quotes in lists in quotes…) so hostile input cannot blow up rendering.
  Object.assign(md.options, { maxNesting: 20 });
  md.validateLink = (url) => isSafeLink(url, kind === 'story');
  if (kind === 'comment') {
    md.disable(['heading', 'lheading', 'hr', 'table', 'image']);
  } else {
    md.disable(['image']);
  }
  const rel = kind === 'comment' ? 'nofollow ugc noopener' : 'noopener';
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = token?.attrGet('href') ?? '';
    if (token && (kind === 'comment' || /^https?:/i.test(href))) token.attrSet('rel', rel);
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

const storyRenderer = createRenderer('story');
const commentRenderer = createRenderer('comment');

/** Renders a story body: paragraphs, block quotes, links, lists, headings, emphasis, code. */
export function renderStoryMarkdown(source: string): string {
  return storyRenderer.render(source);
}

/** Renders a reader's comment: a subset without headings, images, tables or rules; newlines become line breaks. */
export function renderCommentMarkdown(source: string): string {
  return commentRenderer.render(source);
}

/** Links in rendered HTML (each `<a href`), e.g. to hold link-heavy comments. */
export function countLinks(html: string): number {
  return html.match(/<a\s[^>]*href=/gi)?.length ?? 0;
}
