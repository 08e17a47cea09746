import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { buildApp } from './app.js';
import { boot } from './boot.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './platform/logger.js';
import { relayPurgesBetweenWorkers } from './platform/cluster-bus.js';

/**
 * Entry point: `npm start`. Loads config, migrates, seeds an empty site, serves HTTP. With
 * READOUT_WORKERS > 1 this process becomes the cluster primary and forks that many workers
 * sharing the port (runPrimary); each worker runs the code below.
 */
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
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  // In a cluster only one worker runs the background jobs (relay, scheduler, digest, retention).
  const jobs = process.env.READOUT_WORKER_JOBS !== 'off';
  const log = createLogger(config.logLevel);
  const runtime = await boot(config, { log, jobs });
  const app = await buildApp(runtime.deps, { siteName: runtime.siteName });
  await app.listen({ host: config.host, port: config.port });

  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  if (cluster.isWorker && !jobs) return listenForShutdown(log, app, runtime);
  console.log(`Readout is serving ${config.publicUrl}/ (listening on ${config.host}:${config.port}, database: ${where})`);
  if (runtime.firstAdmin) {
    // Printed once to the terminal, on purpose not through the logger; the password must be changed at first sign-in.
    console.log(
      `\nAn administrator account was created. Sign in at ${config.publicUrl}/admin/sign-in with\n` +
        `  email:    ${runtime.firstAdmin.email}\n  password: ${runtime.firstAdmin.password}\n` +
        'This password is shown only now and must be changed at first sign-in.\n',
    );
  }

  listenForShutdown(log, app, runtime);
}

function listenForShutdown(log: ReturnType<typeof createLogger>, app: { close(): Promise<unknown> }, runtime: { close(): Promise<void> }): void {
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

/**
 * The cluster primary: forks the first worker (it migrates, seeds and runs the jobs) and, once it
 * listens, the others; passes page-cache purges between them; replaces a worker that dies (the
 * jobs go to the replacement of the jobs worker); stops them all on SIGTERM or SIGINT.
 */
async function runPrimary(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  let stopping = false;
  /** Restarts in a row of workers that died within a minute: the wait before the next doubles, up to 30 s. */
  let quickDeaths = 0;
  const fork = (jobs: boolean): Worker => {
    const worker = cluster.fork({ READOUT_WORKER_JOBS: jobs ? 'on' : 'off' });
    const started = Date.now();
    relayPurgesBetweenWorkers(worker);
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      quickDeaths = Date.now() - started < 60_000 ? quickDeaths + 1 : 0;
      const delayMs = Math.min(30_000, 1_000 * 2 ** Math.max(0, quickDeaths - 1));
      log.warn({ pid: worker.process.pid, code, signal, jobs, restartInMs: delayMs }, 'worker exited; starting another');
      setTimeout(() => fork(jobs), delayMs).unref();
    });
    return worker;
  };
  const first = fork(true);
  const started = await Promise.race([once(first, 'listening').then(() => true), once(first, 'exit').then(() => false)]);
  if (!started) {
    stopping = true;
    console.error('Readout failed to start: the first worker exited (see its message above)');
    process.exit(1);
  }
  const others = Array.from({ length: config.workers - 1 }, () => fork(false));
  await Promise.all(others.map((w) => Promise.race([once(w, 'listening'), once(w, 'exit')])));
  console.log(`Readout runs ${config.workers} worker processes on ${config.host}:${config.port} (READOUT_WORKERS)`);
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(workers.map((w) => (w.isDead() ? undefined : (w.process.kill('SIGTERM'), once(w, 'exit')))));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Readout failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
