import type { Deps } from '../../deps.js';
import type { StoryRow, StoryStatus } from '../../db/schema.js';
import { DomainError, ValidationError } from '../../errors.js';
import { diffLines, type DiffLine } from '../../lib/diff.js';
import { renderStoryMarkdown } from '../../lib/markdown.js';
import { pageOf, pageWindow } from '../../lib/paging.js';
import { slugify } from '../../lib/slug.js';
import { appendEvent } from '../../platform/outbox.js';
import { recordAudit } from '../audit/index.js';
import { imageExists } from '../media/index.js';
import { assertCan, can, type Actor } from '../people/index.js';
import { getStoryTaxonomy, setStoryTaxonomy } from '../taxonomy/index.js';
import * as editing from './editing.repo.js';
import type { StoryDraft } from './editing.schemas.js';
import * as repo from './stories.repo.js';

/** What the editor asks for besides saving the text. */
export type StoryAction =
  | { kind: 'save' }
  | { kind: 'publish' }
  | { kind: 'schedule'; at: string }
  | { kind: 'unpublish' };

export interface SaveStoryInput {
  storyId?: number;
  draft: StoryDraft;
  action: StoryAction;
  /** For a published story: show readers an "Updated" time. */
  substantive?: boolean;
  note?: string;
}

/**
 * Creates or updates a story from the editor, applying a workflow action. Authors may create
 * stories and edit their own drafts; editors and admins edit anything and publish, schedule and
 * unpublish. Every save keeps a revision; a changed slug of a published story keeps the old URL
 * as a 301; every change has an audit entry and an outbox event, all in one transaction.
 */
