import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code (CommonJS, run with `eval`, so the same code serves the built app and tsx):
 * its own connection to the file, a PASSIVE checkpoint every interval (copies what it can, never
 * waits for readers nor blocks writers), closed on 'stop'.
 */
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves SQLite's WAL checkpoints off the main thread, so a checkpoint's copying and fsync never
 * stall the event loop and the requests queued behind it. The server's connection has automatic
 * checkpoints turned off; this worker thread checkpoints every `intervalMs` on its own connection.
 */
export function startCheckpointer(file: string, intervalMs = 1_000): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerCode, { eval: true, workerData: { file, intervalMs, driver } });
  worker.unref();
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  worker.on('message', (message: { error?: string }) => {
    if (message.error) process.emitWarning(`SQLite checkpoint failed: ${message.error}`);
  });
  worker.on('error', (error) => process.emitWarning(`SQLite checkpoint worker stopped: ${error.message}`));
  return {
    stop: async () => {
      if (exited) return;
      worker.postMessage('stop');
      const forced = setTimeout(() => void worker.terminate(), 2_000);
      await exit;
      clearTimeout(forced);
    },
  };
}
