import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Writing migrations: `npm run migration:new -w @lumbung/cloud -- add_lots` after changing both
 * schema.prisma files. For each provider it asks `prisma migrate diff` for the SQL from the previous
 * migration's snapshot of the schema (`schema.prisma.snapshot`, or nothing before the first) to the
 * current schema, and writes `migrations/NNNN_add_lots/{migration.sql,schema.prisma.snapshot}`.
 * test/registry-schema.test.ts checks the same chain, so a schema change without its migration, or an
 * edited migration, fails the tests. Offline: the PostgreSQL diff runs on a stand-in adapter.
 */

export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

const here = path.dirname(fileURLToPath(import.meta.url));
export const schemaFile = (p: Provider): string => path.join(here, p, 'schema.prisma');
export const migrationsFolder = (p: Provider): string => path.join(here, p, 'migrations');
export const SNAPSHOT = 'schema.prisma.snapshot';

/** Migration folder names in the order Prisma applies them. */
export async function migrationNames(p: Provider): Promise<string[]> {
  const entries = await readdir(migrationsFolder(p), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The SQL that takes a database from the datamodel in `from` (or an empty one) to the one in `to`. */
export async function migrateDiff(p: Provider, from: string | null, to: string): Promise<string> {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build/index.js');
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  // The stand-in adapter, never a real database: the output must not depend on who runs it.
  delete env.LUMBUNG_DATABASE_URL;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      cli,
      'migrate',
      'diff',
      '--config',
      path.join(here, p, 'prisma.config.ts'),
      ...(from === null ? ['--from-empty'] : ['--from-schema-datamodel', from]),
      '--to-schema-datamodel',
      to,
      '--script',
    ],
    { env, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

export const isEmptyMigration = (sql: string): boolean => sql.trim() === '-- This is an empty migration.';

export async function newMigration(name: string): Promise<string[]> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error('name the migration in snake_case, e.g. add_lots');
  const written: string[] = [];
  for (const p of PROVIDERS) {
    const names = await migrationNames(p);
    const last = names.at(-1);
    const from = last === undefined ? null : path.join(migrationsFolder(p), last, SNAPSHOT);
    const sql = await migrateDiff(p, from, schemaFile(p));
    if (isEmptyMigration(sql)) continue;
    const number = String(names.length + 1).padStart(4, '0');
    const dir = path.join(migrationsFolder(p), `${number}_${name}`);
    await mkdir(dir);
    await writeFile(path.join(dir, 'migration.sql'), sql);
    await copyFile(schemaFile(p), path.join(dir, SNAPSHOT));
    written.push(path.relative(process.cwd(), dir));
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npm run migration:new -w @lumbung/cloud -- <snake_case_name>');
    process.exit(2);
  }
  const written = await newMigration(name);
  console.log(written.length ? `wrote ${written.join(', ')}` : 'no schema change: no migration written');
}
