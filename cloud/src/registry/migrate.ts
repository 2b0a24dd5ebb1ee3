import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { type DatabaseTarget, databaseTarget, redact } from './database.ts';
import { RegistryError } from './port.ts';

/**
 * Applies the committed SQL migrations (`cloud/prisma/{sqlite,postgresql}/migrations/NNNN_name/migration.sql`)
 * and records them in Prisma's own `_prisma_migrations` table, so `prisma migrate deploy` stays usable
 * where its engine works (docs/decisions/0006-database-migrations.md). Each file runs in one transaction;
 * on PostgreSQL the runner holds Prisma's advisory lock, so two processes starting at once (or this and
 * `prisma migrate deploy`) take turns.
 */
export async function migrate(opts: {
  url?: string | undefined;
  dataDir: string;
}): Promise<{ provider: DatabaseTarget['provider']; applied: string[] }> {
  const target = databaseTarget(opts.url, opts.dataDir);
  return { provider: target.provider, applied: await migrateTarget(target) };
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The committed migrations of a provider, in the order Prisma applies them (by folder name). */
export async function readMigrations(
  provider: DatabaseTarget['provider'],
  dir = migrationsDir(provider),
): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: sha256(bytes) };
    }),
  );
}

/**
 * Found through the package, not this file's URL: the CLI runs a bundle of this code from elsewhere
 * (docs/decisions/0005-running-typescript.md).
 */
export function migrationsDir(provider: DatabaseTarget['provider']): string {
  const pkg = createRequire(import.meta.url).resolve('@lumbung/cloud/package.json');
  return path.join(path.dirname(pkg), 'prisma', provider, 'migrations');
}

/** Prisma's key for `pg_advisory_lock` (prisma-engines, postgres flavour): shared so we exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;
const LOCK_WAIT_MS = 60_000;

export async function migrateTarget(target: DatabaseTarget, migrations?: Migration[]): Promise<string[]> {
  const list = migrations ?? (await readMigrations(target.provider));
  return target.provider === 'sqlite' ? migrateSqlite(target.file, list) : migratePostgres(target, list);
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/**
 * What is left to apply, or an error for a history this code cannot continue: a migration that failed
 * half-way (Prisma's marker: no finished_at, no rolled_back_at) or one whose file changed since.
 * Rolled-back rows do not count, as in Prisma.
 */
function pending(rows: readonly AppliedRow[], migrations: readonly Migration[]): Migration[] {
  const done = new Map<string, AppliedRow>();
  for (const r of rows) {
    if (r.rolled_back_at !== null) continue;
    if (r.finished_at === null)
      throw new MigrationError(
        `migration ${r.migration_name} failed earlier and was not rolled back; fix the database, then mark it with \`prisma migrate resolve\``,
      );
    done.set(r.migration_name, r);
  }
  for (const m of migrations) {
    const row = done.get(m.name);
    if (row && !checksumMatches(m, row.checksum))
      throw new MigrationError(
        `migration ${m.name} was changed after it was applied (checksum ${row.checksum} in the database, ${m.checksum} in the file); a migration that has run anywhere must never be edited: add a new one`,
      );
  }
  return migrations.filter((m) => !done.has(m.name));
}

