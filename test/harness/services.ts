import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Under CI=true a missing service fails the run; elsewhere its suites are skipped with a one-line reason. */
export const inCi = process.env.CI === 'true';

export const postgresAdminUrl = process.env.READOUT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const chromiumPath = process.env.READOUT_CHROMIUM ?? '/usr/bin/chromium';

let postgresProbe: Promise<string | undefined> | undefined;

/** Resolves to undefined when PostgreSQL answers, or to the reason it does not. */
export function probePostgres(): Promise<string | undefined> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return `PostgreSQL is not reachable at ${postgresAdminUrl.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresProbe;
}

export function probeChromium(): string | undefined {
  return fs.existsSync(chromiumPath) ? undefined : `Chromium is not installed at ${chromiumPath} (Debian package "chromium")`;
}

/** The Nu Html Checker (npm package vnu-jar), run with the machine's Java. */
export const vnuJarPath = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));

/** Undefined when `java -version` runs and vnu.jar is there, or the reason the HTML checker cannot run. */
export function probeJava(): string | undefined {
  if (!fs.existsSync(vnuJarPath)) return `The Nu Html Checker is not installed at ${vnuJarPath} (npm package "vnu-jar")`;
  const java = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 10_000 });
  if (java.error || java.status !== 0) return `Java is not installed (needed by the Nu Html Checker; Debian package "default-jre-headless")`;
  return undefined;
}

/**
 * The `skip` option for a suite that needs a service: false when it is there; its reason when it
 * is not; and under CI a thrown error, because CI must never skip.
 */
export function skipUnless(reason: string | undefined): false | string {
  if (reason === undefined) return false;
  if (inCi) throw new Error(`CI=true and a required service is missing: ${reason}`);
  return reason;
}

export const redisTestUrl = process.env.READOUT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redisProbe: Promise<string | undefined> | undefined;

/** Resolves to undefined when Redis answers PING, or to the reason it does not. */
export function probeRedis(): Promise<string | undefined> {
  redisProbe ??= new Promise((resolve) => {
    const url = new URL(redisTestUrl);
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const fail = (why: string) => {
      socket.destroy();
      resolve(`Redis is not reachable at ${url.host} (${why})`);
    };
    socket.setTimeout(3_000, () => fail('timed out'));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') ? undefined : `Redis at ${url.host} answered ${JSON.stringify(data.toString().trim())} to PING`);
    });
  });
  return redisProbe;
}
