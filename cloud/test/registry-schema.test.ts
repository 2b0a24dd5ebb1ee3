import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isEmptyMigration,
  migrateDiff,
  migrationNames,
  migrationsFolder,
  PROVIDERS,
  type Provider,
  SNAPSHOT,
  schemaFile,
} from '../prisma/migrations.ts';

/** A schema without its generator output path and datasource: what must be equal across providers. */
async function models(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  return text
    .replace(/^\/\/.*\n/, '')
    .replace(/^\s*output\s*=.*$/m, '')
    .replace(/^datasource db \{[^}]*\}/m, '');
}

describe('the Prisma schemas of the two providers', () => {
  it('hold the same models', async () => {
    const [sqlite, postgresql] = await Promise.all(PROVIDERS.map((p) => models(schemaFile(p))));
    expect(postgresql).toEqual(sqlite);
    expect(sqlite).toMatch(/model Alert \{/);
  });

  it('have migrations of the same names', async () => {
    const [sqlite, postgresql] = await Promise.all(PROVIDERS.map(migrationNames));
    expect(postgresql).toEqual(sqlite);
    expect(sqlite?.[0]).toBe('0001_init');
  });
});

/**
 * The newest committed migration is exactly what `prisma migrate diff` makes from the schema snapshot
 * of the migration before it (or from nothing) to the current schema: a schema change without its
 * migration (npm run migration:new), or an edited migration, fails here. Older migrations passed this
 * check when they were the newest, and a database that ran them refuses any later edit (checksum).
 * One CLI run per provider, ~3 s each, both at once.
 */
describe.each(PROVIDERS)('the committed %s migrations', (p: Provider) => {
  it('end with what prisma migrate diff produces from the previous snapshot to the current schema', async () => {
    const names = await migrationNames(p);
    const snapshot = (name: string) => path.join(migrationsFolder(p), name, SNAPSHOT);
    for (const name of names) expect(existsSync(snapshot(name)), `${name}/${SNAPSHOT}`).toBe(true);
    const newest = names.at(-1)!;
    const before = names.at(-2);
    const diff = await migrateDiff(p, before === undefined ? null : snapshot(before), schemaFile(p));
    const committed = await readFile(path.join(migrationsFolder(p), newest, 'migration.sql'), 'utf8');
    expect(isEmptyMigration(diff), 'the newest migration must change something').toBe(false);
    expect(
      committed,
      `${newest}/migration.sql differs from prisma migrate diff: schema changed without a migration?`,
    ).toBe(diff);
  }, 60_000);
});
