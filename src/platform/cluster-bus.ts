import cluster, { type Worker } from 'node:cluster';
import type { AnnouncedPurge, BusListeners } from './cache-bus.js';

const purgeMessage = 'readout:cache-purge';

interface PurgeMessage {
  type: typeof purgeMessage;
  purges: readonly AnnouncedPurge[];
  wake?: boolean;
}

const isPurgeMessage = (message: unknown): message is PurgeMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === purgeMessage && Array.isArray((message as PurgeMessage).purges);

/**
 * Carries page-cache purges between the worker processes of one machine (READOUT_WORKERS > 1)
 * through the cluster primary, so a reader who posts through one worker and is redirected to
 * another sees their comment at once, and wakes the worker that runs the relay when another one
 * committed mail or other side effects. Like the Redis bus, the outbox follower and the relay's own
 * timer cover a lost message.
 */
export class ClusterCacheBus {
  private readonly listener = (message: unknown) => {
    if (!isPurgeMessage(message)) return;
    if (message.purges.length > 0) this.listeners.onPurge(message.purges);
    if (message.wake === true) this.listeners.onWake?.();
  };

  constructor(private readonly listeners: BusListeners) {}

  /** True in a worker process of a cluster. */
  static available(): boolean {
    return cluster.isWorker && typeof process.send === 'function';
  }

  connect(): Promise<void> {
    process.on('message', this.listener);
    return Promise.resolve();
  }

  announce(purges: readonly AnnouncedPurge[], wake = false): void {
    if ((purges.length === 0 && !wake) || !process.connected) return;
    process.send?.({ type: purgeMessage, purges, ...(wake ? { wake } : {}) } satisfies PurgeMessage);
  }

  close(): Promise<void> {
    process.off('message', this.listener);
    return Promise.resolve();
  }
}

/** In the primary: passes each worker's purge announcement on to every other worker. */
export function relayPurgesBetweenWorkers(worker: Worker): void {
  worker.on('message', (message: unknown) => {
    if (!isPurgeMessage(message)) return;
    for (const other of Object.values(cluster.workers ?? {})) {
      if (other && other !== worker && other.isConnected()) other.send(message);
    }
  });
}
