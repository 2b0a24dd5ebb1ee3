import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@lumbung/runtime';
import { DuckDbStore } from '@lumbung/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCHER, LumbungProcess } from '../src/child.ts';

const run = promisify(execFile);
const T0 = Date.UTC(2026, 10, 20);
const HOUR = 3_600_000;

// `lumbung query` reads the store itself, or asks the running process that owns the embedded file.
describe('lumbung query', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-query-'));
    const store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
    await store.start();
    // 48 readings, every 30 minutes over a day: 0, 1, 2, …
    await store.write(
      Array.from({ length: 48 }, (_, i) => ({
        villageId: 'kel-taman',
        deviceId: 'ws-1',
        metric: 'air_temperature',
        ts: T0 + i * 30 * 60_000,
        value: i,
        tsSource: 'device' as const,
      })),
    );
    await store.stop();
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const query = (...extra: string[]) =>
    run(
      LAUNCHER,
      ['query', '--village', 'kel-taman', '--device', 'ws-1', '--metric', 'air_temperature', '--json', ...extra],
      { env: { ...process.env, LUMBUNG_DATA_DIR: dir, LUMBUNG_NODE: process.execPath } },
    );

  it('prints raw readings and hourly buckets as JSON', async () => {
    const raw = JSON.parse(
      (await query('--from', new Date(T0).toISOString(), '--to', new Date(T0 + 2 * HOUR).toISOString())).stdout,
    );
    expect(raw.kind).toBe('raw');
    expect(raw.points).toEqual([0, 1, 2, 3].map((i) => ({ ts: T0 + i * 30 * 60_000, value: i })));
    const buckets = JSON.parse(
      (
        await query(
          '--from',
          new Date(T0).toISOString(),
          '--to',
          new Date(T0 + 3 * HOUR).toISOString(),
          '--step',
          '1h',
          '--agg',
          'avg,min,max,count',
        )
      ).stdout,
    );
    expect(buckets.buckets).toEqual([
      { ts: T0, values: { avg: 0.5, min: 0, max: 1, count: 2 } },
      { ts: T0 + HOUR, values: { avg: 2.5, min: 2, max: 3, count: 2 } },
      { ts: T0 + 2 * HOUR, values: { avg: 4.5, min: 4, max: 5, count: 2 } },
    ]);
  });

  it('refuses bad arguments with a clear message and exit code 2', async () => {
    const err = await query('--from', 'yesterday', '--to', new Date(T0).toISOString()).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/--from: not a time: yesterday/);
    const tooMany = await query('--from', '2020-01-01T00:00:00Z', '--to', '2026-01-01T00:00:00Z', '--step', '1s').catch(
      (e) => e,
    );
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/more than 100000 buckets/);
  });

  it('asks the running gateway when it owns the store file', async () => {
    await writeFile(path.join(dir, 'edges.json'), JSON.stringify({ edges: [] }));
    const ops = await freePort();
    const gw = new LumbungProcess(
      'gateway',
      {
        LUMBUNG_DATA_DIR: dir,
        LUMBUNG_GATEWAY_PROVISIONING: path.join(dir, 'edges.json'),
        LUMBUNG_GATEWAY_HOST: '127.0.0.1',
        LUMBUNG_GATEWAY_PORT: String(await freePort()),
        LUMBUNG_GATEWAY_OPS_PORT: String(ops),
      },
      `http://127.0.0.1:${ops}/health`,
    );
    await gw.start();
    try {
      const r = JSON.parse(
        (
          await query(
            '--from',
            new Date(T0).toISOString(),
            '--to',
            new Date(T0 + 24 * HOUR).toISOString(),
            '--step',
            '1d',
            '--agg',
            'count',
          )
        ).stdout,
      );
      expect(r.buckets).toEqual([{ ts: T0, values: { count: 48 } }]);
    } finally {
      expect(await gw.stop()).toBe(0);
    }
  });
});
