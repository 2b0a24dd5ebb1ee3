import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SCENARIO_PATH, emittedReadings, iterateReadings, loadScenario } from '@lumbung/firmware-sim';
import { hashSecret } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import { DuckDbStore, type StoredReading } from '@lumbung/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CSR_PARTNER, DEMO_CSR_PROGRAMME, DEMO_UNIT_WEIGHTS, seedEcoDemo } from '../../src/eco/demo.ts';
import { EcoService } from '../../src/eco/service.ts';
import { openRegistry, type Registry, seedFromScenario } from '../../src/registry/index.ts';
import { seedSupplyDemo } from '../../src/supply/demo.ts';
import { type TestDatabase, testDatabases } from '../databases.ts';
import { hasPdftotext, pdfText } from '../documents/pdftotext.ts';

const NOW = Date.parse('2026-11-20T05:00:00Z');
const DAY = 86_400_000;
const V = 'kel-taman';
const METERS = ['taman-em-01', 'taman-wm-01'];

/** What `lumbung demo` passes: the simulator's readings of the meters. */
function meterReadings(scenario: Scenario) {
  return function* (from: number, to: number): Iterable<StoredReading> {
    for (const e of iterateReadings(scenario, { from, to, devices: METERS })) yield* emittedReadings(e, V);
  };
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`the indicators demo on ${db.name}`, () => {
    let d: TestDatabase;
    let registry: Registry;
    let store: DuckDbStore;
    let dir: string;
    let scenario: Scenario;
    let reportId: string | undefined;
    /** The backfill of `lumbung demo` (30 days) starts here; the simulator's devices are created a little later. */
    const pipelineFrom = NOW - 30 * DAY;

    beforeAll(async () => {
      d = await db.create();
      dir = await mkdtemp(path.join(tmpdir(), 'lumbung-eco-demo-'));
      scenario = await loadScenario(DEMO_SCENARIO_PATH);
      store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
      await store.start();
      registry = openRegistry(d);
      await registry.start();
      await seedFromScenario(registry, scenario, {
        edgeId: 'box-kel-taman',
        edgeName: 'Kotak desa Taman',
        edgeSecretHash: hashSecret('x'),
        deviceSecretHashes: Object.fromEntries(scenario.devices.map((x) => [x.id, hashSecret('y')])),
      });
      await seedSupplyDemo(registry, store, { villageId: V, now: NOW });
      const r = await seedEcoDemo(registry, store, {
        villageId: V,
        now: NOW,
        pipelineFrom,
        meterReadings: meterReadings(scenario),
      });
      expect(r.seeded).toBe(true);
      expect(r.meterReadings).toBeGreaterThan(2 * 365 * 90);
      reportId = r.reportId;
    }, 300_000);

    afterAll(async () => {
      await registry?.stop();
      await store?.stop();
      await d?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('seeds once', async () => {
      const records = await registry.eco.listEcoRecords(V, {});
      expect(await seedEcoDemo(registry, store, { villageId: V, now: NOW + DAY })).toEqual({ seeded: false });
      expect(await registry.eco.listEcoRecords(V, {})).toEqual(records);
      expect(await registry.eco.listCsrReports(V)).toHaveLength(1);
      // Twelve full months and this month so far.
      expect(new Set(records.map((x) => x.date.slice(0, 7))).size).toBe(13);
      expect(records.every((x) => x.date <= '2026-11-20')).toBe(true);
    });

    it('names the CSR partner and the grid, and maps the two meters', async () => {
      expect(await registry.eco.getEcoSettings(V)).toEqual({
        villageId: V,
        gridRegion: 'jamali',
        meterSources: { 'meter-listrik': 'grid', 'meter-air': 'municipal' },
        csrPartnerName: DEMO_CSR_PARTNER,
        csrProgrammeName: DEMO_CSR_PROGRAMME,
      });
      for (const [id, w] of Object.entries(DEMO_UNIT_WEIGHTS))
        expect((await registry.supply.getProduct(V, id))?.unitWeightKg).toBe(w);
    });

    it('has last month’s report, made by the partner, with non-zero numbers', async () => {
      const [report] = await registry.eco.listCsrReports(V);
      expect(report).toMatchObject({
        id: reportId,
        from: '2026-10-01',
        to: '2026-11-01',
        trigger: 'manual',
        generatedBy: 'csr',
        partnerName: DEMO_CSR_PARTNER,
        programmeName: DEMO_CSR_PROGRAMME,
      });
      for (const key of [
        'energy.total.kwh',
        'water.withdrawal.total',
        'emissions.total',
        'programme.active_producers',
        'programme.revenue',
      ]) {
        const h = report?.headline.find((x) => x.key === key);
        expect(h?.value, key).toBeGreaterThan(0);
        // September is in the history too, so each has a change.
        expect(h?.changePct, key).not.toBeNull();
      }
      // A month of the packing house: ~14 kWh a day from PLN, plus the rooftop's solar and the genset's diesel.
      const energy = report?.headline.find((x) => x.key === 'energy.total.kwh')?.value ?? 0;
      expect(energy).toBeGreaterThan(31 * 14 * 0.7);
      expect(energy).toBeLessThan(31 * 14 * 1.3 + 600 + 30 * 10);
      const eco = new EcoService({ registry, store, now: () => NOW });
      const pdf = await eco.renderReport(V, reportId!, 'pdf', 'id');
      expect(pdf.filename).toBe('laporan-csr-kel-taman-2026-10-01-2026-10-31.pdf');
      if (hasPdftotext()) expect(await pdfText(pdf.body)).toContain(DEMO_CSR_PARTNER);
    });

    it('holds a year of meter readings whose monthly use is the meters’ (no jump where history and pipeline meet)', async () => {
      const [first] = await store.queryRaw({
        villageId: V,
        deviceId: METERS[0]!,
        metric: 'energy',
        from: 0,
        to: NOW,
        limit: 1,
      });
      expect(first!.ts).toBeGreaterThanOrEqual(NOW - 365 * DAY);
      expect(first!.ts).toBeLessThan(NOW - 364 * DAY);
      // The pipeline now sends what its devices (created when the backfill starts) measure, through the
      // backfill and into live readings: the store keeps the history's readings where their slots coincide.
      const pipeline = [...meterReadings(scenario)(pipelineFrom + 7_000, NOW + 6 * 3_600_000)].filter(
        (r) => r.metric === 'energy' || r.metric === 'water_volume',
      );
      const res = await store.write(pipeline);
      expect(res.duplicates).toBeGreaterThan(0.9 * pipeline.length - 2 * 30);
      for (const [deviceId, metric, perDay] of [
        [METERS[0]!, 'energy', 14],
        [METERS[1]!, 'water_volume', 1.8],
      ] as const) {
        const raw = await store.queryRaw({ villageId: V, deviceId, metric, from: 0, to: NOW + DAY });
        // A counter that dropped anywhere would count as a reset: a whole register of use at once.
        for (let i = 1; i < raw.length; i++)
          expect(raw[i]!.value, `${metric} at ${new Date(raw[i]!.ts).toISOString()}`).toBeGreaterThanOrEqual(
            raw[i - 1]!.value,
          );
        const days = await store.queryBuckets({
          villageId: V,
          deviceId,
          metric,
          from: NOW - 364 * DAY,
          to: NOW + 6 * 3_600_000,
          step: DAY,
          aggs: ['increase'],
        });
        const most = Math.max(...days.map((b) => b.values.increase ?? 0));
        expect(most, metric).toBeLessThan(2 * perDay);
      }
      const year = await new EcoService({ registry, store, now: () => NOW }).inputs([V], '2025-12-01', '2026-11-01');
      for (const m of year.monthly ?? []) {
        const days = new Date(Date.UTC(Number(m.month.slice(0, 4)), Number(m.month.slice(5, 7)), 0)).getUTCDate();
        // Grid (~14 kWh a day less power cuts), the rooftop's solar and the genset's output.
        expect(m.energyKwh, m.month).toBeGreaterThan(days * 14 * 0.7);
        expect(m.waterM3, m.month).toBeGreaterThan(days * 1.8 * 0.7);
      }
    });

    it('gives last month production and programme outputs from the KUB’s earlier orders', async () => {
      const october = await new EcoService({ registry, store, now: () => NOW }).inputs([V], '2026-10-01', '2026-11-01');
      expect(october.productionKg).toBeGreaterThan(300);
      expect(october.programme.lotsShipped).toBeGreaterThanOrEqual(3);
      expect(october.programme.revenueIdr).toBeGreaterThan(10_000_000);
      expect(october.lots.ecoPackaging).toBeGreaterThan(0);
      // The supply demo's own three weeks keep their story: its order is untouched.
      expect((await registry.supply.getOrder(V, 'po-0001'))?.quantity).toBe(10_000);
    });
  });
}
