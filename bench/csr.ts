/**
 * CSR report benchmark: `node --import tsx bench/csr.ts [--quick]`. Prints ONE JSON summary to stdout
 * (progress to stderr). Not a test: the number is reported against the target of issue 6:
 *   - a yearly CSR report for one village ≤ 10 s
 * The village is the demo's Kelurahan Taman with a year of everything a report reads: 15-minute readings of
 * its two meters and 5-minute readings of its weather station (rainfall and the rest) in DuckDB, and in a
 * SQLite registry a year of figures entered by hand, lots, orders and dispatched shipments. Timed: the
 * figures of the twelve months and of the twelve before (EcoService.collect, what the report compares
 * with), computeIndicators, the report model, its PDF and its CSV.
 */
import path from 'node:path';
import {
  computeIndicators,
  csrReport,
  csrReportCsv,
  csrReportPdf,
  EcoService,
  openRegistry,
  seedEcoDemo,
  seedFromScenario,
  seedSupplyDemo,
} from '@lumbung/cloud';
import { DEMO_SCENARIO_PATH, emittedReadings, iterateReadings, loadScenario } from '@lumbung/firmware-sim';
import { hashSecret } from '@lumbung/runtime';
import { DuckDbStore, type StoredReading } from '@lumbung/store';
import { load, machine, percentiles, Resources, round, say } from './lib/util.ts';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 2 : 5;
const DAY = 86_400_000;
const TARGET_MS = 10_000;
/** Extra lots a day on top of the demo's monthly orders, so the registry holds a busy year. */
const LOTS_PER_DAY = quick ? 1 : 4;

