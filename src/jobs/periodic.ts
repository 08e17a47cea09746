import type { FastifyBaseLogger } from 'fastify';

/**
 * A background task run every `intervalMs` and on demand, never twice at once: a call while a
 * run is in progress waits for that run. Failures are logged, never thrown at the timer.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T | undefined> | undefined;

  constructor(
    private readonly o: { name: string; intervalMs: number; log: FastifyBaseLogger; run: () => Promise<T> },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runNow(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs now unless a run is in progress; resolves with its result (undefined when it failed). */
  runNow(): Promise<T | undefined> {
    this.running ??= this.o
      .run()
      .catch((error: unknown) => {
        this.o.log.error({ err: error }, `${this.o.name} failed`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
