import { emittedReadings, iterateReadings } from '@lumbung/firmware-sim';
import { previousPeriod } from '@lumbung/schemas/time';
import type { StoredReading } from '@lumbung/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorByKey } from '../../src/eco/indicators.ts';
import { EcoService, monthsOf, previousMonth } from '../../src/eco/service.ts';
import { SupplyService } from '../../src/supply/service.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';
import { SUPPLY, seedSupply } from '../supply/fixture.ts';

const V = 'kel-taman';
const ENERGY = 'taman-em-01';
const WATER = 'taman-wm-01';
/** Asia/Jakarta is UTC+7 all year: the expected months below are computed with that, not with the code's zone helper. */
const WIB = 7 * 3_600_000;
const jakartaMonth = (ts: number) => new Date(ts + WIB).toISOString().slice(0, 7);
const jakartaMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - WIB;

/** The meters' readings for August to October 2026, as the simulator makes them. */
function meterHistory(): StoredReading[] {
  const from = jakartaMidnight('2026-08-01');
  const to = jakartaMidnight('2026-11-01');
  return [...iterateReadings(loadedScenario!, { from, to, devices: [ENERGY, WATER] })]
    .flatMap((e) => emittedReadings(e, V))
    .filter((r) => r.metric === 'energy' || r.metric === 'water_volume');
}
let loadedScenario: Fixture['scenario'] | undefined;

/** The energy meter was replaced at 12:00 on 15 September: from then on it counts from 0 again. */
const RESET_AT = jakartaMidnight('2026-09-15') + 12 * 3_600_000;

/**
 * The counter's increase per local month, straight from raw samples: each rise between consecutive samples
 * counts in the month of the later one; a drop is a reset and counts the new reading itself.
 */