/** Prisma accepts a file whose only change is its line endings (a checkout on Windows); so do we. */
function checksumMatches(m: Migration, stored: string): boolean {
  return (
    stored === m.checksum ||
    stored === sha256(m.sql.replaceAll('\r\n', '\n')) ||
    stored === sha256(m.sql.replaceAll(/\r?\n/g, '\r\n'))
  );
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

// The DDL Prisma's schema engine uses, column for column, so either tool can continue the other's history.
const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

const SELECT_APPLIED = 'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations';

/**
 * Switches a new database file to WAL. The switch needs the file to itself, and SQLite answers SQLITE_BUSY at
 * once (without the busy timeout) when another process starting at the same moment has it open: wait and
 * look again; by then the other process has usually made the switch.
 */
async function walMode(db: Database.Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Prisma's JS engine writes SQLite DATETIMEs as ISO text with an explicit offset; match it. */
const sqliteTime = (d: Date): string => d.toISOString().replace('Z', '+00:00');

async function migrateSqlite(file: string, migrations: readonly Migration[]): Promise<string[]> {
  await mkdir(path.dirname(file), { recursive: true });
  // timeout: another process migrating holds the write lock; wait for it rather than fail.
  const db = openSqlite(file, { timeout: 30_000 });
  try {
    // WAL lets the API read while the gateway bridge writes; the setting stays with the file.
    await walMode(db, 30_000);
    db.exec(SQLITE_TABLE);
    const applied: string[] = [];
    // One migration per turn, each checked and applied under the write lock (IMMEDIATE takes it at
    // BEGIN): a second process starting at the same time waits here, then finds nothing left.
    for (;;) {
      db.exec('BEGIN IMMEDIATE');
      let next: Migration | undefined;
      try {
        next = pending(db.prepare(SELECT_APPLIED).all() as AppliedRow[], migrations)[0];
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
      if (!next) {
        db.exec('ROLLBACK');
        break;
      }
      const started = new Date();
      try {
        db.exec(next.sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), next.checksum, sqliteTime(new Date()), next.name, sqliteTime(started));
        db.exec('COMMIT');
        applied.push(next.name);
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw failed(next, err);
      }
    }
    return applied;
  } finally {
    db.close();
  }
}

/**
 * Opens a SQLite file with the same better-sqlite3 that Prisma's adapter loads. Two copies of SQLite in
 * one process do not see each other's POSIX locks, so closing one connection drops the other's locks
 * and the WAL index goes with them ("disk I/O error"); the lockfile currently nests an older
 * better-sqlite3 under the adapter, so "the same" must mean the adapter's.
 */
export function openSqlite(file: string, opts: Database.Options = {}): Database.Database {
  const adapter = createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3');
  const Driver = createRequire(adapter)('better-sqlite3') as typeof Database;
  return new Driver(file, opts);
}

/** The part of `pg` used here (the package has no bundled types). */
interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): void;
}
type PgClientClass = new (config: {
  connectionString: string;
  options?: string;
  connectionTimeoutMillis?: number;
}) => PgClient;

/** A plain `pg` client; with `schema`, unqualified names resolve in that schema. */
export function pgClient(
  connectionString: string,
  opts: { schema?: string; connectTimeoutMs?: number } = {},
): PgClient {
  const { Client } = createRequire(import.meta.url)('pg') as { Client: PgClientClass };
  return new Client({
    connectionString,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    // search_path puts the migration's unqualified tables, and _prisma_migrations, into the chosen schema.
    ...(opts.schema ? { options: `-c search_path="${opts.schema}"` } : {}),
  });
}

async function migratePostgres(
  target: Extract<DatabaseTarget, { provider: 'postgresql' }>,
  migrations: readonly Migration[],
): Promise<string[]> {
  const client = pgClient(target.connectionString, { schema: target.schema });
  // A dropped connection is reported on the query that fails; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw new RegistryError(
      'unavailable',
      `cannot reach the registry database ${redact(target.connectionString)} (LUMBUNG_DATABASE_URL): ${(err as Error).message || (err as { code?: string }).code}`,
    );
  }
  try {
    await lockPostgres(client);
    try {
      // Looked up first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
      const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target.schema]);
      if (rows.length === 0) await client.query(`CREATE SCHEMA "${target.schema}"`);
      await client.query(POSTGRES_TABLE);
      const applied: string[] = [];
      for (const m of pending((await client.query<AppliedRow>(SELECT_APPLIED)).rows, migrations)) {
        const started = new Date();
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), m.checksum, m.name, started],
          );
          await client.query('COMMIT');
          applied.push(m.name);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw failed(m, err);
        }
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Polls instead of a blocking `pg_advisory_lock`, so a process that hangs holding the lock gives a clear
 * error instead of a start-up that never ends.
 */
async function lockPostgres(client: PgClient): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PRISMA_ADVISORY_LOCK,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline)
      throw new MigrationError(
        `another process has been migrating this PostgreSQL database for over ${LOCK_WAIT_MS / 1000} s (advisory lock ${PRISMA_ADVISORY_LOCK}); check pg_locks`,
      );
    await sleep(100);
  }
}

function failed(m: Migration, err: unknown): MigrationError {
  const e = new MigrationError(
    `migration ${m.name} failed and was rolled back: ${err instanceof Error ? err.message : String(err)}`,
  );
  e.cause = err;
  return e;
}
