import type { Deps } from '../deps.js';
import { eraseExpiredIpData, type RetentionCounts } from '../modules/privacy/index.js';
import { PeriodicTask } from './periodic.js';

/**
 * Erases IP hashes (of comments and reports) older than READOUT_IP_RETENTION_DAYS, sign-in
 * attempts and sent mails' recipients that old, every `intervalMs` (hourly by default) and at
 * start. Tests call `run()`.
 */
export class IpRetentionJob {
  private readonly task: PeriodicTask<RetentionCounts>;

  constructor(
    private readonly deps: Pick<Deps, 'store' | 'config' | 'clock' | 'log'>,
    intervalMs = 60 * 60 * 1000,
  ) {
    this.task = new PeriodicTask({ name: 'IP retention', intervalMs, log: deps.log, run: () => this.runOnce() });
  }

  start(): void {
    this.task.start();
    void this.task.runNow();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass now (or waits for the one in progress); undefined when it failed (logged). */
  run(): Promise<RetentionCounts | undefined> {
    return this.task.runNow();
  }

  private async runOnce(): Promise<RetentionCounts> {
    const counts = await eraseExpiredIpData(this.deps, this.deps.clock.now());
    if (Object.values(counts).some((n) => n > 0)) this.deps.log.info({ erased: counts }, 'IP retention: erased old IP data');
    return counts;
  }
}
