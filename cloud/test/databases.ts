import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseTarget, redact } from '../src/registry/database.ts';
import { openSqlite, pgClient } from '../src/registry/migrate.ts';

/**
 * The databases every registry test runs against: SQLite in a temp dir, and the PostgreSQL server of
 * the machine (LUMBUNG_TEST_DATABASE_URL, default the local `test` database), each test run in a fresh
 * schema that `cleanup()` drops.
 *
 *   for (const db of testDatabases()) {
 *     describe.skipIf(!db.available)(`… on ${db.name}`, () => {
 *       let d: TestDatabase;
 *       beforeAll(async () => { d = await db.create(); registry = openRegistry(d); await registry.start(); });
 *       afterAll(async () => { await registry.stop(); await d.cleanup(); });
 *     });
 *   }
 *
 * Without a reachable PostgreSQL its suites are skipped with `skipReason` — except when CI=true: then
 * `available` stays true and `create()` throws, so the run fails instead of passing on SQLite alone.
 */
export interface TestDatabase {
  /** LUMBUNG_DATABASE_URL for this database: undefined for SQLite (the default file in dataDir). */
  url: string | undefined;
  dataDir: string;
  cleanup(): Promise<void>;
}

export interface TestDatabaseKind {
  name: 'sqlite' | 'postgresql';
  available: boolean;
  skipReason?: string;
  create(): Promise<TestDatabase>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

const postgresUrl = process.env.LUMBUNG_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;

async function probe(url: string): Promise<string | undefined> {
  const client = pgClient(url, { connectTimeoutMs: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

// Top-level await: vitest collects suites synchronously, so availability must be known at import.
const postgresProblem = await probe(postgresUrl);

const inCi = process.env.CI === 'true' || process.env.CI === '1';

const skipReason =
  postgresProblem === undefined
    ? undefined
    : `PostgreSQL at ${redact(postgresUrl)} is not reachable (${postgresProblem}). ` +
      'Install and start it (apt-get install postgresql; a database "test" with trust auth for 127.0.0.1), ' +
      'or set LUMBUNG_TEST_DATABASE_URL=postgresql://user@host:5432/db. With CI=true this fails the run.';

if (skipReason && !inCi) console.warn(`[cloud tests] skipping PostgreSQL: ${skipReason}`);

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'lumbung-cloud-test-'));
}

const sqlite: TestDatabaseKind = {
  name: 'sqlite',
  available: true,
  async create() {
    const dataDir = await tempDir();
    return { url: undefined, dataDir, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgresql: TestDatabaseKind = {
  name: 'postgresql',
  available: skipReason === undefined || inCi,
  ...(skipReason !== undefined ? { skipReason } : {}),
  async create() {
    if (skipReason) throw new Error(skipReason);
    const schema = `lumbung_test_${randomBytes(6).toString('hex')}`;
    const dataDir = await tempDir();
    const url = new URL(postgresUrl);
    url.searchParams.set('schema', schema);
    return {
      url: url.toString(),
      dataDir,
      async cleanup() {
        const client = pgClient(postgresUrl);
        client.on('error', () => {});
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

export function testDatabases(): TestDatabaseKind[] {
  return [sqlite, postgresql];
}

/** Runs one SQL statement on a test database directly, outside the code under test; rows of a query. */
export async function sql<T = Record<string, unknown>>(d: TestDatabase, text: string): Promise<T[]> {
  const target = databaseTarget(d.url, d.dataDir);
  if (target.provider === 'sqlite') {
    const db = openSqlite(target.file);
    try {
      const stmt = db.prepare(text);
      if (stmt.reader) return stmt.all() as T[];
      stmt.run();
      return [];
    } finally {
      db.close();
    }
  }
  const client = pgClient(target.connectionString, { schema: target.schema });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
