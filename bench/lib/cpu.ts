import fs from 'node:fs';

/** Busy CPU seconds of the whole machine so far, summed over cores (Linux /proc/stat), or NaN elsewhere. */
export function machineBusySeconds(): number {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (USER_HZ = 100)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Waits (at most `maxSeconds`) until the machine has been nearly idle for one second, so a
 * measured run does not start in the middle of someone else's build. Returns the cores that were
 * busy in the last second sampled.
 */
export async function waitForQuiet(maxSeconds: number, idleCores = 0.3): Promise<number> {
  let busy = Number.NaN;
  for (let i = 0; i < maxSeconds; i++) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    busy = machineBusySeconds() - before;
    if (!(busy > idleCores)) return busy;
  }
  return busy;
}

/** Pids of the processes whose command name (/proc/<pid>/comm) is `name`, e.g. the PostgreSQL server's. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
