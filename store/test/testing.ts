import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point, StoredReading, TimeSeriesStore } from '../src/port.ts';
import { VICTORIA_METRICS_BIN } from '../src/victoria-process.ts';

export interface ContractContext {
  /** A started store on fresh, empty data. */
  store: TimeSeriesStore;
  /**
   * Stops the current store (and, for a server, may restart the server) and returns a started store on the
   * same data: the durability tests use it. Omit when the adapter cannot be reopened.
   */
  reopen?: () => Promise<TimeSeriesStore>;
  /** Stops whatever is running and removes the data. */
  cleanup: () => Promise<void>;
}

/** Whether the VictoriaMetrics binary the tests spawn is installed. */
export function victoriaMetricsAvailable(bin = VICTORIA_METRICS_BIN): boolean {
  return existsSync(bin);
}

/**
 * For test files that need VictoriaMetrics: true when it is installed. When it is missing the tests are
 * skipped with a message on how to get it, except when CI=true: there its absence fails the run, so a CI
 * image without it cannot pass silently.
 */
export function requireVictoriaMetrics(bin = VICTORIA_METRICS_BIN): boolean {
  if (victoriaMetricsAvailable(bin)) return true;
  const how = `${bin} is missing: install it with \`apt-get install -y victoria-metrics\``;
  if (process.env.CI === 'true') throw new Error(`${how} (required when CI=true)`);
  console.warn(`skipping VictoriaMetrics tests: ${how}`);
  return false;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 2024-01-01T00:00:00Z, a Monday. */
const T0 = Date.UTC(2024, 0, 1);

let villageCounter = 0;
/** A village id of its own for each test, so tests sharing one store cannot see each other's data. */
const freshVillage = (label: string): string => `${label}-${process.pid}-${++villageCounter}`;

const r = (
  villageId: string,
  deviceId: string,
  metric: string,
  ts: number,
  value: number,
  tsSource: StoredReading['tsSource'] = 'device',
): StoredReading => ({ villageId, deviceId, metric, ts, value, tsSource });

const pts = (points: Point[]) => points.map((p) => [p.ts, p.value]);

/**
 * The one contract every TimeSeriesStore adapter passes (in the spirit of aedes-persistence's abstract.js).
 * `makeStore` is called once; each test works in villages of its own.
 */
export function describeTimeSeriesStoreContract(name: string, makeStore: () => Promise<ContractContext>): void {
  describe(`TimeSeriesStore contract: ${name}`, () => {
    let ctx: ContractContext;
    let store: TimeSeriesStore;

    beforeAll(async () => {
      ctx = await makeStore();
      store = ctx.store;
    });
    afterAll(async () => {
      await ctx?.cleanup();
    });

    const reopen = async (): Promise<void> => {
      if (!ctx.reopen) throw new Error(`${name}: the contract needs reopen() for the durability tests`);
      store = await ctx.reopen();
    };

    it('round-trips raw readings: values, timestamps, order, limit and [from, to) bounds', async () => {
      const v = freshVillage('raw');
      const batch = [5, 2, 8, 0, 9, 1, 7, 3, 6, 4].map((i) => r(v, 'd1', 'air_temperature', T0 + i * MIN, 20 + i / 10));
      batch.push(r(v, 'd1', 'relative_humidity', T0, 81.5, 'edge'));
      expect(await store.write(batch)).toEqual({ written: 11, duplicates: 0 });

      const q = { villageId: v, deviceId: 'd1', metric: 'air_temperature' };
      const all = await store.queryRaw({ ...q, from: T0, to: T0 + 10 * MIN });
      expect(pts(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [T0 + i * MIN, 20 + i / 10]));

      const window = await store.queryRaw({ ...q, from: T0 + 2 * MIN, to: T0 + 5 * MIN });
      expect(window.map((p) => p.ts)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);

      const limited = await store.queryRaw({ ...q, from: T0, to: T0 + HOUR, limit: 4 });
      expect(limited.map((p) => p.ts)).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);

      expect(await store.queryRaw({ ...q, from: T0 + 10 * MIN, to: T0 + HOUR })).toEqual([]);
      expect(await store.queryRaw({ ...q, from: T0 + 5 * MIN, to: T0 + 5 * MIN })).toEqual([]);
      expect(pts(await store.queryRaw({ ...q, metric: 'relative_humidity', from: T0, to: T0 + HOUR }))).toEqual([
        [T0, 81.5],
      ]);
      expect(await store.queryRaw({ ...q, metric: 'no_such_metric', from: T0, to: T0 + HOUR })).toEqual([]);
    });

    it('stores one sample per (village, device, metric, ts): the first value written stays', async () => {
      const v = freshVillage('dup');
      const q = { villageId: v, deviceId: 'd1', metric: 'energy', from: T0, to: T0 + HOUR };
      // Twice in one call.
      expect(
        await store.write([
          r(v, 'd1', 'energy', T0, 1),
          r(v, 'd1', 'energy', T0 + MIN, 2),
          r(v, 'd1', 'energy', T0, 99),
          r(v, 'd2', 'energy', T0, 3), // another device: not a duplicate
        ]),
      ).toEqual({ written: 3, duplicates: 1 });
      // Again in a later call (an edge resending a batch), with other values.
      expect(
        await store.write([
          r(v, 'd1', 'energy', T0, 50),
          r(v, 'd1', 'energy', T0 + MIN, 60),
          r(v, 'd1', 'energy', T0 + 2 * MIN, 4),
        ]),
      ).toEqual({ written: 1, duplicates: 2 });
      expect(pts(await store.queryRaw(q))).toEqual([
        [T0, 1],
        [T0 + MIN, 2],
        [T0 + 2 * MIN, 4],
      ]);
      const [bucket] = await store.queryBuckets({ ...q, step: HOUR, aggs: ['count', 'sum'] });
      expect(bucket?.values).toEqual({ count: 3, sum: 7 });
    });

    it('de-duplicates against readings written before a stop/start', async () => {
      const v = freshVillage('dupr');
      const q = { villageId: v, deviceId: 'd1', metric: 'energy', from: T0 - DAY, to: T0 + DAY };
      const old = [0, 1, 2].map((i) => r(v, 'd1', 'energy', T0 - DAY + i * MIN, i));
      expect(await store.write(old)).toEqual({ written: 3, duplicates: 0 });
      await reopen();
      const resend = [...old.map((x) => ({ ...x, value: x.value + 100 })), r(v, 'd1', 'energy', T0, 7)];
      expect(await store.write(resend)).toEqual({ written: 1, duplicates: 3 });
      expect(pts(await store.queryRaw(q))).toEqual([
        [T0 - DAY, 0],
        [T0 - DAY + MIN, 1],
        [T0 - DAY + 2 * MIN, 2],
        [T0, 7],
      ]);
    });

    it('keeps every resolved write across a stop/start', async () => {
      const v = freshVillage('durable');
      const batch = Array.from({ length: 500 }, (_, i) =>
        r(v, `d${i % 5}`, 'soil_moisture', T0 + i * MIN, (i % 97) / 10),
      );
      expect(await store.write(batch)).toEqual({ written: 500, duplicates: 0 });
      await reopen();
      const got = await store.queryRaw({
        villageId: v,
        deviceId: 'd3',
        metric: 'soil_moisture',
        from: T0,
        to: T0 + DAY,
      });
      expect(pts(got)).toEqual(batch.filter((x) => x.deviceId === 'd3').map((x) => [x.ts, x.value]));
      expect((await store.listSeries({ villageId: v })).length).toBe(5);
    });

    it('aggregates half-open buckets [start, start + step) for every gauge aggregation, omitting empty ones', async () => {
      const v = freshVillage('bkt');
      // Every 15 min for 2 h (the sample at exactly T0 + 1h opens the second bucket), then one at T0 + 5h 10min.
      const values = [3, 1, 4, 1.5, 5, 9, 2, 6, 5];
      const batch = values.map((x, i) => r(v, 'd1', 'air_temperature', T0 + i * 15 * MIN, x));
      batch.push(r(v, 'd1', 'air_temperature', T0 + 5 * HOUR + 10 * MIN, 27.5));
      await store.write(batch);
      const q = { villageId: v, deviceId: 'd1', metric: 'air_temperature', step: HOUR };
      const got = await store.queryBuckets({
        ...q,
        from: T0,
        to: T0 + 6 * HOUR,
        aggs: ['avg', 'min', 'max', 'sum', 'count', 'last'],
      });
      expect(got.map((b) => b.ts)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 5 * HOUR]);
      const [b0, b1, b2, b5] = got;
      expect(b0?.values.count).toBe(4);
      expect(b0?.values.sum).toBeCloseTo(9.5, 9);
      expect(b0?.values.avg).toBeCloseTo(2.375, 9);
      expect(b0?.values.min).toBe(1);
      expect(b0?.values.max).toBe(4);
      expect(b0?.values.last).toBe(1.5);
      expect(b1?.values).toMatchObject({ count: 4, min: 2, max: 9, last: 6 });
      expect(b1?.values.sum).toBeCloseTo(22, 9);
      expect(b1?.values.avg).toBeCloseTo(5.5, 9);
      expect(b2?.values).toEqual({ avg: 5, min: 5, max: 5, sum: 5, count: 1, last: 5 });
      expect(b5?.values).toEqual({ avg: 27.5, min: 27.5, max: 27.5, sum: 27.5, count: 1, last: 27.5 });

      // A range that cuts buckets: only samples in [from, to) count, the bucket keeps its aligned start.
      const cut = await store.queryBuckets({
        ...q,
        from: T0 + 30 * MIN,
        to: T0 + HOUR + 30 * MIN,
        aggs: ['count', 'sum'],
      });
      expect(cut).toEqual([
        { ts: T0, values: { count: 2, sum: 5.5 } },
        { ts: T0 + HOUR, values: { count: 2, sum: 14 } },
      ]);
      // Exactly on the boundary: [T0 + 1h, T0 + 2h) holds the T0 + 1h sample but not the T0 + 2h one.
      const one = await store.queryBuckets({ ...q, from: T0 + HOUR, to: T0 + 2 * HOUR, aggs: ['count', 'min'] });
      expect(one).toEqual([{ ts: T0 + HOUR, values: { count: 4, min: 2 } }]);
      expect(await store.queryBuckets({ ...q, from: T0 + 3 * HOUR, to: T0 + 5 * HOUR, aggs: ['count'] })).toEqual([]);
    });

    it('aligns buckets to an offset: local days in Asia/Jakarta (UTC+7)', async () => {
      const v = freshVillage('wib');
      const jakartaOffset = 7 * HOUR;
      // 2024-01-01 23:30 WIB (local Jan 1) and 2024-01-02 00:30 WIB (local Jan 2), both on Jan 1 in UTC.
      await store.write([
        r(v, 'd1', 'rainfall', Date.UTC(2024, 0, 1, 16, 30), 2.5),
        r(v, 'd1', 'rainfall', Date.UTC(2024, 0, 1, 17, 30), 4),
        r(v, 'd1', 'rainfall', Date.UTC(2024, 0, 1, 5, 0), 1), // 12:00 WIB Jan 1
      ]);
      const localMidnightJan1 = Date.UTC(2024, 0, 1) - jakartaOffset;
      const got = await store.queryBuckets({
        villageId: v,
        deviceId: 'd1',
        metric: 'rainfall',
        from: localMidnightJan1,
        to: localMidnightJan1 + 2 * DAY,
        step: DAY,
        offset: -jakartaOffset,
        aggs: ['sum', 'count'],
      });
      expect(got).toEqual([
        { ts: Date.UTC(2023, 11, 31, 17), values: { sum: 3.5, count: 2 } },
        { ts: Date.UTC(2024, 0, 1, 17), values: { sum: 4, count: 1 } },
      ]);
    });

    it('computes increase and rate of a counter with a reset, adding up over the period', async () => {
      const v = freshVillage('ctr');
      // Every 30 min: 100, 110, 125, then a reset to 5, 20, 20, 30.
      const values = [100, 110, 125, 5, 20, 20, 30];
      await store.write(values.map((x, i) => r(v, 'meter', 'energy', T0 + i * 30 * MIN, x)));
      const q = { villageId: v, deviceId: 'meter', metric: 'energy', step: HOUR, aggs: ['increase', 'rate'] as const };
      // The first bucket needs the sample before `from` (110 at T0 + 30 min) for its first delta.
      const got = await store.queryBuckets({ ...q, from: T0 + HOUR, to: T0 + 4 * HOUR });
      expect(got.map((b) => [b.ts, b.values.increase])).toEqual([
        [T0 + HOUR, 20], // 125 - 110, then the reset adds 5
        [T0 + 2 * HOUR, 15], // 20 - 5, 20 - 20
        [T0 + 3 * HOUR, 10],
      ]);
      expect(got[0]?.values.rate).toBeCloseTo(20 / 3600, 12);
      expect(got[2]?.values.rate).toBeCloseTo(10 / 3600, 12);
      // From the first sample: it has no predecessor, so it adds nothing; buckets add up to the whole period.
      const whole = await store.queryBuckets({ ...q, from: T0, to: T0 + 4 * HOUR, aggs: ['increase'] });
      expect(whole.map((b) => b.values.increase)).toEqual([10, 20, 15, 10]);
      const [total] = await store.queryBuckets({
        ...q,
        from: T0,
        to: T0 + 4 * HOUR,
        step: 4 * HOUR,
        aggs: ['increase'],
      });
      expect(total?.values.increase).toBe(55);
    });

    it('returns the latest sample of each series, filtered, never from another village', async () => {
      const a = freshVillage('lata');
      const b = freshVillage('latb');
      await store.write([
        r(a, 'd1', 'air_temperature', T0, 20),
        r(a, 'd1', 'air_temperature', T0 + 2 * MIN, 22),
        r(a, 'd1', 'air_temperature', T0 + MIN, 21),
        r(a, 'd1', 'relative_humidity', T0 + 5 * MIN, 70),
        r(a, 'd2', 'air_temperature', T0 + 3 * MIN, 30),
        r(b, 'd1', 'air_temperature', T0 + 9 * MIN, 99),
      ]);
      const all = await store.latest({ villageId: a });
      expect(all).toEqual([
        { villageId: a, deviceId: 'd1', metric: 'air_temperature', ts: T0 + 2 * MIN, value: 22 },
        { villageId: a, deviceId: 'd1', metric: 'relative_humidity', ts: T0 + 5 * MIN, value: 70 },
        { villageId: a, deviceId: 'd2', metric: 'air_temperature', ts: T0 + 3 * MIN, value: 30 },
      ]);
      expect((await store.latest({ villageId: a, deviceId: 'd1' })).map((p) => p.metric)).toEqual([
        'air_temperature',
        'relative_humidity',
      ]);
      expect(
        (await store.latest({ villageId: a, metric: 'air_temperature' })).map((p) => [p.deviceId, p.value]),
      ).toEqual([
        ['d1', 22],
        ['d2', 30],
      ]);
      expect(await store.latest({ villageId: b })).toEqual([
        { villageId: b, deviceId: 'd1', metric: 'air_temperature', ts: T0 + 9 * MIN, value: 99 },
      ]);
      expect(await store.latest({ villageId: freshVillage('none') })).toEqual([]);
    });

    it('lists series with their newest timestamp, by village, device and metric', async () => {
      const a = freshVillage('lsa');
      const b = freshVillage('lsb');
      await store.write([
        r(a, 'd1', 'air_temperature', T0, 20),
        r(a, 'd1', 'air_temperature', T0 + 7 * MIN, 20),
        r(a, 'd1', 'rainfall', T0 + MIN, 0),
        r(a, 'd2', 'rainfall', T0 + 2 * MIN, 0.2),
        r(b, 'd1', 'rainfall', T0 + 3 * MIN, 0),
      ]);
      expect(await store.listSeries({ villageId: a })).toEqual([
        { villageId: a, deviceId: 'd1', metric: 'air_temperature', lastTs: T0 + 7 * MIN },
        { villageId: a, deviceId: 'd1', metric: 'rainfall', lastTs: T0 + MIN },
        { villageId: a, deviceId: 'd2', metric: 'rainfall', lastTs: T0 + 2 * MIN },
      ]);
      expect((await store.listSeries({ villageId: a, metric: 'rainfall' })).map((s) => s.deviceId)).toEqual([
        'd1',
        'd2',
      ]);
      expect((await store.listSeries({ villageId: a, deviceId: 'd2' })).map((s) => s.metric)).toEqual(['rainfall']);
      const everywhere = await store.listSeries({ deviceId: 'd1', metric: 'rainfall' });
      expect(everywhere.filter((s) => s.villageId === a || s.villageId === b).map((s) => s.villageId)).toEqual([a, b]);
    });

    it('deletes samples older than a time, only where the filter says', async () => {
      const x = freshVillage('delx');
      const y = freshVillage('dely');
      const cut = T0 + 5 * MIN;
      await store.write([
        ...Array.from({ length: 10 }, (_, i) => r(x, 'd1', 'energy', T0 + i * MIN, i)),
        ...Array.from({ length: 3 }, (_, i) => r(x, 'old', 'energy', T0 + i * MIN, i)),
        ...Array.from({ length: 10 }, (_, i) => r(x, 'd2', 'battery', T0 + i * MIN, 3.3)),
        ...Array.from({ length: 10 }, (_, i) => r(y, 'd1', 'energy', T0 + i * MIN, i)),
      ]);
      await store.deleteBefore(cut, { villageId: x, metric: 'energy' });
      const q = { villageId: x, deviceId: 'd1', metric: 'energy', from: T0, to: T0 + HOUR };
      expect((await store.queryRaw(q)).map((p) => p.value)).toEqual([5, 6, 7, 8, 9]);
      expect(await store.queryBuckets({ ...q, step: HOUR, aggs: ['count', 'min'] })).toEqual([
        { ts: T0, values: { count: 5, min: 5 } },
      ]);
      // A series whose every sample is gone disappears from listSeries and latest.
      expect((await store.listSeries({ villageId: x })).map((s) => s.deviceId)).toEqual(['d1', 'd2']);
      expect((await store.latest({ villageId: x, deviceId: 'old' })).length).toBe(0);
      // Other metrics and other villages are untouched.
      expect((await store.queryRaw({ ...q, deviceId: 'd2', metric: 'battery' })).length).toBe(10);
      expect((await store.queryRaw({ ...q, villageId: y })).length).toBe(10);
      // Without a filter it applies to every village (kept before 2024 here so other tests' data is older-proof).
      const E = Date.UTC(2023, 0, 1);
      await store.write(Array.from({ length: 10 }, (_, i) => r(y, 'ancient', 'energy', E + i * MIN, i)));
      await store.deleteBefore(E + 8 * MIN);
      const ancient = await store.queryRaw({ ...q, villageId: y, deviceId: 'ancient', from: E, to: E + HOUR });
      expect(ancient.map((p) => p.value)).toEqual([8, 9]);
      expect((await store.queryRaw({ ...q, villageId: y })).length).toBe(10);
    });

    it('treats hostile identifiers in a query as plain values that match nothing', async () => {
      const a = freshVillage('hostile');
      await store.write([r(a, 'dev-1', 'air_temperature', T0, 25)]);
      const q = { villageId: a, deviceId: 'dev-1', metric: 'air_temperature', from: T0, to: T0 + HOUR };
      const hostile = [`air_temperature{village=~".*"}`, `air_temperature",village=~".*`, `x') OR 1=1 --`, `a"b\\c\nd`];
      for (const h of hostile) {
        expect(await store.queryRaw({ ...q, metric: h })).toEqual([]);
        expect(await store.queryRaw({ ...q, deviceId: h })).toEqual([]);
        expect(await store.queryRaw({ ...q, villageId: h })).toEqual([]);
        expect(await store.queryBuckets({ ...q, metric: h, step: HOUR, aggs: ['count'] })).toEqual([]);
        expect(await store.latest({ villageId: h })).toEqual([]);
        expect(await store.listSeries({ villageId: a, deviceId: h })).toEqual([]);
      }
      expect(pts(await store.queryRaw(q))).toEqual([[T0, 25]]);
    });

    it('never returns one village’s data for another village', async () => {
      const a = freshVillage('isoa');
      const b = freshVillage('isob');
      await store.write([
        r(a, 'shared-id', 'air_temperature', T0, 25),
        r(b, 'shared-id', 'air_temperature', T0, 35),
        r(b, 'shared-id', 'air_temperature', T0 + MIN, 36),
      ]);
      const q = { deviceId: 'shared-id', metric: 'air_temperature', from: T0, to: T0 + HOUR };
      expect(pts(await store.queryRaw({ ...q, villageId: a }))).toEqual([[T0, 25]]);
      expect(await store.queryBuckets({ ...q, villageId: a, step: HOUR, aggs: ['max', 'count'] })).toEqual([
        { ts: T0, values: { max: 25, count: 1 } },
      ]);
      expect((await store.latest({ villageId: a })).map((p) => p.value)).toEqual([25]);
      expect((await store.listSeries({ villageId: a })).map((s) => s.lastTs)).toEqual([T0]);
      expect(pts(await store.queryRaw({ ...q, villageId: b }))).toEqual([
        [T0, 35],
        [T0 + MIN, 36],
      ]);
    });
  });
}
