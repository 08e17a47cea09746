import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export interface Assets {
  css: string;
  js: string;
  icon: string;
  admin: string;
}

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the built stylesheet and script from memory at content-hashed URLs with a one-year
 * immutable cache lifetime. Run `npm run build` first (npm start and npm test do).
 */
export function installAssets(app: FastifyInstance, dir: string): Assets {
  const files = new Map<string, { body: Buffer; type: string }>();
  const hrefs: Record<string, string> = {};
  for (const name of ['site.css', 'comments.js', 'admin.js', 'favicon.svg']) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`Missing built asset ${file}: run "npm run build" first.`);
    const body = fs.readFileSync(file);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const ext = path.extname(name);
    const hashed = `${path.basename(name, ext)}.${hash}${ext}`;
    files.set(hashed, { body, type: types[ext] ?? 'application/octet-stream' });
    hrefs[name] = `/assets/${hashed}`;
  }
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = files.get(request.params.file);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
  // Browsers ask for /favicon.ico whatever the page links to; point them at the icon.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(hrefs['favicon.svg'] as string, 301));
  return {
    css: hrefs['site.css'] as string,
    js: hrefs['comments.js'] as string,
    icon: hrefs['favicon.svg'] as string,
    admin: hrefs['admin.js'] as string,
  };
}
