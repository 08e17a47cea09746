import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the real server runs from here, exactly as `npm run dev` would. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A TCP port on 127.0.0.1 that was free a moment ago (listen on port 0, note it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to 127.0.0.1, resolved once the whole response has arrived; bounded by timeoutMs. */
export function httpRequest(options: {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A keep-alive agent to reuse connections; none (a fresh connection) by default. */
  agent?: http.Agent;
  timeoutMs?: number;
}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        agent: options.agent ?? false,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('aborted', () => reject(new Error('response aborted')));
        response.once('end', () => {
          if (!response.complete) return reject(new Error('response ended before it was complete'));
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Children still running, killed if the test process itself exits early. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * The real server (`node --import tsx src/main.ts`) in its own OS process, so it can be killed
 * with SIGKILL like a crashed or OOM-killed production server.
 */
export class ServerProcess {
  readonly url: string;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    running.add(child);
    const keep = (chunk: Buffer) => {
      // The last 64 KiB of stdout and stderr together, for failure messages.
      this.output = (this.output + chunk.toString('utf8')).slice(-65_536);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** What the server printed so far (stdout and stderr, the last 64 KiB). */
  recentOutput(): string {
    return this.output;
  }

  /**
   * Starts the server on `port` with `databaseUrl` and resolves once it printed "Readout is
   * serving" and answers /healthz with 200. Rejects (and kills it) if it exits or takes too long.
   */
  static async start(options: {
    databaseUrl: string;
    port: number;
    env?: Record<string, string>;
    startTimeoutMs?: number;
  }): Promise<ServerProcess> {
    const publicUrl = `http://127.0.0.1:${options.port}`;
    // A clean environment: nothing from the caller's READOUT_*, DATABASE_URL or node:test context leaks in.
    const inherited = Object.fromEntries(
      ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k] as string]])),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...inherited,
        DATABASE_URL: options.databaseUrl,
        PORT: String(options.port),
        READOUT_HOST: '127.0.0.1',
        PUBLIC_URL: publicUrl,
        READOUT_LOG_LEVEL: 'warn',
        // Load and crash tests post many comments from 127.0.0.1; rate-limit suites set these.
        READOUT_COMMENT_RATE_IP: 'off',
        READOUT_COMMENT_RATE_EMAIL: 'off',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, options.port);
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    try {
      await server.waitForOutput(/^Readout is serving /m, timeoutMs);
      await server.waitForHealth(timeoutMs);
      return server;
    } catch (error) {
      await server.kill('SIGKILL');
      throw error;
    }
  }

  /** Sends `signal` (SIGKILL by default: no handler, no shutdown) and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill(signal);
    return this.within(this.exited, timeoutMs, `server pid ${this.pid} did not exit within ${timeoutMs} ms of ${signal}`);
  }

  private waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const seen = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(this.output)) return;
        this.child.stdout?.off('data', check);
        resolve();
      };
      this.child.stdout?.on('data', check);
      void this.exited.then((exit) =>
        reject(new Error(`server exited (code ${exit.code}, signal ${exit.signal}) before it was ready:\n${this.output}`)),
      );
      check();
    });
    return this.within(seen, timeoutMs, `server did not print ${pattern} within ${timeoutMs} ms`);
  }

  private async waitForHealth(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline && this.isRunning) {
      try {
        const res = await httpRequest({ port: this.port, path: '/healthz', timeoutMs: 2_000 });
        if (res.status === 200) return;
        last = `status ${res.status}: ${res.body}`;
      } catch (error) {
        last = (error as Error).message;
      }
      // Only reached when the server printed its URL but does not answer yet: retry on the next tick of I/O.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`server did not answer /healthz with 200 (${last}):\n${this.output}`);
  }

  private within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message}\n${this.output}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
