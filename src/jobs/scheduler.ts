import type { Deps } from '../deps.js';
import { publishDueStories } from '../modules/stories/index.js';

/**
 * Publishes scheduled stories when their time comes. The state lives in the database
 * (status 'scheduled' and the publication time), so a restart loses nothing, and the publishing
 * UPDATE only takes rows still 'scheduled', so two nodes or a restart never publish one twice.
 */
export class StoryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs one pass now (unless one is running) and resolves when it is done. */
  tick(): Promise<unknown> {
    this.running ??= publishDueStories(this.deps)
      .then((stories) => {
        for (const story of stories) this.deps.log.info({ storyId: story.id }, 'published a scheduled story');
      })
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'scheduler: publishing due stories failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
