/** Command-line checks shared by the benchmarks: a bad value ends the run with a message and exit code 2. */

/** A whole-number option within [min, max]. */
export function intOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    process.exit(2);
  }
  return n;
}

/** `--server`: which build of Readout to run (auto: dist/ when it is newer than src/). */
export function serverOption(value: string): 'auto' | 'dist' | 'src' {
  if (value !== 'auto' && value !== 'dist' && value !== 'src') {
    console.error(`--server must be auto, dist or src, got "${value}"`);
    process.exit(2);
  }
  return value;
}

/**
 * The options every benchmark takes, since `npm run bench` passes them to all (bench/run-all.ts):
 * --pg | --no-pg, --no-pin, --server, --quiet-wait (with this benchmark's default). A benchmark
 * that spawns nothing accepts and ignores --no-pin and --server.
 */
export function commonBenchOptions(quietWaitDefault: string) {
  return {
    pg: { type: 'boolean', default: false },
    'no-pg': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    server: { type: 'string', default: 'auto' },
    'quiet-wait': { type: 'string', default: quietWaitDefault },
  } as const;
}
