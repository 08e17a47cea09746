export { registerMediaRoutes } from './media.routes.js';
export { findImage, imageExists, listRecentImages, maxAltLength, readMediaFile, uploadImage } from './media.service.js';
export type { ImageView, UploadImageInput } from './media.service.js';
export { renderImage } from './media.views.js';