export async function saveStory(deps: Deps, actor: Actor, input: SaveStoryInput): Promise<StoryRow> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  if (input.action.kind !== 'save') assertCan(actor, 'story.publish');
  if (input.action.kind === 'schedule' && !(input.action.at > nowIso)) {
    throw new ValidationError({ publish_at: 'Choose a time in the future to schedule the story.' });
  }
  const { draft } = input;
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const existing = input.storyId === undefined ? undefined : await repo.findStoryById(trx, input.storyId);
    if (input.storyId !== undefined && !existing) throw new DomainError('STORY_NOT_FOUND', 'This story no longer exists.');
    if (existing) assertMayEdit(actor, existing);
    else assertCan(actor, 'story.create');

    const slug = draft.slug || existing?.slug || slugify(draft.headline);
    if (!slug) throw new ValidationError({ slug: 'The headline gives no slug; type one.' });
    const clash = await repo.findStoryBySlug(trx, slug);
    const oldOwner = await editing.findStoryIdByOldSlug(trx, slug);
    if ((clash && clash.id !== existing?.id) || (oldOwner !== undefined && oldOwner !== existing?.id)) {
      throw new ValidationError({ slug: `Another story uses the address /stories/${slug}; choose another slug.` });
    }
    let relatedId: number | null = null;
    if (draft.related) {
      const related = await repo.findStoryBySlug(trx, draft.related);
      if (!related || related.id === existing?.id) throw new ValidationError({ related: `No other story has the slug "${draft.related}".` });
      relatedId = related.id;
    }
    if (draft.featuredMediaId != null && !(await imageExists(trx, draft.featuredMediaId))) {
      throw new ValidationError({ featured_media_id: 'That image no longer exists; choose another.' });
    }

    const status = nextStatus(existing?.status, input.action);
    const fields = {
      headline: draft.headline,
      slug,
      dek: draft.dek,
      byline: draft.byline,
      dateline: draft.dateline,
      body_source: draft.body,
      body_html: renderStoryMarkdown(draft.body),
      related_story_id: relatedId,
      ...(draft.featuredMediaId !== undefined ? { featured_media_id: draft.featuredMediaId } : {}),
      ...(draft.comments
        ? {
            comments_open: draft.comments.open ? 1 : 0,
            comments_premoderated: draft.comments.premoderated ? 1 : 0,
            comments_close_after_days: draft.comments.closeAfterDays,
          }
        : {}),
      status,
      published_at: publishedAt(existing, input.action, nowIso),
      modified_at: nowIso,
    };
    const wasPublished = existing?.status === 'published';
    const story = existing
      ? await repo.updateStory(trx, existing.id, {
          ...fields,
          updated_at: wasPublished && status === 'published' && input.substantive ? nowIso : existing.updated_at,
        })
      : await repo.insertStory(trx, { ...fields, updated_at: null, created_at: nowIso, created_by: actor.personId || null });
    if (existing && existing.slug !== slug) {
      if (existing.status === 'published' || existing.status === 'unpublished') await editing.rememberOldSlug(trx, { slug: existing.slug, storyId: story.id, now: nowIso });
      await editing.forgetOldSlug(trx, slug);
    }
    const removedSources = existing ? await sourcesRemoved(trx, existing, draft, actor) : [];
    await repo.replaceSources(trx, story.id, draft.sources);
    if (removedSources.length > 0) {
      await recordAudit(trx, { actor, action: 'source.removed', subject: { type: 'story', id: story.id }, details: { sources: removedSources }, now: nowIso });
    }
    await setStoryTaxonomy(trx, { storyId: story.id, section: draft.section ?? null, tags: draft.tags ?? [], now: nowIso });
    await repo.setStoryAuthorsByName(trx, { storyId: story.id, names: draft.authors?.length ? draft.authors : namesInByline(draft.byline), now: nowIso });
    await editing.insertRevision(trx, {
      storyId: story.id,
      snapshot: JSON.stringify({ ...draft, slug, status }),
      authorId: actor.personId || null,
      note: input.note?.trim() || null,
      now: nowIso,
    });
    await recordAudit(trx, {
      actor,
      action: auditAction(existing, input.action),
      subject: { type: 'story', id: story.id },
      details: {
        headline: story.headline,
        status,
        ...(existing && existing.slug !== slug ? { oldSlug: existing.slug } : {}),
        ...(existing && commentSettingsChanged(existing, story)
          ? { comments: { open: story.comments_open === 1, premoderated: story.comments_premoderated === 1, closeAfterDays: story.comments_close_after_days } }
          : {}),
      },
      now: nowIso,
    });
    const event = await appendEvent(trx, { topic: 'story.saved', payload: { storyId: story.id }, now: nowIso });
    return { story, event };
  });
  deps.onCommitted([result.event]);
  return result.story;
}

/**
 * Sources a save drops from a story readers have seen. Once published, a story's sources cannot
 * silently disappear: only an admin may remove one, and the removal is audited.
 */
async function sourcesRemoved(trx: Deps['store']['db'], existing: StoryRow, draft: StoryDraft, actor: Actor): Promise<{ title: string; url: string }[]> {
  if (existing.status !== 'published' && existing.status !== 'unpublished') return [];
  const kept = new Set(draft.sources.map((s) => s.url));
  const removed = (await repo.listSources(trx, existing.id)).filter((s) => !kept.has(s.url)).map((s) => ({ title: s.title, url: s.url }));
  if (removed.length > 0 && !can(actor, 'source.remove')) {
    throw new ValidationError({
      sources: `Sources of a published story can only be removed by an administrator (missing now: ${removed.map((s) => s.title).join('; ')}).`,
    });
  }
  return removed;
}

/** Whether a save changed the story's comment settings (then the audit entry names the new ones). */
function commentSettingsChanged(before: StoryRow, after: StoryRow): boolean {
  return (
    before.comments_open !== after.comments_open ||
    before.comments_premoderated !== after.comments_premoderated ||
    before.comments_close_after_days !== after.comments_close_after_days
  );
}

