import type { Deps } from '../deps.js';
import { loadCommentSettings } from '../modules/comments/comment-settings.js';
import { sendModerationDigest } from '../modules/notifications/index.js';
import { PeriodicTask } from './periodic.js';

/** How often each digest setting mails moderators at most. */
export const digestIntervals = { hourly: 60 * 60_000, daily: 24 * 60 * 60_000 } as const;

/**
 * Mails moderators a digest of held comments, at most as often as the site setting
 * (`digest`: off | hourly | daily, in /admin/comments/settings) allows. It checks every
 * `intervalMs`; several nodes may run it, the digest itself goes out once (see sendModerationDigest).
 */
export class ModerationDigest {
  private readonly task: PeriodicTask<number>;

  constructor(
    private readonly deps: Deps,
    intervalMs: number,
  ) {
    this.task = new PeriodicTask({ name: 'moderation digest', intervalMs, log: deps.log, run: () => this.runOnce() });
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Checks now; resolves with the number of digest mails queued. */
  async tick(): Promise<number> {
    return (await this.task.runNow()) ?? 0;
  }

  private async runOnce(): Promise<number> {
    const { digest } = await loadCommentSettings(this.deps);
    if (digest === 'off') return 0;
    return sendModerationDigest(this.deps, { everyMs: digestIntervals[digest] });
  }
}
