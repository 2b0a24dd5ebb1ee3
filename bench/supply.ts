/**
 * Supply-chain benchmark: `node --import tsx bench/supply.ts [--quick]`. Prints ONE JSON summary to stdout
 * (progress to stderr). Not a test: numbers are reported against the targets of the supply-chain issue.
 *   - trace of a lot with 1,000 ancestor and 1,000 descendant lots (both directions): ≤ 200 ms
 *   - storage exposure of a lot over 90 days of 1-minute room data: ≤ 200 ms
 * Real parts: SQLite registry and DuckDB store in a temp dir; the service the API routes call.
 */
import path from 'node:path';
import { openRegistry, SupplyService } from '@lumbung/cloud';
import { hashSecret } from '@lumbung/runtime';
import type { StorageRoomDetails } from '@lumbung/schemas';
import { DuckDbStore, type StoredReading } from '@lumbung/store';
import { load, machine, percentiles, Resources, round, say } from './lib/util.ts';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 10 : 40;
const DAYS = 90;
const DAY = 86_400_000;
const V = 'bench-village';
const actor = { userId: null, label: 'bench' };

async function timed(runs: number, fn: () => Promise<unknown>): Promise<ReturnType<typeof percentiles>> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= 3) times.push(performance.now() - t0);
  }
  return percentiles(times);
}

async function main() {
  const res = new Resources();
  try {
    const dir = await res.tempDir('supply');
    const store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
    await store.start();
    res.add('store', () => store.stop());
    const registry = openRegistry({ url: undefined, dataDir: dir });
    await registry.start();
    res.add('registry', () => registry.stop());
    const now = Date.now();
    await registry.upsertVillage({
      id: V,
      name: 'Desa Uji',
      kodeWilayah: null,
      district: null,
      regency: null,
      province: null,
      timeZone: 'Asia/Jakarta',
      latitude: -7.5,
      longitude: 112.7,
      elevation: 10,
    });
    const room: StorageRoomDetails = {
      purpose: 'eggs',
      temperature: { min: 10, max: 15 },
      humidity: { min: 70, max: 85 },
    };
    await registry.upsertSite({
      id: 'ruang',
      villageId: V,
      kind: 'storage_room',
      name: 'Ruang telur',
      parentId: null,
      plot: null,
      storageRoom: room,
      meterPoint: null,
    });
    await registry.upsertDevice({
      id: 'bench-th',
      villageId: V,
      siteId: 'ruang',
      family: 'storage_room_sensor',
      intervalSeconds: 60,
      sensorHeight: null,
      revoked: false,
      secretHash: hashSecret('bench'),
    } as Parameters<typeof registry.upsertDevice>[0]);
    let clock = now - (DAYS + 1) * DAY;
    const service = new SupplyService({ registry, store, now: () => clock });
    const spec = { temperatureMin: 10, temperatureMax: 15, humidityMin: 70, humidityMax: 85 };
    for (const id of ['telur-bebek', 'telur-asin'])
      await service.upsertProduct(V, {
        id,
        name: id,
        category: 'makanan',
        unit: 'pcs',
        shelfLifeDays: 365,
        storage: spec,
      });
    await service.upsertProducer(V, { id: 'p', name: 'Produsen', kind: 'umkm', homeVillageName: 'Desa Uji' });

    // 90 days of 1-minute room readings: a cool room with a warm afternoon now and then.
    say(`writing ${DAYS} days of 1-minute readings`);
    const from = now - DAYS * DAY;
    let batch: StoredReading[] = [];
    for (let ts = from; ts < now; ts += 60_000) {
      const day = Math.floor((ts - from) / DAY);
      const warm = day % 9 === 4 && (ts % DAY) / 3_600_000 > 6 && (ts % DAY) / 3_600_000 < 8;
      const t = 12 + Math.sin(ts / 3_600_000) + (warm ? 5 : 0);
      const base = { villageId: V, deviceId: 'bench-th', ts, tsSource: 'device' as const };
      batch.push({ ...base, metric: 'air_temperature', value: t });
      batch.push({ ...base, metric: 'relative_humidity', value: 78 + 4 * Math.cos(ts / 7_200_000) });
      if (batch.length >= 100_000) {
        await store.write(batch);
        batch = [];
      }
    }
    await store.write(batch);

    // A lot made from 1,000 ancestor lots (a three-level tree) that went into 1,000 descendant lots.
    say('making 2,001 lots');
    const producedOn = new Date(from).toISOString().slice(0, 10);
    clock = from;
    const mk = (id: string, productId: string, inputs: { lotId: string; quantity: number }[] = []) =>
      service.createLot(V, { id, productId, producerId: 'p', quantity: 100, producedOn, inputs }, actor);
    const level2: string[] = [];
    for (let i = 0; i < 10; i++) {
      const leaves: string[] = [];
      for (let j = 0; j < 89; j++) leaves.push((await mk(`A${i}-${j}`, 'telur-bebek')).id);
      const mid: string[] = [];
      for (let k = 0; k < 10; k++)
        mid.push(
          (
            await mk(
              `M${i}-${k}`,
              'telur-bebek',
              leaves.slice(k * 9, k * 9 + 9).map((l) => ({ lotId: l, quantity: 1 })),
            )
          ).id,
        );
      level2.push(
        (
          await mk(
            `B${i}`,
            'telur-asin',
            mid.map((l) => ({ lotId: l, quantity: 1 })),
          )
        ).id,
      );
    }
    const lot = await mk(
      'LOT',
      'telur-asin',
      level2.map((l) => ({ lotId: l, quantity: 1 })),
    );
    let parents = [lot.id];
    let made = 0;
    while (made < 1000) {
      const next: string[] = [];
      for (const p of parents)
        for (let i = 0; i < 10 && made < 1000; i++, made++)
          next.push((await mk(`D${made}`, 'telur-asin', [{ lotId: p, quantity: 1 }])).id);
      parents = next;
    }
    // The lot came into the room 90 days ago and is there still.
    clock = now;
    await service.recordMovement(
      V,
      { lotId: lot.id, kind: 'receive', quantity: 100, toRoomId: 'ruang', at: from },
      actor,
    );

    say('measuring');
    const back = await service.trace(V, lot.id, 'backward');
    const fwd = await service.trace(V, lot.id, 'forward');
    const traceBackward = await timed(RUNS, () => service.trace(V, lot.id, 'backward'));
    const traceForward = await timed(RUNS, () => service.trace(V, lot.id, 'forward'));
    const exposure = await service.exposure(V, lot.id);
    const exposureMs = await timed(RUNS, () => service.exposure(V, lot.id));
    const summary = {
      bench: 'supply',
      quick,
      machine: machine(),
      load: load(),
      trace: {
        target: 'p95 ≤ 200 ms',
        ancestors: back.nodes.length - 1,
        descendants: fwd.nodes.length - 1,
        backwardMs: traceBackward,
        forwardMs: traceForward,
        met: (traceBackward.p95 ?? Infinity) <= 200 && (traceForward.p95 ?? Infinity) <= 200,
      },
      exposure: {
        target: 'p95 ≤ 200 ms',
        days: DAYS,
        readingsPerMetric: Math.round((DAYS * DAY) / 60_000),
        excursions: exposure.total.excursions,
        mkt: exposure.total.mkt === null ? null : round(exposure.total.mkt, 2),
        ms: exposureMs,
        met: (exposureMs.p95 ?? Infinity) <= 200,
      },
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await res.close();
  }
}

await main();
