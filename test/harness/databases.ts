import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresAdminUrl, probePostgres, skipUnless } from './services.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  /** The DATABASE_URL for the app under test. */
  url: string;
  drop(): Promise<void>;
}

/** The databases every integration suite runs on, each with its skip option (see skipUnless). */
export async function databaseMatrix(): Promise<{ kind: DatabaseKind; skip: false | string }[]> {
  return [
    { kind: 'sqlite', skip: false },
    { kind: 'postgres', skip: skipUnless(await probePostgres()) },
  ];
}

/** A fresh, empty database: a new SQLite file in a temporary folder, or a new PostgreSQL database. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readout-test-'));
    const file = path.join(dir, 'readout.db');
    return { kind, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `readout_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabaseWithRetry(name);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.href,
    drop: async () => {
      await waitForSessionsToEnd(name);
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Waits (at most 2 s) until no session is connected to the database. A closed pg pool resolves
 * before its clients have finished disconnecting; DROP DATABASE … WITH (FORCE) would terminate
 * such a client mid-goodbye, and its error surfaces in the test process as an uncaught exception.
 */
async function waitForSessionsToEnd(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/**
 * CREATE DATABASE copies template1 and fails with 55006 (object in use) while another session
 * is copying it too; parallel test files do that, so try again a few times.
 */
async function createDatabaseWithRetry(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`create database ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