async function main() {
  const res = new Resources();
  try {
    const dir = await res.tempDir('csr');
    const store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
    await store.start();
    res.add('store', () => store.stop());
    const registry = openRegistry({ url: undefined, dataDir: dir });
    await registry.start();
    res.add('registry', () => registry.stop());
    const scenario = await loadScenario(DEMO_SCENARIO_PATH);
    const V = scenario.village.id;
    await seedFromScenario(registry, scenario, {
      edgeId: 'box-bench',
      edgeName: 'Kotak desa',
      edgeSecretHash: hashSecret('bench'),
      deviceSecretHashes: Object.fromEntries(scenario.devices.map((d) => [d.id, hashSecret(d.id)])),
    });
    const now = Date.now();
    const from = now - 365 * DAY;

    say('writing a year of the weather station (5-minute readings)');
    let batch: StoredReading[] = [];
    let stationReadings = 0;
    for (const e of iterateReadings(scenario, { from, to: now, devices: ['taman-ws-01'] })) {
      for (const r of emittedReadings(e, V)) batch.push(r);
      if (batch.length >= 100_000) {
        stationReadings += (await store.write(batch)).written;
        batch = [];
      }
    }
    stationReadings += (await store.write(batch)).written;

    say('the demo: supply chain, a year of meters (15-minute), records, KUB months, settings');
    await seedSupplyDemo(registry, store, { villageId: V, now });
    const meters = scenario.devices.filter((d) => /_meter$/.test(d.family)).map((d) => d.id);
    const demo = await seedEcoDemo(registry, store, {
      villageId: V,
      now,
      meterReadings: function* (a, b) {
        for (const e of iterateReadings(scenario, { from: a, to: b, devices: meters })) yield* emittedReadings(e, V);
      },
    });

    say(`a busier year: ${LOTS_PER_DAY} more lots a day, shipped weekly, and daily records`);
    const s = registry.supply;
    const order = (await s.listOrders(V))[0]!;
    const producers = (await s.listProducers(V)).map((p) => p.id);
    let lots = 0;
    const lotsOfWeek: { id: string; quantity: number }[] = [];
    for (let day = 0; day < 365; day++) {
      const t = from + day * DAY;
      const date = new Date(t + 7 * 3_600_000).toISOString().slice(0, 10);
      for (let k = 0; k < LOTS_PER_DAY; k++) {
        const id = `B-${date.slice(2).replaceAll('-', '')}-${k}`;
        const quantity = 100 + ((day * 7 + k * 13) % 50) * 10;
        await s.createLot({
          villageId: V,
          id,
          productId: 'telur-asin',
          producerId: producers[(day + k) % producers.length]!,
          originSiteId: null,
          originNote: null,
          quantity,
          unit: 'pack',
          producedOn: date,
          expiresOn: new Date(t + 37 * DAY).toISOString().slice(0, 10),
          status: 'available',
          holdReason: null,
          orderId: order.id,
          packaging: k % 3 === 0 ? 'eco' : 'standard',
          createdAt: t,
          inputs: [],
        });
        lots++;
        lotsOfWeek.push({ id, quantity });
      }
      await registry.eco.addEcoRecord({
        id: `bench-${date}`,
        villageId: V,
        date,
        kind: day % 2 ? 'fuel' : 'waste',
        source: day % 2 ? 'diesel' : 'organic',
        quantity: 3 + (day % 5),
        note: null,
        createdAt: t,
        createdBy: 'bench',
      });
      if (day % 7 === 6) {
        const id = `bench-ship-${day}`;
        await s.createShipment({
          villageId: V,
          id,
          orderId: order.id,
          destination: null,
          status: 'preparing',
          createdAt: t,
          dispatchedAt: null,
          deliveredAt: null,
        });
        await s.addMovements(
          lotsOfWeek.splice(0).flatMap((l) => [
            {
              villageId: V,
              lotId: l.id,
              kind: 'receive' as const,
              quantity: l.quantity,
              fromRoomId: null,
              toRoomId: 'ruang-telur',
              reason: null,
              shipmentId: null,
              at: t - DAY,
              actorLabel: 'bench',
              actorUserId: null,
            },
            {
              villageId: V,
              lotId: l.id,
              kind: 'pick' as const,
              quantity: l.quantity,
              fromRoomId: 'ruang-telur',
              toRoomId: null,
              reason: null,
              shipmentId: id,
              at: t,
              actorLabel: 'bench',
              actorUserId: null,
            },
          ]),
        );
        await s.updateShipment(V, id, 'preparing', { status: 'dispatched', dispatchedAt: t + 3_600_000 });
      }
    }

    // The last twelve full months, local time.
    const eco = new EcoService({ registry, store, now: () => now });
    const today = new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
    const [y, m] = today.split('-').map(Number) as [number, number];
    const to = `${today.slice(0, 7)}-01`;
    const periodFrom = `${y - 1}-${String(m).padStart(2, '0')}-01`;
    const previousFrom = `${y - 2}-${String(m).padStart(2, '0')}-01`;

    say(`measuring a report of ${periodFrom} .. ${to}`);
    const parts = {
      inputsMs: [] as number[],
      previousMs: [] as number[],
      indicatorsMs: [] as number[],
      pdfMs: [] as number[],
      csvMs: [] as number[],
      totalMs: [] as number[],
    };
    let last:
      | { pdfBytes: number; csvRows: number; energyKwh: number | null; productionKg: number; lotsShipped: number }
      | undefined;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      const current = await eco.collect([V], periodFrom, to);
      const t1 = performance.now();
      const previous = await eco.collect([V], previousFrom, periodFrom);
      const t2 = performance.now();
      const indicators = computeIndicators(current.inputs);
      const t3 = performance.now();
      const model = csrReport(current.inputs, previous.inputs, undefined, {
        partnerName: 'PT Nusantara Hijau Tbk',
        programmeName: 'Desa Mandiri Energi Taman',
        generatedAt: now,
        villagesLabel: scenario.village.name,
        lang: 'id',
      });
      model.methodNotes.notes.push(...current.notes);
      const pdf = await csrReportPdf(model);
      const t4 = performance.now();
      const csv = csrReportCsv(model);
      const t5 = performance.now();
      if (i === 0) continue; // warm-up
      parts.inputsMs.push(t1 - t0);
      parts.previousMs.push(t2 - t1);
      parts.indicatorsMs.push(t3 - t2);
      parts.pdfMs.push(t4 - t3);
      parts.csvMs.push(t5 - t4);
      parts.totalMs.push(t5 - t0);
      last = {
        pdfBytes: pdf.length,
        csvRows: csv.trimEnd().split('\r\n').length - 1,
        energyKwh: indicators.items.find((x) => x.key === 'energy.total.kwh')?.value ?? null,
        productionKg: round(current.inputs.productionKg, 1),
        lotsShipped: current.inputs.programme.lotsShipped,
      };
    }
    const total = percentiles(parts.totalMs, [0.5, 1]);
    const summary = {
      bench: 'csr',
      quick,
      machine: machine(),
      load: load(),
      data: {
        period: { from: periodFrom, to },
        meterReadings: demo.meterReadings ?? 0,
        stationReadings,
        lots: (await s.listLots(V, { withInputs: false })).length,
        benchLots: lots,
        records: (await registry.eco.listEcoRecords(V, {})).length,
        shipments: (await s.listShipments(V)).length,
      },
      report: {
        target: 'yearly CSR report for one village ≤ 10 s',
        runs: RUNS,
        totalMs: total,
        inputsMs: percentiles(parts.inputsMs, [0.5]),
        previousPeriodInputsMs: percentiles(parts.previousMs, [0.5]),
        indicatorsMs: percentiles(parts.indicatorsMs, [0.5]),
        pdfMs: percentiles(parts.pdfMs, [0.5]),
        csvMs: percentiles(parts.csvMs, [0.5]),
        ...last,
        met: (total.max ?? Infinity) <= TARGET_MS,
      },
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await res.close();
  }
}

await main();
