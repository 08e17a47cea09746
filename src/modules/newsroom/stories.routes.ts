import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { raw } from '../../lib/html.js';
import { isoToZonedInput, zonedTimeToIso } from '../../lib/dates.js';
import { renderStoryMarkdown } from '../../lib/markdown.js';
import { staffGuard } from '../../http/staff-guard.js';
import type { SiteContext } from '../../views/layout.js';
import { listRecentImages } from '../media/index.js';
import type { ActiveSession } from '../people/index.js';
import {
  diffRevisions,
  getStoryForEditing,
  listStoriesForAdmin,
  listStoryRevisions,
  parseStoryForm,
  restoreRevision,
  saveStory,
  type StoryAction,
  type StoryFormInput,
} from '../stories/index.js';
import { formValuesOf, renderEditor, renderRevisions, renderStoryList } from './stories.views.js';

const listQuery = z.object({
  status: z.enum(['draft', 'scheduled', 'published', 'unpublished']).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  section: z.coerce.number().int().positive().optional().catch(undefined),
  author: z.coerce.number().int().positive().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });
const compareQuery = z.object({
  from: z.coerce.number().int().positive().optional().catch(undefined),
  to: z.coerce.number().int().positive().optional().catch(undefined),
});
const maxSourceRows = 100;

/** One text field of a posted form: '' when absent; a repeated field is refused. */
function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw Object.assign(new Error(`The form field "${name}" was sent more than once.`), { statusCode: 400 });
  return value;
}

/** Reads the editor form: the story fields, source rows `sources[N][field]`, the action and its time. */
function readEditorForm(body: Record<string, unknown>, timeZone: string) {
  const values: StoryFormInput = {
    headline: text(body, 'headline'),
    slug: text(body, 'slug'),
    dek: text(body, 'dek'),
    byline: text(body, 'byline'),
    dateline: text(body, 'dateline'),
    body: text(body, 'body'),
    related: text(body, 'related'),
    section: text(body, 'section'),
    tags: text(body, 'tags'),
    authors: text(body, 'authors'),
    ...('featured_media_id' in body ? { featuredMediaId: text(body, 'featured_media_id') } : {}),
    // The comment settings are read only from a form that has them (a marker field), so a checkbox left out is "off".
    ...('comments_settings' in body
      ? { comments: { open: text(body, 'comments_open') !== '', premoderated: text(body, 'comments_premoderated') !== '', closeAfterDays: text(body, 'comments_close_after_days') } }
      : {}),
    sources: [],
  };
  const rows: { order: number; row: StoryFormInput['sources'][number] }[] = [];
  for (let i = 0; i < maxSourceRows && `sources[${i}][title]` in body; i++) {
    const f = (field: string) => text(body, `sources[${i}][${field}]`);
    const order = Number(f('order'));
    rows.push({ order: Number.isFinite(order) && f('order') !== '' ? order : i + 1, row: { title: f('title'), outlet: f('outlet'), url: f('url'), date: f('date') } });
  }
  // Reordering without JavaScript: each row carries a position; equal positions keep their order.
  values.sources = rows.map((r, i) => ({ ...r, i })).sort((a, b) => a.order - b.order || a.i - b.i).map((r) => r.row);
  const publishAtInput = text(body, 'publish_at');
  const kind = text(body, 'action') || 'save';
  let action: StoryAction | 'preview';
  if (kind === 'schedule') {
    const at = zonedTimeToIso(publishAtInput, timeZone);
    if (!at) throw new ValidationError({ publish_at: 'Give the date and time to publish the story.' });
    action = { kind: 'schedule', at };
  } else if (kind === 'publish' || kind === 'unpublish' || kind === 'save' || kind === 'preview') {
    action = kind === 'preview' ? 'preview' : { kind };
  } else {
    throw Object.assign(new Error('Unknown editor action.'), { statusCode: 400 });
  }
  return { values, action, publishAtInput, substantive: text(body, 'substantive') === 'yes', note: text(body, 'note') };
}

