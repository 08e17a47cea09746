import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startChild, type Child } from './children.js';
import { cleanups, serverCommand } from './lifecycle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Starts the real Readout server as a child process on a free port of 127.0.0.1 (stopped by the
 * clean-ups if the benchmark ends first) and checks /healthz, so a server that started but cannot
 * reach its database fails here rather than as a fast run of errors.
 */
export async function startReadout(o: {
  label: string;
  databaseUrl: string;
  /** --server: auto|dist|src. */
  serverMode: string;
  /** Pin the server to CPU 1 (the load generator has CPU 0). */
  pinned: boolean;
  timeoutMs: number;
  /** Node flags before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Environment beyond what every run sets. */
  env?: Record<string, string>;
  /** What the server prints once it serves; default "Readout is serving" (with READOUT_WORKERS > 1 the first worker prints it). */
  ready?: RegExp;
}): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = await startChild({
    name: `Readout server (${o.label})`,
    args: [...(o.nodeArgs ?? []), ...serverCommand(root, o.serverMode).args],
    cwd: root,
    env: {
      DATABASE_URL: o.databaseUrl,
      PORT: String(port),
      READOUT_HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      READOUT_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...o.env,
    },
    ready: o.ready ?? /Readout is serving/,
    timeoutMs: o.timeoutMs,
    cpu: o.pinned ? 1 : undefined,
  });
  cleanups.push(() => child.stop());
  const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
  if (health.status !== 200) throw new Error(`${child.name}: /healthz answered ${health.status}`);
  return { child, baseUrl };
}
