import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTarget } from '../src/registry/database.ts';
import {
  type Migration,
  MigrationError,
  migrate,
  migrateTarget,
  migrationsDir,
  pgClient,
  readMigrations,
} from '../src/registry/migrate.ts';
import { sql, type TestDatabase, testDatabases } from './databases.ts';

const run = promisify(execFile);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: sha256(sql) });

interface Row {
  id: string;
  checksum: string;
  finished_at: unknown;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  started_at: unknown;
  applied_steps_count: number | bigint;
}

const tableExists = async (d: TestDatabase, table: string): Promise<boolean> => {
  const target = databaseTarget(d.url, d.dataDir);
  const rows =
    target.provider === 'sqlite'
      ? await sql(d, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${table}'`)
      : await sql(
          d,
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${target.schema}' AND table_name = '${table}'`,
        );
  return rows.length === 1;
};

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`migrations on ${db.name}`, () => {
    let d: TestDatabase;
    beforeEach(async () => {
      d = await db.create();
    });
    afterEach(async () => {
      await d?.cleanup();
    });
    const target = () => databaseTarget(d.url, d.dataDir);

    it('applies the committed migrations once, recorded as Prisma records them', async () => {
      const committed = await readMigrations(db.name);
      expect(committed.map((m) => m.name)).toContain('0001_init');
      expect(await migrate(d)).toEqual({ provider: db.name, applied: committed.map((m) => m.name) });
      expect(await migrate(d)).toEqual({ provider: db.name, applied: [] });

      const rows = await sql<Row>(d, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
      expect(rows).toHaveLength(committed.length);
      const file = await readFile(path.join(migrationsDir(db.name), '0001_init', 'migration.sql'), 'utf8');
      const init = rows.find((r) => r.migration_name === '0001_init')!;
      expect(init.checksum).toBe(sha256(file));
      expect(init.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(init.finished_at).not.toBeNull();
      expect(init.rolled_back_at).toBeNull();
      expect(init.logs).toBeNull();
      expect(Number(init.applied_steps_count)).toBe(1);
      expect(new Date(init.started_at as string).getTime()).toBeLessThanOrEqual(
        new Date(init.finished_at as string).getTime(),
      );
      for (const table of ['villages', 'sites', 'devices', 'edges', 'alerts'])
        expect(await tableExists(d, table), table).toBe(true);
    });

    it('applies only the migrations that are new', async () => {
      const committed = await readMigrations(db.name);
      await migrateTarget(target(), committed);
      const next = migration('9001_probe', 'CREATE TABLE probe_new (a INTEGER);\n');
      expect(await migrateTarget(target(), [...committed, next])).toEqual(['9001_probe']);
      expect(await tableExists(d, 'probe_new')).toBe(true);
      expect(await migrateTarget(target(), [...committed, next])).toEqual([]);
    });

    it('refuses a migration that was changed after it was applied', async () => {
      const committed = await readMigrations(db.name);
      await migrateTarget(target(), committed);
      const [first, ...rest] = committed;
      const edited = migration(first!.name, `${first!.sql}\n-- edited later\n`);
      const err = await migrateTarget(target(), [edited, ...rest]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(/0001_init was changed after it was applied/);
    });

    it('accepts the same migration with Windows line endings, as Prisma does', async () => {
      const committed = await readMigrations(db.name);
      await migrateTarget(target(), committed);
      const crlf = committed.map((m) => migration(m.name, m.sql.replaceAll('\n', '\r\n')));
      expect(await migrateTarget(target(), crlf)).toEqual([]);
    });

    it('rolls back a failing migration, records nothing, and applies it once fixed', async () => {
      const committed = await readMigrations(db.name);
      const broken = migration('9002_broken', 'CREATE TABLE probe_broken (a INTEGER);\nTHIS IS NOT SQL;\n');
      const err = await migrateTarget(target(), [...committed, broken]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(/9002_broken failed and was rolled back/);
      expect(await tableExists(d, 'probe_broken')).toBe(false);
      const names = (await sql<Row>(d, 'SELECT migration_name FROM _prisma_migrations')).map((r) => r.migration_name);
      expect(names).toEqual(committed.map((m) => m.name));
      const fixed = migration('9002_broken', 'CREATE TABLE probe_broken (a INTEGER);\n');
      expect(await migrateTarget(target(), [...committed, fixed])).toEqual(['9002_broken']);
    });

    it('stops at a migration that Prisma recorded as failed, and ignores rolled-back ones', async () => {
      const committed = await readMigrations(db.name);
      await migrateTarget(target(), committed);
      const time = db.name === 'sqlite' ? "'2026-01-01T00:00:00.000+00:00'" : 'now()';
      await sql(
        d,
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count, rolled_back_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'x', '9003_gone', ${time}, 0, ${time})`,
      );
      expect(await migrateTarget(target(), committed)).toEqual([]);
      await sql(
        d,
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ('00000000-0000-4000-8000-000000000002', 'x', '9004_half', ${time}, 0)`,
      );
      await expect(migrateTarget(target(), committed)).rejects.toThrow(/9004_half failed earlier.*migrate resolve/);
    });

    it('migrates once when several processes start at the same moment', async () => {
      const script = path.join(import.meta.dirname, 'migrate-process.ts');
      const startAt = String(Date.now() + 4_000);
      const results = await Promise.all(
        Array.from({ length: 3 }, () =>
          run(process.execPath, ['--import', 'tsx', script, d.url ?? '-', d.dataDir, startAt], { env: process.env }),
        ),
      );
      const applied = results.map((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
      const committed = (await readMigrations(db.name)).map((m) => m.name);
      expect(applied.filter((a) => a.length > 0)).toEqual([committed]);
      expect(applied.filter((a) => a.length === 0)).toHaveLength(2);
      expect(await sql(d, 'SELECT id FROM _prisma_migrations')).toHaveLength(committed.length);
    });
  });
}

describe.skipIf(!testDatabases()[1]!.available)('migrations on postgresql only', () => {
  let d: TestDatabase;
  beforeEach(async () => {
    d = await testDatabases()[1]!.create();
  });
  afterEach(async () => {
    await d?.cleanup();
  });

  it('creates the schema named in the URL and keeps every table in it', async () => {
    const target = databaseTarget(d.url, d.dataDir);
    if (target.provider !== 'postgresql') throw new Error('expected PostgreSQL');
    await migrate(d);
    const tables = await sql<{ table_schema: string; table_name: string }>(
      d,
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name IN ('villages', '_prisma_migrations')`,
    );
    expect(
      tables
        .filter((t) => t.table_schema === target.schema)
        .map((t) => t.table_name)
        .sort(),
    ).toEqual(['_prisma_migrations', 'villages']);
  });

  it("waits while another process holds Prisma's migration lock", async () => {
    const target = databaseTarget(d.url, d.dataDir);
    if (target.provider !== 'postgresql') throw new Error('expected PostgreSQL');
    const holder = pgClient(target.connectionString);
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      let done = false;
      const waiting = migrate(d).then((r) => {
        done = true;
        return r;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      expect((await waiting).applied).toEqual((await readMigrations('postgresql')).map((m) => m.name));
    } finally {
      await holder.end();
    }
  });
});

describe('migrations and Prisma Migrate on SQLite, where its engine runs here', () => {
  let d: TestDatabase;
  beforeEach(async () => {
    d = await testDatabases()[0]!.create();
  });
  afterEach(async () => {
    await d?.cleanup();
  });

  const prisma = async (...args: string[]) => {
    const target = databaseTarget(d.url, d.dataDir);
    if (target.provider !== 'sqlite') throw new Error('expected SQLite');
    const cli = path.join(path.dirname(import.meta.dirname), '..', 'node_modules', 'prisma', 'build', 'index.js');
    const config = path.join(path.dirname(migrationsDir('sqlite')), 'prisma.config.ts');
    return run(process.execPath, [cli, ...args, '--config', config], {
      env: { ...process.env, LUMBUNG_DATABASE_URL: `file:${target.file}`, CHECKPOINT_DISABLE: '1' },
    });
  };

  it('leaves a history that prisma migrate status reads as up to date', async () => {
    await migrate(d);
    const { stdout } = await prisma('migrate', 'status');
    expect(stdout).toMatch(/Database schema is up to date/);
  });

  it('continues a history written by prisma migrate deploy', async () => {
    await prisma('migrate', 'deploy');
    expect(await migrate(d)).toEqual({ provider: 'sqlite', applied: [] });
  });

  it('leaves the database in WAL mode', async () => {
    await migrate(d);
    expect(await sql(d, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });
});
