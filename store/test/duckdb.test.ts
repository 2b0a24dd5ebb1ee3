import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../src/duckdb.ts';
import { openStore } from '../src/open.ts';
import type { StoredReading, TimeSeriesStore } from '../src/port.ts';
import { describeTimeSeriesStoreContract } from './testing.ts';

describeTimeSeriesStoreContract('DuckDbStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lumbung-duckdb-'));
  const path = join(dir, 'tsdb.duckdb');
  // compactRows small enough that the contract also runs across compactions of the tail.
  let current = new DuckDbStore({ path, compactRows: 700 });
  await current.start();
  return {
    store: current,
    reopen: async () => {
      await current.stop();
      current = new DuckDbStore({ path, compactRows: 700 });
      await current.start();
      return current;
    },
    cleanup: async () => {
      await current.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('DuckDbStore', () => {
  const open: { store: TimeSeriesStore; dir: string }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.store.stop();
      await rm(o.dir, { recursive: true, force: true });
    }
  });
  const make = async (opts: Partial<ConstructorParameters<typeof DuckDbStore>[0]> = {}) => {
    const dir = await mkdtemp(join(tmpdir(), 'lumbung-duckdb-'));
    const store = new DuckDbStore({ path: join(dir, 'sub', 'tsdb.duckdb'), ...opts });
    open.push({ store, dir });
    await store.start();
    return store;
  };
  const T0 = Date.UTC(2024, 0, 1);
  const reading = (i: number, value = i): StoredReading => ({
    villageId: 'v',
    deviceId: `d${i % 7}`,
    metric: 'air_temperature',
    ts: T0 + Math.floor(i / 7) * 60_000,
    value,
    tsSource: i % 2 ? 'edge' : 'device',
  });

  it('counts duplicates exactly against rows written long ago, after compaction and in between', async () => {
    const store = await make({ compactRows: 1000 });
    const first = Array.from({ length: 3000 }, (_, i) => reading(i));
    expect(await store.write(first)).toEqual({ written: 3000, duplicates: 0 });
    // Newer data compacts the tail; then a resend of the very first rows plus 10 new ones.
    expect(await store.write(Array.from({ length: 2000 }, (_, i) => reading(i + 3000)))).toEqual({
      written: 2000,
      duplicates: 0,
    });
    const resend = [
      ...first.slice(0, 500).map((x) => ({ ...x, value: -1 })),
      ...Array.from({ length: 10 }, (_, i) => reading(i + 5000)),
    ];
    expect(await store.write(resend)).toEqual({ written: 10, duplicates: 500 });
    const got = await store.queryRaw({
      villageId: 'v',
      deviceId: 'd0',
      metric: 'air_temperature',
      from: T0,
      to: T0 + 3_600_000,
    });
    expect(got.every((p) => p.value >= 0)).toBe(true);
    expect(got.length).toBe(60);
  });

  it('compacts the tail in (series, ts) order without losing or doubling a reading', async () => {
    const store = (await make({ compactRows: 10 ** 9 })) as DuckDbStore;
    const batch = Array.from({ length: 7000 }, (_, i) => reading(i, i / 10));
    await store.write(batch.slice(3500));
    await store.write(batch.slice(0, 3500));
    await store.compact();
    const d3 = await store.queryRaw({
      villageId: 'v',
      deviceId: 'd3',
      metric: 'air_temperature',
      from: T0,
      to: T0 + 86_400_000,
    });
    expect(d3.map((p) => p.value)).toEqual(batch.filter((x) => x.deviceId === 'd3').map((x) => x.value));
    expect(await store.write(batch.slice(0, 100))).toEqual({ written: 0, duplicates: 100 });
  });

  it('creates the directory of its database file', async () => {
    const store = (await make()) as DuckDbStore;
    await store.write([reading(1)]);
    expect((await stat(store.path)).isFile()).toBe(true);
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumbung-duckdb-kill-'));
    const path = join(dir, 'tsdb.duckdb');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'duckdb-writer.ts'), path],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout.on('data', (b: Buffer) => {
        const last = b.toString().trim().split('\n').pop();
        acked = Number(last);
        if (acked >= 20_000) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.once('exit', () => resolve());
        }
      });
    });
    const store = new DuckDbStore({ path });
    open.push({ store, dir });
    await store.start();
    const series = await store.listSeries({ villageId: 'kill' });
    let stored = 0;
    for (const s of series) {
      stored += (await store.queryRaw({ ...s, from: 0, to: Date.UTC(2030, 0, 1) })).length;
    }
    expect(acked).toBeGreaterThanOrEqual(20_000);
    expect(stored).toBeGreaterThanOrEqual(acked);
  });

  it('queries during a write see all of it or none of it (a write is one transaction)', async () => {
    const store = await make();
    const batch = Array.from({ length: 20_000 }, (_, i) => reading(i));
    const q = { villageId: 'v', deviceId: 'd0', metric: 'air_temperature', from: T0, to: T0 + 86_400_000 * 10 };
    const writing = store.write(batch);
    const seen = await Promise.all(Array.from({ length: 20 }, () => store.queryRaw(q).then((p) => p.length)));
    await writing;
    const full = batch.filter((x) => x.deviceId === 'd0').length;
    expect(seen.every((n) => n === 0 || n === full)).toBe(true);
    expect((await store.queryRaw(q)).length).toBe(full);
  });

  it('rejects non-integer timestamps and non-finite values without storing anything', async () => {
    const store = await make();
    await expect(store.write([reading(1), { ...reading(2), value: Number.NaN }])).rejects.toThrow(/finite/);
    await expect(store.write([{ ...reading(3), ts: T0 + 0.5 }])).rejects.toThrow(/integer/);
    expect(await store.listSeries({})).toEqual([]);
  });

  it('keeps readings of a series first seen in a rejected batch across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumbung-duckdb-'));
    const path = join(dir, 'tsdb.duckdb');
    const store = new DuckDbStore({ path });
    await store.start();
    // The series of reading(1) is new; the batch is rejected because of the NaN after it.
    await expect(store.write([reading(1), { ...reading(2), value: Number.NaN }])).rejects.toThrow(/finite/);
    await store.write([reading(1)]);
    await store.stop();
    const again = new DuckDbStore({ path });
    open.push({ store: again, dir });
    await again.start();
    const q = { villageId: 'v', deviceId: 'd1', metric: 'air_temperature', from: T0, to: T0 + 3_600_000 };
    expect(await again.queryRaw(q)).toEqual([{ ts: reading(1).ts, value: 1 }]);
  });
});

describe('openStore', () => {
  it('picks the adapter from the URL', () => {
    expect(openStore('duckdb:/tmp/x/tsdb.duckdb')).toBeInstanceOf(DuckDbStore);
    expect((openStore('duckdb:/tmp/x/tsdb.duckdb') as DuckDbStore).path).toBe('/tmp/x/tsdb.duckdb');
    expect((openStore('./data/tsdb.duckdb') as DuckDbStore).path).toBe('./data/tsdb.duckdb');
    expect(openStore('http://127.0.0.1:8428').name).toBe('victoriametrics');
    expect(openStore('victoriametrics+https://vm.example:8428').name).toBe('victoriametrics');
    expect(() => openStore('postgres://x')).toThrow(/unknown scheme/);
  });
});
