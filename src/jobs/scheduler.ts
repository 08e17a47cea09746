import type { Deps } from '../deps.js';
import { publishDueStories } from '../modules/stories/index.js';
import { PeriodicTask } from './periodic.js';

/**
 * Publishes scheduled stories when their time comes. The state lives in the database
 * (status 'scheduled' and the publication time), so a restart loses nothing, and the publishing
 * UPDATE only takes rows still 'scheduled', so two nodes or a restart never publish one twice.
 */
export class StoryScheduler {
  private readonly task: PeriodicTask<void>;

  constructor(deps: Deps, intervalMs: number) {
    this.task = new PeriodicTask({
      name: 'scheduler: publishing due stories',
      intervalMs,
      log: deps.log,
      run: async () => {
        for (const story of await publishDueStories(deps)) deps.log.info({ storyId: story.id }, 'published a scheduled story');
      },
    });
  }

  start(): void {
    this.task.start();
    void this.task.runNow();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Runs one pass now (unless one is running) and resolves when it is done. */
  tick(): Promise<unknown> {
    return this.task.runNow();
  }
}
