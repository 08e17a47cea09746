import http from 'node:http';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Deps } from './deps.js';
import { installAssets } from './http/assets.js';
import { installCrossSiteCheck } from './http/cross-site.js';
import { installErrorHandler } from './http/error-handler.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { pageCacheFastPath } from './http/cached-response.js';
import { avatarKey } from './lib/avatar.js';
import { dateFormatter } from './lib/dates.js';
import { registerApiRoutes } from './modules/api/index.js';
import { registerCorrectionRoutes } from './modules/corrections/index.js';
import { registerMediaRoutes } from './modules/media/index.js';
import { registerPrivacyRoutes } from './modules/privacy/index.js';
import { registerAuditRoutes } from './modules/newsroom/audit.routes.js';
import { registerAuthRoutes } from './modules/newsroom/auth.routes.js';
import { registerCommentAdminRoutes } from './modules/newsroom/comments.routes.js';
import { registerCommentSettingsRoutes } from './modules/newsroom/comment-settings.routes.js';
import { registerFeedSettingsRoutes } from './modules/newsroom/feed-settings.routes.js';
import { registerPeopleRoutes } from './modules/newsroom/people.routes.js';
import { registerStoryAdminRoutes } from './modules/newsroom/stories.routes.js';
import { registerTokenRoutes } from './modules/newsroom/tokens.routes.js';
import { registerWebhookRoutes } from './modules/newsroom/webhooks.routes.js';
import { registerNotificationRoutes } from './modules/notifications/index.js';
import { registerCommentPostRoute } from './modules/site/comment-post.routes.js';
import { registerCommentReaderRoutes } from './modules/site/comment-reader.routes.js';
import { registerFeedRoutes } from './modules/site/feeds.routes.js';
import { registerHealthRoutes } from './modules/site/health.routes.js';
import { registerSearchRoutes } from './modules/site/search.routes.js';
import { registerSiteRoutes } from './modules/site/site.routes.js';
import { registerSitemapRoutes } from './modules/site/sitemap.routes.js';
import { registerTaxonomyRoutes } from './modules/site/taxonomy.routes.js';
import { publicAssetsDir } from './platform/paths.js';
import type { SiteContext } from './views/layout.js';

export interface AppOptions {
  siteName: string;
  /** Directory of built assets (site.css, comments.js); defaults to dist/public. */
  assetsDir?: string;
}

/** Builds the Fastify application with every plugin and route. Never listens: main.ts or a test does. */
export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const { config } = deps;
  const https = config.publicUrl.startsWith('https:');
  const fastPath = pageCacheFastPath(deps);
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    bodyLimit: config.http.bodyLimitBytes,
    // Per-request "incoming"/"completed" lines only at debug level; errors are always logged.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    serverFactory: (handler) =>
      http.createServer(
        {
          headersTimeout: config.http.headersTimeoutMs,
          requestTimeout: config.http.requestTimeoutMs,
          keepAliveTimeout: config.http.keepAliveTimeoutMs,
          // Check for stalled requests every second instead of Node's default 30 seconds.
          connectionsCheckingInterval: 1_000,
        },
        // Cached public pages are answered before routing (src/http/cached-response.ts).
        (req, res) => {
          if (!fastPath(req, res)) handler(req, res);
        },
      ),
  });
  app.server.timeout = config.http.requestTimeoutMs;

  await app.register(formbody, { bodyLimit: config.http.bodyLimitBytes });
  app.decorateRequest('staff', null);
  installSecurityHeaders(app, { https });
  installCrossSiteCheck(app, { publicOrigin: config.publicOrigin });

  const assets = installAssets(app, options.assetsDir ?? publicAssetsDir);
  const site: SiteContext = {
    siteName: options.siteName,
    publicUrl: config.publicUrl,
    lang: config.locale,
    timeZone: config.timeZone,
    assets,
    dates: dateFormatter(config.locale, config.timeZone),
    avatarKey: avatarKey(deps.ipSalt),
  };
  installErrorHandler(app, site, { bodyLimitBytes: config.http.bodyLimitBytes });
  registerHealthRoutes(app, deps);
  registerSiteRoutes(app, deps, site);
  registerTaxonomyRoutes(app, deps, site);
  registerFeedRoutes(app, deps, site);
  registerSearchRoutes(app, deps, site);
  registerSitemapRoutes(app, deps, site);
  registerCommentPostRoute(app, deps, site);
  registerCommentReaderRoutes(app, deps, site);
  registerPrivacyRoutes(app, deps, site);
  registerAuthRoutes(app, deps, site);
  registerStoryAdminRoutes(app, deps, site);
  registerAuditRoutes(app, deps, site);
  registerCommentAdminRoutes(app, deps, site);
  registerCommentSettingsRoutes(app, deps, site);
  registerFeedSettingsRoutes(app, deps, site);
  registerPeopleRoutes(app, deps, site);
  registerCorrectionRoutes(app, deps, site);
  registerMediaRoutes(app, deps, site);
  registerTokenRoutes(app, deps, site);
  registerWebhookRoutes(app, deps, site);
  await registerNotificationRoutes(app, deps, site);
  await registerApiRoutes(app, deps);
  return app;
}
