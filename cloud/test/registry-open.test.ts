import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTarget, openRegistry, RegistryError } from '../src/registry/index.ts';

describe('LUMBUNG_DATABASE_URL', () => {
  it('defaults to SQLite cloud.db in the data directory', () => {
    expect(databaseTarget(undefined, '/var/lib/lumbung')).toEqual({
      provider: 'sqlite',
      file: '/var/lib/lumbung/cloud.db',
    });
    expect(databaseTarget('', '/var/lib/lumbung')).toEqual({ provider: 'sqlite', file: '/var/lib/lumbung/cloud.db' });
  });

  it('takes a SQLite file as file: URL or path, relative to the working directory', () => {
    expect(databaseTarget('file:/srv/registry.db', '/data')).toEqual({ provider: 'sqlite', file: '/srv/registry.db' });
    expect(databaseTarget('file:./reg.db', '/data')).toEqual({ provider: 'sqlite', file: path.resolve('reg.db') });
    expect(databaseTarget('/srv/other.db', '/data')).toEqual({ provider: 'sqlite', file: '/srv/other.db' });
  });

  it('takes PostgreSQL URLs, with ?schema= choosing the schema and kept away from the driver', () => {
    const t = databaseTarget('postgresql://lumbung:rahasia@db.example:5433/lumbung?schema=desa&sslmode=require', '/d');
    expect(t).toEqual({
      provider: 'postgresql',
      connectionString: 'postgresql://lumbung:rahasia@db.example:5433/lumbung?sslmode=require',
      schema: 'desa',
    });
    expect(databaseTarget('postgres://db.example/lumbung', '/d')).toMatchObject({
      provider: 'postgresql',
      schema: 'public',
    });
  });

  it('refuses anything else with a message that names the setting and hides the password', () => {
    for (const url of [
      'mysql://root:rahasia@db/lumbung',
      'redis://127.0.0.1:6379',
      'postgresql://db/x?schema=no-dash',
    ]) {
      let err: unknown;
      try {
        openRegistry({ url, dataDir: '/tmp' });
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).kind).toBe('invalid');
      expect((err as Error).message).toMatch(/LUMBUNG_DATABASE_URL/);
      expect((err as Error).message).not.toMatch(/rahasia/);
    }
  });
});

describe('openRegistry on a SQLite file: URL', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the file and its directories on start, not before', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-open-'));
    const file = path.join(dir, 'nested', 'dir', 'registry.db');
    const r = openRegistry({ url: `file:${file}`, dataDir: path.join(dir, 'unused') });
    expect(r.provider).toBe('sqlite');
    expect(existsSync(file)).toBe(false);
    await r.start();
    try {
      expect(existsSync(file)).toBe(true);
      expect(existsSync(path.join(dir, 'unused'))).toBe(false);
      expect(await r.listVillages()).toEqual([]);
    } finally {
      await r.stop();
    }
  });
});