/** "By Amina Castell and Tomas Varga" → ["Amina Castell", "Tomas Varga"]. */
export function namesInByline(byline: string): string[] {
  return byline
    .replace(/^by\s+/i, '')
    .split(/\s*(?:,|\band\b|&)\s*/i)
    .map((n) => n.trim())
    .filter(Boolean);
}

function assertMayEdit(actor: Actor, story: StoryRow): void {
  if (can(actor, 'story.edit-any')) return;
  assertCan(actor, 'story.edit-own-draft');
  if (story.created_by !== actor.personId || story.status !== 'draft') {
    throw new DomainError('AUTH_NOT_PERMITTED', 'Authors may edit only their own drafts. Ask an editor to change this story.');
  }
}

function nextStatus(current: StoryStatus | undefined, action: StoryAction): StoryStatus {
  switch (action.kind) {
    case 'publish':
      return 'published';
    case 'schedule':
      return 'scheduled';
    case 'unpublish':
      return 'unpublished';
    case 'save':
      return current ?? 'draft';
  }
}

function publishedAt(existing: StoryRow | undefined, action: StoryAction, now: string): string | null {
  if (action.kind === 'schedule') return action.at;
  if (action.kind === 'publish') return existing?.status === 'published' || existing?.status === 'unpublished' ? (existing.published_at ?? now) : now;
  return existing?.published_at ?? null;
}

function auditAction(existing: StoryRow | undefined, action: StoryAction): string {
  if (action.kind === 'publish') return 'story.published';
  if (action.kind === 'schedule') return 'story.scheduled';
  if (action.kind === 'unpublish') return 'story.unpublished';
  return existing ? 'story.updated' : 'story.created';
}

/** Publishes every scheduled story whose time has come; safe to run from several nodes and after a restart. */
export async function publishDueStories(deps: Deps): Promise<StoryRow[]> {
  const nowIso = deps.clock.now().toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const stories = await editing.publishDueStories(trx, nowIso);
    const events = [];
    for (const story of stories) {
      await recordAudit(trx, {
        actor: { personId: 0, name: 'scheduler', role: 'admin' },
        action: 'story.published',
        subject: { type: 'story', id: story.id },
        details: { headline: story.headline, scheduledFor: story.published_at },
        now: nowIso,
      });
      events.push(await appendEvent(trx, { topic: 'story.saved', payload: { storyId: story.id }, now: nowIso }));
    }
    return { stories, events };
  });
  deps.onCommitted(result.events);
  return result.stories;
}

/** Where an old slug points now: the story's current slug, when it is published. */
export async function findRedirectForSlug(deps: Deps, slug: string): Promise<string | undefined> {
  const db = deps.store.db;
  const storyId = await editing.findStoryIdByOldSlug(db, slug);
  if (storyId === undefined) return undefined;
  const story = await repo.findPublishedStory(db, { id: storyId }, deps.clock.now().toISOString());
  return story?.slug;
}

/** A story and its sources, for the editor (staff only). */
export async function getStoryForEditing(deps: Deps, actor: Actor, storyId: number) {
  assertCan(actor, 'admin.enter');
  const story = await repo.findStoryById(deps.store.db, storyId);
  if (!story) throw new DomainError('STORY_NOT_FOUND', 'This story no longer exists.');
  const [sources, related, taxonomy, authors] = await Promise.all([
    repo.listSources(deps.store.db, story.id),
    story.related_story_id === null ? undefined : repo.findStoryById(deps.store.db, story.related_story_id),
    getStoryTaxonomy(deps, story.id),
    repo.listStoryAuthors(deps.store.db, story.id),
  ]);
  return {
    story,
    authors: authors.map((a) => a.name).join(', '),
    sources,
    relatedSlug: related?.slug ?? '',
    section: taxonomy.section?.name ?? '',
    tags: taxonomy.tags.map((t) => t.name).join(', '),
    mayEdit: mayEdit(actor, story),
  };
}

