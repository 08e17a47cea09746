import fs from 'node:fs';
import { processCpuSeconds } from './children.js';

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

/** Pids of a process's children (every thread's /proc/<pid>/task/<tid>/children), e.g. a cluster primary's workers. */
export function childPids(pid: number): number[] {
  const pids = new Set<number>();
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const task of tasks) {
    try {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) if (child) pids.add(Number(child));
    } catch {
      // The thread ended while we looked.
    }
  }
  return [...pids];
}

/** A process and its descendants, the process first. */
export function processTree(pid: number, depth = 0): number[] {
  return [pid, ...(depth > 4 ? [] : childPids(pid).flatMap((child) => processTree(child, depth + 1)))];
}

/**
 * CPU seconds of a process and its living descendants (a cluster primary and its workers), summed;
 * NaN where /proc is unavailable. A descendant that ended since an earlier reading drops out of the sum.
 */
export function processTreeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (processCpuSeconds(p) || 0), 0) || processCpuSeconds(pid);
}
