import { z } from 'zod';
import type { Action } from '../people/index.js';
import {
  correctionInput,
  correctionOutput,
  errorOutput,
  meOutput,
  personOutput,
  sectionOutput,
  sourceInput,
  sourceOutput,
  storyActionInput,
  storyCreateInput,
  storyListOutput,
  storyOutput,
  storySummaryOutput,
  storyUpdateInput,
  tagOutput,
} from './api.schemas.js';

/** The parts of OpenAPI 3.1 this document uses. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }>;
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
  };
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';
export type PathItem = Partial<Record<HttpMethod, Operation>>;
type JsonSchema = Record<string, unknown>;

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** `[]` for the one public operation; otherwise the document-wide bearer token applies. */
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, ResponseObject | { $ref: string }>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: { 'application/json': { schema: JsonSchema } };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: string) => ({ content: { 'application/json': { schema: ref(schema) } } });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const body = (schema: string) => ({ requestBody: { required: true as const, content: { 'application/json': { schema: ref(schema) } } } });
const needs = (action: Action) => `Needs the \`${action}\` permission (docs/permissions.md).`;

const storyId: Parameter = { name: 'id', in: 'path', required: true, description: 'The story’s id.', schema: { type: 'integer', minimum: 1 } };
/** Errors every authenticated operation can answer. */
const authErrors = { '401': errorRef('Unauthorized'), '403': errorRef('Forbidden') };

/** Named schemas: requests as clients send them, responses as the API writes them. */
const requestSchemas = { StoryCreate: storyCreateInput, StoryUpdate: storyUpdateInput, StoryAction: storyActionInput, SourceInput: sourceInput, CorrectionCreate: correctionInput };
const responseSchemas = {
  StorySummary: storySummaryOutput,
  StoryList: storyListOutput,
  Story: storyOutput,
  Source: sourceOutput,
  Section: sectionOutput,
  Tag: tagOutput,
  Correction: correctionOutput,
  Person: personOutput,
  Me: meOutput,
  Error: errorOutput,
};

const paths: Record<string, PathItem> = {
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      description: 'The OpenAPI 3.1 description of the API. Needs no token.',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'The document.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/api/me': {
    get: {
      operationId: 'getMe',
      summary: 'Who the token acts for',
      description: 'The token’s owner, their role and what it allows. A cheap way to check a token.',
      tags: ['meta'],
      responses: { '200': { description: 'The token’s owner.', ...json('Me') }, ...authErrors },
    },
  },
  '/api/stories': {
    get: {
      operationId: 'listStories',
      summary: 'List stories',
      description: `Every story whatever its status, most recently changed first, 50 a page, as on the admin story list. ${needs('admin.enter')}`,
      tags: ['stories'],
      parameters: [
        { name: 'status', in: 'query', required: false, description: 'Only stories with this status.', schema: { type: 'string', enum: ['draft', 'scheduled', 'published', 'unpublished'] } },
        { name: 'q', in: 'query', required: false, description: 'Only stories whose headline contains these words (up to 200 characters).', schema: { type: 'string', maxLength: 200 } },
        { name: 'page', in: 'query', required: false, description: 'Page number, from 1.', schema: { type: 'integer', minimum: 1, maximum: 9999, default: 1 } },
      ],
      responses: { '200': { description: 'One page of stories.', ...json('StoryList') }, '422': errorRef('Invalid'), ...authErrors },
    },
    post: {
      operationId: 'createStory',
      summary: 'Create a story',
      description: `Creates a story, as a draft unless \`action\` publishes or schedules it (which needs \`story.publish\`). Its text is checked exactly as in the story editor. ${needs('story.create')}`,
      tags: ['stories'],
      ...body('StoryCreate'),
      responses: {
        '201': {
          description: 'The story as saved.',
          headers: { Location: { description: 'The story’s address in the API.', schema: { type: 'string' } } },
          ...json('Story'),
        },
        '400': errorRef('BadRequest'),
        '415': errorRef('UnsupportedMediaType'),
        '422': errorRef('Invalid'),
        ...authErrors,
      },
    },
  },
  '/api/stories/{id}': {
    get: {
      operationId: 'getStory',
      summary: 'Get a story',
      description: `One story with its Markdown, sources, section and tags, whatever its status. ${needs('admin.enter')}`,
      tags: ['stories'],
      parameters: [storyId],
      responses: { '200': { description: 'The story.', ...json('Story') }, '404': errorRef('NotFound'), ...authErrors },
    },
    put: {
      operationId: 'updateStory',
      summary: 'Update a story',
      description:
        'Replaces the story’s text, sources and related story and applies `action`, keeping a revision, an audit entry and a 301 from the old address when a published story’s slug changes. Editors and admins may change any story; authors only their own drafts. `publish`, `schedule` and `unpublish` need `story.publish`.',
      tags: ['stories'],
      parameters: [storyId],
      ...body('StoryUpdate'),
      responses: {
        '200': { description: 'The story as saved.', ...json('Story') },
        '400': errorRef('BadRequest'),
        '404': errorRef('NotFound'),
        '415': errorRef('UnsupportedMediaType'),
        '422': errorRef('Invalid'),
        ...authErrors,
      },
    },
  },
  '/api/stories/{id}/corrections': {
    post: {
      operationId: 'appendCorrection',
      summary: 'Append a correction or clarification',
      description: `Appends a dated correction or clarification to a published story; it shows on the story at once. ${needs('story.correct')}`,
      tags: ['stories'],
      parameters: [storyId],
      ...body('CorrectionCreate'),
      responses: {
        '201': { description: 'The correction.', ...json('Correction') },
        '400': errorRef('BadRequest'),
        '404': errorRef('NotFound'),
        '409': errorRef('Conflict'),
        '415': errorRef('UnsupportedMediaType'),
        '422': errorRef('Invalid'),
        ...authErrors,
      },
    },
  },
  '/api/people': {
    get: {
      operationId: 'listPeople',
      summary: 'List staff accounts',
      description: `Every staff account by name, with email address and role. ${needs('person.manage')}`,
      tags: ['people'],
      responses: { '200': { description: 'The staff.', ...list('people', 'Person') }, ...authErrors },
    },
  },
  '/api/sections': {
    get: {
      operationId: 'listSections',
      summary: 'List sections',
      description: `Every section by name, including those no published story is in yet. ${needs('admin.enter')}`,
      tags: ['taxonomy'],
      responses: { '200': { description: 'The sections.', ...list('sections', 'Section') }, ...authErrors },
    },
  },
  '/api/tags': {
    get: {
      operationId: 'listTags',
      summary: 'List tags',
      description: `Every tag by name, including those no published story has yet. ${needs('admin.enter')}`,
      tags: ['taxonomy'],
      responses: { '200': { description: 'The tags.', ...list('tags', 'Tag') }, ...authErrors },
    },
  },
};

