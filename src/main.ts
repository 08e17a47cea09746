import { buildApp } from './app.js';
import { boot } from './boot.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './platform/logger.js';

/** Entry point: `npm start`. Loads config, migrates, seeds an empty site, serves HTTP. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const runtime = await boot(config, { log });
  const app = await buildApp(runtime.deps, { siteName: runtime.siteName });
  await app.listen({ host: config.host, port: config.port });

  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  console.log(`Readout is serving ${config.publicUrl}/ (listening on ${config.host}:${config.port}, database: ${where})`);
  if (runtime.firstAdmin) {
    // Printed once to the terminal, on purpose not through the logger; the password must be changed at first sign-in.
    console.log(
      `\nAn administrator account was created. Sign in at ${config.publicUrl}/admin/sign-in with\n` +
        `  email:    ${runtime.firstAdmin.email}\n  password: ${runtime.firstAdmin.password}\n` +
        'This password is shown only now and must be changed at first sign-in.\n',
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Readout failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
