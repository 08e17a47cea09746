import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** A server started as a separate OS process, stopped by `stop()` (and killed if the benchmark exits first). */
export interface Child {
  readonly name: string;
  readonly pid: number;
  /** The first match of the ready pattern in the child's stdout. */
  readonly ready: RegExpExecArray;
  /** User + system CPU seconds the child has used so far (Linux /proc), or NaN where unavailable. */
  cpuSeconds(): number;
  /** Last lines the child printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

// The benchmark must never leave a server behind, whatever way it ends.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawns `node <args>` and resolves once its stdout matches `ready` (within `timeoutMs`). */
export async function startChild(options: {
  name: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  ready: RegExp;
  timeoutMs: number;
  /** Pin the process (all its threads) to this CPU with taskset(1). */
  cpu?: number | undefined;
}): Promise<Child> {
  const [command, args] =
    options.cpu === undefined ? [process.execPath, options.args] : ['taskset', ['-c', String(options.cpu), process.execPath, ...options.args]];
  // taskset execs node in place, so the pid is node's.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const pid = child.pid;
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8_000);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const timer = setTimeout(() => fail(`did not start within ${options.timeoutMs} ms`), options.timeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.name} ${why}.\n${log.trim()}`));
    };
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (stdout.length < 64_000) stdout += chunk.toString('utf8');
      const match = settled ? null : options.ready.exec(stdout);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
  if (pid === undefined) throw new Error(`${options.name} has no pid`);

  return {
    name: options.name,
    pid,
    ready,
    cpuSeconds: () => processCpuSeconds(pid),
    output: () => log.trim(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Pins this process (every thread) to `cpu` and returns true, or returns false when taskset(1) is
 * missing or the machine has fewer than two CPUs.
 */
export function pinSelf(cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (USER_HZ is 100 on Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
