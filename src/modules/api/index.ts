export { buildOpenApiDocument } from './api.openapi.js';
export type { HttpMethod, OpenApiDocument, Operation, PathItem } from './api.openapi.js';
export { registerApiRoutes } from './api.routes.js';
