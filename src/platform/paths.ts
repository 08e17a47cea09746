import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project root: this file is src/platform/paths.ts (tsx) or dist/platform/paths.js (built). */
export const projectRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Built stylesheet and browser script. */
export const publicAssetsDir = path.join(projectRoot, 'dist', 'public');

/** The sample stories seeded on first start. */
export const sampleContentDir = path.join(projectRoot, 'content', 'sample');