export function mayEdit(actor: Actor, story: StoryRow): boolean {
  return can(actor, 'story.edit-any') || (can(actor, 'story.edit-own-draft') && story.created_by === actor.personId && story.status === 'draft');
}

export async function listStoriesForAdmin(
  deps: Deps,
  actor: Actor,
  o: { status?: StoryStatus; search?: string; sectionId?: number; authorId?: number; page: number },
): Promise<{ stories: editing.AdminStoryItem[]; hasNext: boolean; choices: Awaited<ReturnType<typeof editing.listFilterChoices>> }> {
  assertCan(actor, 'admin.enter');
  const size = 50;
  const [rows, choices] = await Promise.all([
    editing.listStoriesForAdmin(deps.store.db, {
      ...(o.status ? { status: o.status } : {}),
      ...(o.search ? { search: o.search } : {}),
      ...(o.sectionId ? { sectionId: o.sectionId } : {}),
      ...(o.authorId ? { authorId: o.authorId } : {}),
      ...pageWindow(o.page, size),
    }),
    editing.listFilterChoices(deps.store.db),
  ]);
  const { items, hasNext } = pageOf(rows, size);
  return { stories: items, hasNext, choices };
}

export async function listStoryRevisions(deps: Deps, actor: Actor, storyId: number) {
  assertCan(actor, 'admin.enter');
  return editing.listRevisions(deps.store.db, storyId);
}

export interface RevisionDiff {
  from: number;
  to: number;
  fields: { field: string; lines: DiffLine[] }[];
}

const diffFields: [keyof StoryDraft, string][] = [
  ['headline', 'Headline'],
  ['slug', 'Slug'],
  ['dek', 'Standfirst'],
  ['byline', 'Byline'],
  ['dateline', 'Dateline'],
  ['related', 'Related story'],
  ['sources', 'Sources'],
  ['section', 'Section'],
  ['tags', 'Tags'],
  ['authors', 'Authors'],
  ['featuredMediaId', 'Featured image'],
  ['body', 'Story'],
];

function fieldText(draft: StoryDraft, field: keyof StoryDraft): string {
  if (field === 'sources') return draft.sources.map((s) => [s.title, s.outlet, s.url, s.date].filter(Boolean).join(' — ')).join('\n');
  if (field === 'tags' || field === 'authors') return (draft[field] ?? []).join(', ');
  return String(draft[field] ?? '');
}

async function getRevisionDraft(deps: Deps, storyId: number, number: number): Promise<StoryDraft> {
  const revision = await editing.findRevision(deps.store.db, storyId, number);
  if (!revision) throw new DomainError('STORY_NOT_FOUND', `This story has no revision ${number}.`);
  return JSON.parse(revision.snapshot) as StoryDraft;
}

/** What changed between two revisions of a story, field by field (only the fields that differ). */
export async function diffRevisions(deps: Deps, actor: Actor, o: { storyId: number; from: number; to: number }): Promise<RevisionDiff> {
  assertCan(actor, 'admin.enter');
  const [a, b] = await Promise.all([getRevisionDraft(deps, o.storyId, o.from), getRevisionDraft(deps, o.storyId, o.to)]);
  const fields = diffFields
    .filter(([field]) => fieldText(a, field) !== fieldText(b, field))
    .map(([field, label]) => ({ field: label, lines: diffLines(fieldText(a, field), fieldText(b, field)) }));
  return { from: o.from, to: o.to, fields };
}

/** Puts a story's text back as it was in a revision; this is a save like any other, with its own new revision. */
export async function restoreRevision(deps: Deps, actor: Actor, o: { storyId: number; number: number }): Promise<StoryRow> {
  // A revision brings back the story's text, not its comment settings: those stay as they are now.
  const { comments: _comments, ...draft } = await getRevisionDraft(deps, o.storyId, o.number);
  return saveStory(deps, actor, { storyId: o.storyId, draft, action: { kind: 'save' }, note: `Restored revision ${o.number}` });
}
