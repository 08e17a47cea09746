import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { DomainError, ValidationError } from '../../errors.js';
import { apiGuard } from '../../http/api-guard.js';
import { appendCorrection } from '../corrections/index.js';
import { can, listStaff, permissions, type Action, type Actor } from '../people/index.js';
import { getStoryForEditing, listStoriesForAdmin, parseStoryForm, saveStory } from '../stories/index.js';
import { getStoryTaxonomy, listSections, listTags } from '../taxonomy/index.js';
import { buildOpenApiDocument } from './api.openapi.js';
import {
  correctionInput,
  parseBody,
  parseOrThrow,
  presentCorrection,
  presentPerson,
  presentSection,
  presentStory,
  presentStorySummary,
  presentTag,
  storyCreateInput,
  storyFormOf,
  storyListQuery,
  storyUpdateInput,
  type StoryOutput,
} from './api.schemas.js';

/**
 * The admin and content API under /api/: JSON in and out, a personal API token on every request
 * but the OpenAPI document, and the same domain functions as the admin screens. Every route here
 * is described in api.openapi.ts (a test keeps the two in step).
 */
export async function registerApiRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register((api, _options, done) => {
    installApi(api, deps);
    done();
  }, { prefix: '/api' });
}

function installApi(api: FastifyInstance, deps: Deps): void {
  api.decorateRequest('apiActor', null);
  // JSON only: a form post (which a browser could send from another site) is refused with 415.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('application/json', { parseAs: 'string' }, api.getDefaultJsonParser('error', 'error'));
  api.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  const guard = (action: Action) => ({ onRequest: apiGuard(deps, { action }) });
  const document = buildOpenApiDocument({ publicUrl: deps.config.publicUrl });

  api.get('/openapi.json', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(document));

  api.get('/me', guard('admin.enter'), async (request) => {
    const actor = actorOf(request);
    const allowed = (Object.keys(permissions) as Action[]).filter((action) => can(actor, action));
    return { id: actor.personId, name: actor.name, role: actor.role, permissions: allowed };
  });

  api.get('/stories', guard('admin.enter'), async (request) => {
    const query = parseOrThrow(storyListQuery, request.query);
    const page = Number(query.page ?? '1');
    const search = query.q?.trim();
    const list = await listStoriesForAdmin(deps, actorOf(request), { ...(query.status ? { status: query.status } : {}), ...(search ? { search } : {}), page });
    return { stories: list.stories.map(presentStorySummary), page, hasNext: list.hasNext };
  });

  api.get('/stories/:id', guard('admin.enter'), async (request) => storyResponse(actorOf(request), storyIdOf(request)));

  api.post('/stories', guard('story.create'), async (request, reply) => {
    const body = parseBody(storyCreateInput, request.body);
    const actor = actorOf(request);
    const story = await save(actor, { body });
    return reply.code(201).header('location', `/api/stories/${story.id}`).send(await storyResponse(actor, story.id));
  });

  api.put('/stories/:id', guard('admin.enter'), async (request) => {
    const storyId = storyIdOf(request);
    const body = parseBody(storyUpdateInput, request.body);
    const actor = actorOf(request);
    await save(actor, { storyId, body, ...(body.substantive !== undefined ? { substantive: body.substantive } : {}) });
    return storyResponse(actor, storyId);
  });

  api.post('/stories/:id/corrections', guard('story.correct'), async (request, reply) => {
    const storyId = storyIdOf(request);
    const body = parseBody(correctionInput, request.body);
    const correction = await appendCorrection(deps, actorOf(request), { storyId, kind: body.kind, text: body.text });
    return reply.code(201).send(presentCorrection(correction));
  });

  api.get('/people', guard('person.manage'), async (request) => ({ people: (await listStaff(deps, actorOf(request))).map(presentPerson) }));
  api.get('/sections', guard('admin.enter'), async (request) => ({ sections: (await listSections(deps, actorOf(request))).map(presentSection) }));
  api.get('/tags', guard('admin.enter'), async (request) => ({ tags: (await listTags(deps, actorOf(request))).map(presentTag) }));

  async function storyResponse(actor: Actor, storyId: number): Promise<StoryOutput> {
    const [editing, taxonomy] = await Promise.all([getStoryForEditing(deps, actor, storyId), getStoryTaxonomy(deps, storyId)]);
    return presentStory(editing, taxonomy);
  }

  /** Checks the story as the editor form is checked, then saves it with its workflow action. */
  async function save(actor: Actor, o: { storyId?: number; body: Parameters<typeof storyFormOf>[0]; substantive?: boolean }) {
    const { values, action } = storyFormOf(o.body);
    const draft = parseStoryForm(values);
    try {
      return await saveStory(deps, actor, {
        ...(o.storyId !== undefined ? { storyId: o.storyId } : {}),
        draft,
        action,
        ...(o.substantive !== undefined ? { substantive: o.substantive } : {}),
        ...(o.body.note !== undefined ? { note: o.body.note } : {}),
      });
    } catch (error) {
      throw apiFieldNames(error);
    }
  }
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.apiActor) throw new DomainError('AUTH_REQUIRED', 'Send an API token as "Authorization: Bearer TOKEN".');
  return request.apiActor;
}

/** The story id in the path; an id that cannot exist is an unknown story, not a bad request. */
function storyIdOf(request: FastifyRequest): number {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) throw new DomainError('STORY_NOT_FOUND', 'There is no story with this id.');
  return Number(id);
}

/** The editor form calls the publication time `publish_at`; in the API it is `action.at`. */
function apiFieldNames(error: unknown): unknown {
  if (!(error instanceof ValidationError) || error.fieldErrors.publish_at === undefined) return error;
  const { publish_at: at, ...rest } = error.fieldErrors;
  return new ValidationError({ ...rest, 'action.at': at }, error.code, error.message);
}