function list(property: string, schema: string) {
  return {
    content: {
      'application/json': { schema: { type: 'object', properties: { [property]: { type: 'array', items: ref(schema) } }, required: [property] } },
    },
  };
}

const errorResponse = (description: string, headers?: ResponseObject['headers']): ResponseObject => ({ description, ...(headers ? { headers } : {}), ...json('Error') });

/** The OpenAPI 3.1 document of /api/, with the site's address as its server. */
export function buildOpenApiDocument(o: { publicUrl: string }): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Readout admin and content API',
      version: '0.1.0',
      description:
        'JSON over HTTP for the newsroom: the same rules as the admin screens, with a personal API token instead of a session. See docs/api.md.',
    },
    servers: [{ url: o.publicUrl }],
    security: [{ bearerToken: [] }],
    tags: [
      { name: 'stories', description: 'Stories, their workflow and corrections.' },
      { name: 'taxonomy', description: 'Sections and tags.' },
      { name: 'people', description: 'Staff accounts.' },
      { name: 'meta', description: 'The API itself and the token in use.' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'rdt_ followed by 43 characters',
          description: 'A personal API token, created at /admin/tokens. It acts with its owner’s current role.',
        },
      },
      schemas: { ...componentSchemas(requestSchemas, 'input'), ...componentSchemas(responseSchemas, 'output') },
      responses: {
        BadRequest: errorResponse('The body is not a JSON object, or not valid JSON.'),
        Unauthorized: errorResponse('No token, or a malformed, unknown or revoked one, or a request with the sign-in cookie instead of a token.', {
          'WWW-Authenticate': { description: '`Bearer realm="readout"`, with `error="invalid_token"` when a token was sent.', schema: { type: 'string' } },
        }),
        Forbidden: errorResponse('The token’s owner may not do this (AUTH_NOT_PERMITTED), or a browser sent the request from another site.'),
        NotFound: errorResponse('No story with this id.'),
        Conflict: errorResponse('The story is not published, so it cannot be corrected.'),
        UnsupportedMediaType: errorResponse('The body was not sent as application/json.'),
        Invalid: errorResponse('Fields are missing or wrong; `errors` names each one.'),
      },
    },
  };
}

/** JSON Schemas (2020-12, as OpenAPI 3.1 uses) from zod schemas, referring to each other by component name. */
function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(generated).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}