function increasesByMonth(samples: { ts: number; value: number }[], from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1]!;
    const cur = samples[i]!;
    if (cur.ts < from || cur.ts >= to) continue;
    const d = cur.value >= prev.value ? cur.value - prev.value : cur.value;
    out.set(jakartaMonth(cur.ts), (out.get(jakartaMonth(cur.ts)) ?? 0) + d);
  }
  return out;
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`indicator inputs from live data on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let eco: EcoService;
    /** The energy meter's true use, from the readings before the reset was written into them. */
    let trueEnergy: Map<string, number>;

    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      loadedScenario = f.scenario;
      const history = meterHistory();
      const energy = history.filter((r) => r.deviceId === ENERGY).sort((a, b) => a.ts - b.ts);
      trueEnergy = increasesByMonth(energy, 0, Number.MAX_SAFE_INTEGER);
      const before = energy.filter((r) => r.ts < RESET_AT).at(-1)!.value;
      // The new meter starts at 0: its readings are the old one's less what the old one showed last.
      const written = history.map((r) =>
        r.deviceId === ENERGY && r.ts >= RESET_AT ? { ...r, value: Math.round((r.value - before) * 100) / 100 } : r,
      );
      await f.store.write(written);
      eco = new EcoService({ registry: f.registry, store: f.store, now: () => NOW });
    }, 180_000);
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const raw = (deviceId: string, metric: string) =>
      f.store.queryRaw({ villageId: V, deviceId, metric, from: 0, to: NOW + 86_400_000 });

    it('sums the meters’ increase per local month as the raw readings give it, across the meter reset', async () => {
      const from = jakartaMidnight('2026-08-01');
      const to = jakartaMidnight('2026-11-01');
      const inputs = await eco.inputs([V], '2026-08-01', '2026-11-01');
      const energy = increasesByMonth(await raw(ENERGY, 'energy'), from, to);
      const water = increasesByMonth(await raw(WATER, 'water_volume'), from, to);
      expect(inputs.monthly?.map((m) => m.month)).toEqual(['2026-08', '2026-09', '2026-10']);
      for (const m of inputs.monthly ?? []) {
        expect(m.energyKwh).toBeCloseTo(energy.get(m.month) ?? Number.NaN, 6);
        expect(m.waterM3).toBeCloseTo(water.get(m.month) ?? Number.NaN, 6);
        expect(m.emissionsKgCo2e).toBeGreaterThan(0);
      }
      // Default settings: the energy meter is the PLN supply, the water meter PDAM.
      const sum = (x: Map<string, number>) => [...x.values()].reduce((a, b) => a + b, 0);
      expect(inputs.energyKwh.grid).toBeCloseTo(sum(energy), 6);
      expect(inputs.waterM3.municipal).toBeCloseTo(sum(water), 6);
      expect(inputs.energyKwh.solar).toBe(0);
      // The reset counts as the new meter's first reading, so September is the meter's true use...
      const september = inputs.monthly?.find((m) => m.month === '2026-09')?.energyKwh ?? 0;
      expect(september).toBeCloseTo(trueEnergy.get('2026-09') ?? 0, 1);
      expect(september).toBeGreaterThan(300); // ~14 kWh a day
      // ...which the last reading less the first would not give (it is negative across the reset).
      const sept = (await raw(ENERGY, 'energy')).filter((p) => jakartaMonth(p.ts) === '2026-09');
      expect(sept.at(-1)!.value - sept[0]!.value).toBeLessThan(0);
    });

    it('maps each meter to the source its settings name, and refuses a source that does not fit', async () => {
      await eco.putSettings(V, {
        gridRegion: 'jamali',
        meterSources: { 'meter-listrik': 'solar', 'meter-air': 'groundwater' },
        csrPartnerName: null,
        csrProgrammeName: null,
      });
      try {
        const inputs = await eco.inputs([V], '2026-08-01', '2026-09-01');
        expect(inputs.energyKwh.grid).toBe(0);
        expect(inputs.energyKwh.solar).toBeGreaterThan(300);
        expect(inputs.waterM3.municipal).toBe(0);
        expect(inputs.waterM3.groundwater).toBeGreaterThan(20);
        await expect(
          eco.putSettings(V, {
            gridRegion: 'jamali',
            meterSources: { 'meter-air': 'grid' },
            csrPartnerName: null,
            csrProgrammeName: null,
          }),
        ).rejects.toMatchObject({ code: 'LUMBUNG_ERR_VALIDATION' });
        await expect(
          eco.putSettings(V, {
            gridRegion: 'jamali',
            meterSources: { 'ruang-telur': 'grid' },
            csrPartnerName: null,
            csrProgrammeName: null,
          }),
        ).rejects.toMatchObject({ code: 'LUMBUNG_ERR_VALIDATION' });
      } finally {
        await eco.putSettings(V, {
          gridRegion: 'jamali',
          meterSources: { 'meter-listrik': 'grid', 'meter-air': 'municipal' },
          csrPartnerName: null,
          csrProgrammeName: null,
        });
      }
    });

    describe('records and the supply chain', () => {
      beforeAll(async () => {
        await seedSupply(f);
        const s = new SupplyService({ registry: f.registry, store: f.store, now: () => NOW });
        // Weights: duck eggs only, for now (telur asin has none: its lots are left out, and a note says so).
        const egg = (await f.registry.supply.getProduct(V, SUPPLY.raw.productId))!;
        await f.registry.supply.upsertProduct({ ...egg, unitWeightKg: 0.065 });
        await s.upsertProduct(V, {
          id: 'beras',
          name: 'Beras',
          category: 'hasil_tani',
          unit: 'kg',
          shelfLifeDays: 180,
          storage: { temperatureMin: null, temperatureMax: 30, humidityMin: null, humidityMax: 70 },
        });
        await s.createLot(
          V,
          { productId: 'beras', producerId: 'pak-budi', quantity: 50, producedOn: '2026-11-18', packaging: 'eco' },
          { userId: null, label: 'test' },
        );
        for (const r of [
          { date: '2026-11-05', kind: 'fuel', source: 'diesel', quantity: 40 },
          { date: '2026-11-06', kind: 'fuel', source: 'lpg', quantity: 12 },
          { date: '2026-11-10', kind: 'energy', source: 'solar', quantity: 120 },
          { date: '2026-11-10', kind: 'energy', source: 'generator', quantity: 95 },
          { date: '2026-11-11', kind: 'water', source: 'groundwater', quantity: 7.5 },
          { date: '2026-11-12', kind: 'waste', source: 'organic', quantity: 30 },
          { date: '2026-11-12', kind: 'waste', source: 'plastic', quantity: 4.5 },
          // Outside the period: October's last day, and December's first.
          { date: '2026-10-31', kind: 'fuel', source: 'diesel', quantity: 99 },
        ] as const)
          await eco.addRecord(V, r, 'kemas');
      });

      it('puts hand-entered figures in their fields, within the period only', async () => {
        const inputs = await eco.inputs([V], '2026-11-01', '2026-12-01');
        expect(inputs.fuelLitres).toEqual({ diesel: 40, gasoline: 0, lpgKg: 12 });
        expect(inputs.energyKwh.solar).toBe(120);
        expect(inputs.energyKwh.generator).toBe(95);
        expect(inputs.waterM3.groundwater).toBe(7.5);
        expect(inputs.wasteKg).toBe(34.5);
        // The fixture's three days of meter readings, after a gap since October's last reading.
        const energy = increasesByMonth(
          await raw(ENERGY, 'energy'),
          jakartaMidnight('2026-11-01'),
          jakartaMidnight('2026-12-01'),
        );
        expect(inputs.energyKwh.grid).toBeCloseTo(energy.get('2026-11') ?? Number.NaN, 6);
        const october = await eco.inputs([V], '2026-10-01', '2026-11-01');
        expect(october.fuelLitres.diesel).toBe(99);
      });

      it('refuses a record dated in the village’s future, or whose source does not fit its kind', async () => {
        await expect(
          eco.addRecord(V, { date: '2026-11-21', kind: 'fuel', source: 'diesel', quantity: 1 }, 'kemas'),
        ).rejects.toMatchObject({ code: 'LUMBUNG_ERR_VALIDATION' });
        await expect(
          eco.addRecord(V, { date: '2026-11-20', kind: 'fuel', source: 'grid', quantity: 1 }, 'kemas'),
        ).rejects.toMatchObject({ code: 'LUMBUNG_ERR_VALIDATION' });
      });

      it('weighs lots produced in the period, counts what went into other lots once, and says which lots it left out', async () => {
        let { inputs, notes } = await eco.collect([V], '2026-11-01', '2026-12-01');
        // 600 duck eggs, 500 of them salted into TA-261116-01: 100 eggs × 0.065 kg; rice by the kg: 50 × 1.
        expect(inputs.productionKg).toBeCloseTo(100 * 0.065 + 50, 10);
        // The egg lot (100 left), four telur asin lots, the rice.
        expect(inputs.lots).toEqual({ total: 6, ecoPackaging: 1 });
        expect(notes.map((n) => n.en).join('\n')).toMatch(/4 lots whose product has no unit weight .*Telur asin \(4\)/);
        const salted = (await f.registry.supply.getProduct(V, SUPPLY.salted.productId))!;
        await f.registry.supply.upsertProduct({ ...salted, unitWeightKg: 0.07 });
        ({ inputs, notes } = await eco.collect([V], '2026-11-01', '2026-12-01'));
        expect(inputs.productionKg).toBeCloseTo(100 * 0.065 + 50 + (500 + 300 + 200 + 100) * 0.07, 10);
        expect(notes.map((n) => n.en).join('\n')).not.toMatch(/no unit weight/);
      });

      it('counts active producers, lots shipped and revenue from shipments dispatched in the period', async () => {
        const nov = await eco.inputs([V], '2026-11-01', '2026-12-01');
        // po-0001-k1 carries 200 + 100 salted eggs at Rp 3,500, dispatched at NOW; k2 and po-0002-k1 are not dispatched.
        expect(nov.programme).toEqual({ activeProducers: 3, lotsShipped: 2, revenueIdr: 300 * 3500 });
        const oct = await eco.inputs([V], '2026-10-01', '2026-11-01');
        expect(oct.programme).toEqual({ activeProducers: 0, lotsShipped: 0, revenueIdr: 0 });
      });

      it('gives the weather station’s rainfall total', async () => {
        const inputs = await eco.inputs([V], '2026-11-01', '2026-12-01');
        const rain = f.readings
          .filter((r) => r.deviceId === 'taman-ws-01' && r.metric === 'rainfall')
          .reduce((s, r) => s + r.value, 0);
        expect(inputs.rainfallMm).toBeCloseTo(rain, 6);
      });

      it('computes the indicators of the live figures (intensities per kg of product)', async () => {
        const ind = await eco.indicators([V], '2026-11-01', '2026-12-01');
        const inputs = await eco.inputs([V], '2026-11-01', '2026-12-01');
        const total = indicatorByKey(ind, 'energy.total.kwh').value!;
        expect(indicatorByKey(ind, 'energy.intensity').value).toBeCloseTo(total / inputs.productionKg, 10);
        expect(indicatorByKey(ind, 'programme.revenue').value).toBe(1_050_000);
        expect(indicatorByKey(ind, 'packaging.eco_share').value).toBeCloseTo(100 / 6, 10);
      });
    });

    it('gives nulls with reasons, never NaN, for a period without data', async () => {
      const { inputs, notes } = await eco.collect([V], '2025-01-01', '2025-02-01');
      expect(inputs.rainfallMm).toBeNull();
      expect(inputs.productionKg).toBe(0);
      expect(inputs.monthly).toEqual([{ month: '2025-01', energyKwh: null, waterM3: null, emissionsKgCo2e: null }]);
      expect(notes.map((n) => n.en).join('\n')).toMatch(/no readings from meter "kWh meter rumah kemasan"/);
      const ind = await eco.indicators([V], '2025-01-01', '2025-02-01');
      for (const i of ind.items) {
        if (i.value === null) {
          expect(i.reason?.id, i.key).toBeTruthy();
          expect(i.reason?.en, i.key).toBeTruthy();
        } else expect(Number.isFinite(i.value), i.key).toBe(true);
      }
      for (const key of [
        'energy.intensity',
        'water.intensity',
        'emissions.intensity',
        'climate.rainfall',
        'packaging.eco_share',
      ])
        expect(indicatorByKey(ind, key).value, key).toBeNull();
      expect(indicatorByKey(ind, 'energy.intensity').reason?.en).toMatch(/production \(kg\) is zero/);
      expect(JSON.stringify(ind)).not.toMatch(/NaN|Infinity/);
    });

    it('refuses a period that ends before it starts or runs over three years', async () => {
      await expect(eco.inputs([V], '2026-11-01', '2026-11-01')).rejects.toMatchObject({
        code: 'LUMBUNG_ERR_TIME_RANGE',
      });
      await expect(eco.inputs([V], '2020-01-01', '2026-01-01')).rejects.toMatchObject({
        code: 'LUMBUNG_ERR_VALIDATION',
      });
      await expect(eco.inputs(['tidak-ada'], '2026-10-01', '2026-11-01')).rejects.toMatchObject({
        code: 'LUMBUNG_ERR_VILLAGE_NOT_FOUND',
      });
    });
  });
}

describe('report periods', () => {
  it('compares whole months with as many months before, other periods with as many days', () => {
    expect(previousPeriod('2026-10-01', '2026-11-01')).toEqual({ from: '2026-09-01', to: '2026-10-01' });
    expect(previousPeriod('2026-01-01', '2027-01-01')).toEqual({ from: '2025-01-01', to: '2026-01-01' });
    expect(previousPeriod('2026-03-01', '2026-06-01')).toEqual({ from: '2025-12-01', to: '2026-03-01' });
    expect(previousPeriod('2026-11-10', '2026-11-17')).toEqual({ from: '2026-11-03', to: '2026-11-10' });
    expect(previousPeriod('2026-03-15', '2026-04-01')).toEqual({ from: '2026-02-26', to: '2026-03-15' });
  });

  it('takes the previous calendar month in the village’s zone', () => {
    // 2026-12-01 01:00 in Jakarta is still 30 November in UTC.
    expect(previousMonth(Date.parse('2026-11-30T18:00:00Z'), 'Asia/Jakarta')).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(previousMonth(Date.parse('2026-11-30T18:00:00Z'), 'UTC')).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(monthsOf('2025-12-15', '2026-02-01')).toEqual(['2025-12', '2026-01']);
  });
});
