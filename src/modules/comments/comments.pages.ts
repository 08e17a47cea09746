import type { Deps } from '../../deps.js';
import type { CommentRow, StoryRow } from '../../db/schema.js';
import { findPublishedStory } from '../stories/index.js';
import { loadCommentSettings, type CommentSettings } from './comment-settings.js';
import * as reader from './comments.reader.repo.js';
import { findComment, publicCommentColumns, type PublicComment } from './comments.repo.js';

/**
 * One page of a story's comments: the threads numbered (thread_seq) within the page's range, in the
 * site's order, each with its whole thread. Page N of oldest-first holds threads
 * (N-1)·perPage+1 … N·perPage; newest-first counts down from the story's last number. The work is
 * bounded by the page: the roots come from the (story, thread_seq) index and the replies from the
 * (root_id, id) index, for the page's roots only. A thread removed later (spam, trash, deleted
 * without replies) leaves its page one thread short rather than moving every later thread.
 */
export interface CommentPage {
  /** The page's roots in display order, then their replies oldest first (ready for buildThreads). */
  comments: PublicComment[];
  page: number;
  pageCount: number;
  /** Approved comments on the whole story. */
  total: number;
  newestFirst: boolean;
}

/** The story a page of comments belongs to: its id and its last thread number. */
export type CommentPageStory = Pick<StoryRow, 'id' | 'comment_threads'>;

/**
 * The page, or undefined when `page` is past the last one (page 1 always exists). Two statements,
 * run together: the page's threads, and the story's approved count.
 */
export async function getCommentPage(deps: Pick<Deps, 'store'>, story: CommentPageStory, page: number, given?: CommentSettings): Promise<CommentPage | undefined> {
  const settings = given ?? (await loadCommentSettings(deps));
  const db = deps.store.db;
  const newestFirst = settings.order === 'newest';
  const threads = story.comment_threads;
  const pageCount = Math.max(1, Math.ceil(threads / settings.perPage));
  if (page > pageCount) return undefined;
  const [rows, total] = await Promise.all([
    reader.listPageThreads(db, { storyId: story.id, ...pageRange({ page, perPage: settings.perPage, threads, newestFirst }) }),
    reader.countApproved(db, story.id),
  ]);
  const rootIds = rows
    .filter((c) => c.thread_seq !== null)
    .sort((a, b) => (newestFirst ? (b.thread_seq ?? 0) - (a.thread_seq ?? 0) : (a.thread_seq ?? 0) - (b.thread_seq ?? 0)))
    .map((c) => c.id);
  return { comments: arrangeThreads(rows, rootIds), page, pageCount, total, newestFirst };
}

/**
 * Orders a page's rows for display and drops what a reader must not see: replies whose parent is
 * not shown (held, spam, trash), and deleted comments without a visible reply (those with one
 * become placeholders, their name and text blanked here so no view can show them).
 */
export function arrangeThreads(rows: readonly PublicComment[], rootIds: readonly number[]): PublicComment[] {
  const roots = new Set(rootIds);
  const shown = new Set<number>();
  const kept: PublicComment[] = [];
  for (const c of rows) {
    // Rows are in id order: a parent always comes before its replies.
    if (roots.has(c.id) || (c.parent_id !== null && shown.has(c.parent_id))) {
      shown.add(c.id);
      kept.push(c);
    }
  }
  const hasVisibleReply = new Set<number>();
  const visible: PublicComment[] = [];
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i] as PublicComment;
    if (c.status === 'deleted' && !hasVisibleReply.has(c.id)) continue;
    if (c.parent_id !== null) hasVisibleReply.add(c.parent_id);
    visible.push(c.status === 'deleted' ? { ...c, author_name: '', author_url: null, body_html: '', email_key: '' } : c);
  }
  visible.reverse();
  const order = new Map(rootIds.map((id, i) => [id, i]));
  const pageRoots = visible.filter((c) => order.has(c.id)).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return [...pageRoots, ...visible.filter((c) => !order.has(c.id))];
}

/** The thread numbers page `page` shows (inclusive). */
export function pageRange(o: { page: number; perPage: number; threads: number; newestFirst: boolean }): { from: number; to: number } {
  if (!o.newestFirst) return { from: (o.page - 1) * o.perPage + 1, to: o.page * o.perPage };
  return { from: o.threads - o.page * o.perPage + 1, to: o.threads - (o.page - 1) * o.perPage };
}

/**
 * The page a comment's thread is on, from its thread number (two index reads, whatever the size of
 * the story). A thread never approved (a held comment) is where it will go: after the last one.
 */
export async function pageOfComment(
  deps: Pick<Deps, 'store'>,
  comment: Pick<CommentRow, 'id' | 'story_id' | 'root_id'>,
  given?: CommentSettings,
): Promise<number> {
  const settings = given ?? (await loadCommentSettings(deps));
  const db = deps.store.db;
  const [threads, seq] = await Promise.all([reader.countThreads(db, comment.story_id), reader.findThreadSeq(db, comment.root_id ?? comment.id)]);
  return pageOfThread(settings, { threads, seq });
}

/**
 * The page that shows thread number `seq` of a story with `threads` numbered threads (a thread not
 * numbered yet counts as the next one).
 */
export function pageOfThread(settings: Pick<CommentSettings, 'order' | 'perPage'>, o: { threads: number; seq: number | null }): number {
  const place = o.seq ?? o.threads + 1;
  return settings.order === 'newest' ? Math.floor((Math.max(o.threads, place) - place) / settings.perPage) + 1 : Math.ceil(place / settings.perPage);
}

/** The address of a page of a story's comments (page 1 is the story's own address). */
export function commentPagePath(storyPath: string, page: number): string {
  return page > 1 ? `${storyPath}?cpage=${page}` : storyPath;
}

/** Where `/comment/:id` leads: the story and page of an approved comment on a published story. */
export async function locateComment(deps: Deps, id: number): Promise<{ slug: string; page: number } | undefined> {
  const comment = await findComment(deps.store.db, id);
  if (!comment || comment.status !== 'approved') return undefined;
  const story = await findPublishedStory(deps, comment.story_id);
  if (!story) return undefined;
  return { slug: story.slug, page: await pageOfComment(deps, comment) };
}

/** The page of a story's comments that shows `commentId` (page 1 when it is not a comment of that story). */
export async function getCommentPageAround(deps: Pick<Deps, 'store'>, story: CommentPageStory, commentId: number, given?: CommentSettings): Promise<CommentPage> {
  const settings = given ?? (await loadCommentSettings(deps));
  const comment = await findComment(deps.store.db, commentId);
  const page = comment && comment.story_id === story.id ? await pageOfComment(deps, comment, settings) : 1;
  return (await getCommentPage(deps, story, page, settings)) ?? ((await getCommentPage(deps, story, 1, settings)) as CommentPage);
}

/** A page's comments with a held comment added where its author expects it (their own, uncached view only). */
export function withHeldComment(comments: readonly PublicComment[], held: CommentRow, newestFirst: boolean): PublicComment[] {
  if (comments.some((c) => c.id === held.id)) return [...comments];
  const shown = Object.fromEntries(publicCommentColumns.map((k) => [k, held[k]])) as PublicComment;
  const out = [...comments];
  if (held.parent_id !== null) {
    out.push(shown);
  } else {
    // A new thread: last of the page's roots (oldest first), or first (newest first).
    const firstReply = out.findIndex((c) => c.parent_id !== null);
    out.splice(newestFirst ? 0 : firstReply === -1 ? out.length : firstReply, 0, shown);
  }
  return out;
}