function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** The newsroom's story screens: list, editor (create, update, workflow), preview and revisions. */
export function registerStoryAdminRoutes(app: FastifyInstance, deps: Deps, site: SiteContext): void {
  const guard = staffGuard(deps, { action: 'admin.enter' });
  const writerGuard = staffGuard(deps, { action: 'story.create' });
  const tz = deps.config.timeZone;

  app.get('/admin/stories', { preHandler: guard }, async (request, reply) => {
    const q = listQuery.parse(request.query);
    const session = request.staff!;
    const filters = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.q ? { search: q.q } : {}),
      ...(q.section ? { sectionId: q.section } : {}),
      ...(q.author ? { authorId: q.author } : {}),
    };
    const list = await listStoriesForAdmin(deps, session.actor, { ...filters, page: q.page });
    return sendHtml(reply, 200, renderStoryList(site, { session, ...list, ...filters, page: q.page }));
  });

  app.get('/admin/stories/new', { preHandler: writerGuard }, async (request, reply) =>
    sendHtml(reply, 200, renderEditor(site, { session: request.staff!, mayEdit: true, values: emptyStory(), images: await listRecentImages(deps, request.staff!.actor) })),
  );

  app.get('/admin/stories/:id/edit', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const { story, sources, relatedSlug, section, tags, authors, mayEdit } = await getStoryForEditing(deps, request.staff!.actor, id);
    const saved = (request.query as Record<string, string | undefined>).saved;
    return sendHtml(
      reply,
      200,
      renderEditor(site, {
        session: request.staff!,
        story,
        mayEdit,
        values: formValuesOf(story, sources, { relatedSlug, section, tags, authors }),
        images: await listRecentImages(deps, request.staff!.actor),
        ...(story.status === 'scheduled' && story.published_at ? { publishAt: isoToZonedInput(story.published_at, tz) } : {}),
        ...(saved ? { saved: 'Saved.' } : {}),
      }),
    );
  });

  app.post('/admin/stories', { preHandler: writerGuard }, async (request, reply) => handleEditorPost(request, reply, undefined));
  app.post('/admin/stories/:id', { preHandler: guard }, async (request, reply) => handleEditorPost(request, reply, idParams.parse(request.params).id));

  async function handleEditorPost(request: FastifyRequest, reply: FastifyReply, storyId: number | undefined) {
    const session = request.staff!;
    const body = (request.body ?? {}) as Record<string, unknown>;
    let form: ReturnType<typeof readEditorForm> | undefined;
    try {
      form = readEditorForm(body, tz);
      const draft = parseStoryForm(form.values);
      if (form.action === 'preview') return sendEditor(reply, 200, session, storyId, form, undefined, renderStoryMarkdown(draft.body));
      const story = await saveStory(deps, session.actor, {
        ...(storyId !== undefined ? { storyId } : {}),
        draft,
        action: form.action,
        substantive: form.substantive,
        note: form.note,
      });
      return reply.redirect(`/admin/stories/${story.id}/edit?saved=1`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError) || !form) throw error;
      return sendEditor(reply, 422, session, storyId, form, error.fieldErrors);
    }
  }

  async function sendEditor(
    reply: FastifyReply,
    status: number,
    session: ActiveSession,
    storyId: number | undefined,
    form: ReturnType<typeof readEditorForm>,
    errors?: Record<string, string>,
    previewHtml?: string,
  ) {
    const existing = storyId === undefined ? undefined : await getStoryForEditing(deps, session.actor, storyId);
    return sendHtml(
      reply,
      status,
      renderEditor(site, {
        session,
        ...(existing ? { story: existing.story } : {}),
        mayEdit: existing?.mayEdit ?? true,
        values: form.values,
        images: await listRecentImages(deps, session.actor),
        publishAt: form.publishAtInput,
        ...(errors ? { errors } : {}),
        ...(previewHtml !== undefined ? { preview: raw(previewHtml) } : {}),
      }),
    );
  }

  app.post('/admin/preview', { preHandler: guard }, async (request, reply) => {
    const body = text((request.body ?? {}) as Record<string, unknown>, 'body');
    if (body.length > 200_000) throw new DomainError('VALIDATION_FAILED', 'The story is too long to preview.');
    return reply.header('cache-control', 'no-store').send({ html: renderStoryMarkdown(body) });
  });

  app.get('/admin/stories/:id/revisions', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const compare = compareQuery.parse(request.query);
    const session = request.staff!;
    const { story, mayEdit } = await getStoryForEditing(deps, session.actor, id);
    const revisions = await listStoryRevisions(deps, session.actor, id);
    const diff = compare.from && compare.to ? await diffRevisions(deps, session.actor, { storyId: id, from: compare.from, to: compare.to }) : undefined;
    return sendHtml(reply, 200, renderRevisions(site, { session, story, revisions, mayRestore: mayEdit, ...(diff ? { diff } : {}) }));
  });

  app.post('/admin/stories/:id/restore', { preHandler: guard }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const number = Number(text((request.body ?? {}) as Record<string, unknown>, 'number'));
    if (!Number.isInteger(number) || number < 1) throw Object.assign(new Error('Choose a revision to restore.'), { statusCode: 400 });
    await restoreRevision(deps, request.staff!.actor, { storyId: id, number });
    return reply.redirect(`/admin/stories/${id}/edit?saved=1`, 303);
  });
}

function emptyStory(): StoryFormInput {
  return { headline: '', slug: '', dek: '', byline: '', dateline: '', body: '', related: '', section: '', tags: '', sources: [] };
}
