import { describe, expect, it } from 'vitest';
import { DEFAULT_FACTORS, type EmissionFactor } from '../../src/eco/factors.ts';
import {
  computeIndicators,
  GJ_PER_KWH,
  type IndicatorInputs,
  type Indicators,
  indicatorByKey,
} from '../../src/eco/indicators.ts';

// kg CO2e per litre/kg, worked out by hand in factors.test.ts from IPCC 2006 defaults and AR5 GWPs.
const DIESEL = 2.69234868;
const GASOLINE = 2.286183898;
const LPG = 2.99250545;

function inputs(over: Partial<IndicatorInputs> = {}): IndicatorInputs {
  return {
    period: { from: '2025-01-01', to: '2026-01-01' },
    villages: [{ id: 'desa-taman', name: 'Desa Taman', gridRegion: 'jamali' }],
    energyKwh: { grid: 12_000, solar: 3_000, generator: 500 },
    fuelLitres: { diesel: 1_000, gasoline: 200, lpgKg: 60 },
    waterM3: { groundwater: 800, municipal: 150, surface: 0, rainwater: 50 },
    productionKg: 20_000,
    rainfallMm: 2_100.5,
    lots: { total: 120, ecoPackaging: 45 },
    wasteKg: 350,
    programme: { activeProducers: 34, lotsShipped: 98, revenueIdr: 245_000_000 },
    ...over,
  };
}

const v = (r: Indicators, key: string) => indicatorByKey(r, key).value;

describe('energy (GRI 302-1, 302-3)', () => {
  it('converts kWh to GJ at 0.0036 GJ/kWh (1 kWh = 3.6 MJ)', () => {
    const r = computeIndicators(inputs());
    expect(GJ_PER_KWH).toBe(0.0036);
    expect(v(r, 'energy.grid.gj')).toBeCloseTo(43.2, 10);
    expect(v(r, 'energy.solar.gj')).toBeCloseTo(10.8, 10);
  });

  it('totals fuel, grid and solar energy, and leaves the genset output out because its fuel is counted', () => {
    const r = computeIndicators(inputs());
    // Fuel energy: 1,000 L × 36.12 MJ + 200 L × 32.782 MJ + 60 kg × 47.3 MJ = 45,514.4 MJ
    expect(v(r, 'energy.fuel.gj')).toBeCloseTo(45.5144, 10);
    const totalKwh = 12_000 + 3_000 + 45.5144 / 0.0036;
    expect(v(r, 'energy.total.kwh')).toBeCloseTo(totalKwh, 8);
    expect(v(r, 'energy.total.gj')).toBeCloseTo(43.2 + 10.8 + 45.5144, 10);
    expect(indicatorByKey(r, 'energy.generator.kwh').flags).toContain('informational');
    expect(v(r, 'energy.intensity')).toBeCloseTo(totalKwh / 20_000, 10);
    expect(indicatorByKey(r, 'energy.intensity').gri).toEqual(['302-3']);
  });

  it('counts the genset output as a lower bound when no fuel was recorded for it', () => {
    const r = computeIndicators(inputs({ fuelLitres: { diesel: 0, gasoline: 0 } }));
    expect(v(r, 'energy.total.kwh')).toBe(12_000 + 3_000 + 500);
    expect(indicatorByKey(r, 'energy.total.kwh').flags).toContain('lower_bound');
    expect(indicatorByKey(r, 'emissions.scope1').flags).toContain('lower_bound');
    expect(indicatorByKey(r, 'emissions.scope1').reason?.en).toMatch(/no fuel was recorded/);
  });
});

describe('emissions (GRI 305-1, 305-2, 305-4)', () => {
  it('scope 1 = fuel × IPCC factors: 1,000 L diesel + 200 L gasoline + 60 kg LPG', () => {
    const r = computeIndicators(inputs());
    const kg = 1_000 * DIESEL + 200 * GASOLINE + 60 * LPG; // 2,692.349 + 457.237 + 179.550
    expect(kg).toBeCloseTo(3329.1357866, 6);
    expect(v(r, 'emissions.scope1')).toBeCloseTo(kg / 1000, 10);
    const s1 = indicatorByKey(r, 'emissions.scope1');
    expect(s1.unit).toBe('t CO2e');
    expect(s1.gri).toEqual(['305-1']);
    expect(s1.factorIds).toEqual(['fuel-diesel-ipcc2006-ar5', 'fuel-gasoline-ipcc2006-ar5', 'fuel-lpg-ipcc2006-ar5']);
    expect(s1.method).toContain('diesel 1000 L × 2.6923 kg CO2e/L = 2692.35 kg');
  });

  it('scope 2 (location-based) = grid kWh × the Jamali factor for the latest year up to 2025; solar counts 0', () => {
    const r = computeIndicators(inputs());
    // 12,000 kWh × 0.817 t CO2/MWh (RUPTL 2019-2028, 2019) = 12 MWh × 0.817 = 9.804 t
    expect(v(r, 'emissions.scope2_location')).toBeCloseTo(9.804, 10);
    expect(indicatorByKey(r, 'emissions.scope2_location').factorIds).toEqual(['grid-jamali-2019-ruptl']);
    const moreSolar = computeIndicators(inputs({ energyKwh: { grid: 12_000, solar: 50_000, generator: 500 } }));
    expect(v(moreSolar, 'emissions.scope2_location')).toBeCloseTo(9.804, 10);
    // The same kWh in 2015 uses the 2012 factor (BUR2: 0.814).
    const y2015 = computeIndicators(inputs({ period: { from: '2015-01-01', to: '2016-01-01' } }));
    expect(v(y2015, 'emissions.scope2_location')).toBeCloseTo(9.768, 10);
  });

  it('total and intensity: (scope 1 + scope 2) ÷ production', () => {
    const r = computeIndicators(inputs());
    const totalKg = 1_000 * DIESEL + 200 * GASOLINE + 60 * LPG + 9_804;
    expect(v(r, 'emissions.total')).toBeCloseTo(totalKg / 1000, 10);
    expect(v(r, 'emissions.intensity')).toBeCloseTo(totalKg / 20_000, 10);
    expect(indicatorByKey(r, 'emissions.intensity').unit).toBe('kg CO2e/kg');
  });

  it('lists every factor it used and what for', () => {
    const r = computeIndicators(inputs());
    const used = Object.fromEntries(r.factorsUsed.map((u) => [u.factor.id, u.usedFor]));
    expect(used).toEqual({
      'fuel-diesel-ipcc2006-ar5': ['energy.fuel.gj', 'emissions.scope1'],
      'fuel-gasoline-ipcc2006-ar5': ['energy.fuel.gj', 'emissions.scope1'],
      'fuel-lpg-ipcc2006-ar5': ['energy.fuel.gj', 'emissions.scope1'],
      'grid-jamali-2019-ruptl': ['emissions.scope2_location'],
    });
  });

  it('falls back to the national average, flagged, for a grid region without a factor', () => {
    const r = computeIndicators(inputs({ villages: [{ id: 'x', name: 'Desa X', gridRegion: 'sulselrabar' }] }));
    const s2 = indicatorByKey(r, 'emissions.scope2_location');
    expect(s2.value).toBeCloseTo(12 * 0.867, 10);
    expect(s2.flags).toContain('fallback_factor');
    expect(s2.reason?.en).toContain('national average');
  });

  it('gives null with a reason when no grid factor exists at all', () => {
    const fuelsOnly = DEFAULT_FACTORS.filter((f) => f.kind === 'fuel');
    const r = computeIndicators(inputs(), fuelsOnly);
    const s2 = indicatorByKey(r, 'emissions.scope2_location');
    expect(s2.value).toBeNull();
    expect(s2.reason?.en).toMatch(/no grid emission factor for region 'jamali'/);
    expect(v(r, 'emissions.total')).toBeNull();
    expect(v(r, 'emissions.scope1')).not.toBeNull();
  });

  it('uses the highest factor, flagged conservative, for villages on two grids without a kWh split', () => {
    const villages = [
      { id: 'a', name: 'Desa A', gridRegion: 'jamali' },
      { id: 'b', name: 'Desa B', gridRegion: 'sumatera' },
    ];
    const r = computeIndicators(inputs({ villages }));
    const s2 = indicatorByKey(r, 'emissions.scope2_location');
    expect(s2.value).toBeCloseTo(12 * 0.817, 10);
    expect(s2.flags).toContain('conservative');
    // With the split, each region's kWh takes its own factor (Sumatera's is unverified, and flagged).
    const split = computeIndicators(inputs({ villages, gridKwhByRegion: { jamali: 8_000, sumatera: 4_000 } }));
    const s2split = indicatorByKey(split, 'emissions.scope2_location');
    expect(s2split.value).toBeCloseTo(8 * 0.817 + 4 * 0.761, 10);
    expect(s2split.flags).toContain('unverified_factor');
  });

  it('is zero, not null, when no grid electricity was used', () => {
    const r = computeIndicators(inputs({ energyKwh: { grid: 0, solar: 4_000, generator: 0 }, villages: [] }));
    expect(v(r, 'emissions.scope2_location')).toBe(0);
  });
});

describe('water (GRI 303-3, 303-5)', () => {
  it('sums withdrawal by source and reports consumption as a flagged upper bound', () => {
    const r = computeIndicators(inputs());
    expect(v(r, 'water.withdrawal.total')).toBe(1_000);
    expect(v(r, 'water.withdrawal.municipal')).toBe(150);
    const consumption = indicatorByKey(r, 'water.consumption');
    expect(consumption.value).toBe(1_000);
    expect(consumption.gri).toEqual(['303-5']);
    expect(consumption.flags).toEqual(['estimate', 'upper_bound']);
    expect(consumption.reason?.en).toMatch(/discharge is not metered/);
    // 1,000 m³ × 1,000 L/m³ ÷ 20,000 kg
    expect(v(r, 'water.intensity')).toBe(50);
  });
});

describe('division by zero and missing data', () => {
  it('gives null with a reason, never NaN or Infinity, when production is zero', () => {
    const r = computeIndicators(inputs({ productionKg: 0, lots: { total: 0, ecoPackaging: 0 }, rainfallMm: null }));
    for (const key of ['energy.intensity', 'water.intensity', 'emissions.intensity']) {
      const i = indicatorByKey(r, key);
      expect(i.value, key).toBeNull();
      expect(i.reason?.en, key).toBe('cannot be computed: production (kg) is zero');
      expect(i.reason?.id, key).toBe('tidak dapat dihitung: produksi (kg) nol');
    }
    expect(indicatorByKey(r, 'packaging.eco_share').reason?.en).toBe('cannot be computed: number of lots is zero');
    expect(indicatorByKey(r, 'climate.rainfall').reason?.en).toBe('no rain gauge data');
    for (const i of r.items) {
      expect(i.value === null || Number.isFinite(i.value), i.key).toBe(true);
      if (i.value === null) expect(i.reason, i.key).toBeDefined();
    }
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('gives null for a negative or non-numeric reading instead of a wrong total', () => {
    const r = computeIndicators(inputs({ energyKwh: { grid: -5, solar: 3_000, generator: 0 } }));
    expect(v(r, 'energy.grid.kwh')).toBeNull();
    expect(v(r, 'energy.total.kwh')).toBeNull();
    expect(v(r, 'emissions.scope2_location')).toBeNull();
    expect(indicatorByKey(r, 'energy.grid.kwh').reason?.en).toMatch(/invalid input/);
    const nan = computeIndicators(inputs({ wasteKg: Number.NaN }));
    expect(v(nan, 'waste.generated')).toBeNull();
  });

  it('computes the eco-packaging share and the programme outputs', () => {
    const r = computeIndicators(inputs());
    expect(v(r, 'packaging.eco_share')).toBe(37.5);
    expect(v(r, 'programme.revenue')).toBe(245_000_000);
    expect(v(r, 'waste.generated')).toBe(350);
    expect(indicatorByKey(r, 'waste.generated').gri).toEqual(['306-3']);
  });

  it('maps every GRI disclosure named in issue 6 to at least one indicator', () => {
    const r = computeIndicators(inputs());
    const gri = new Set(r.items.flatMap((i) => i.gri));
    for (const d of ['302-1', '302-3', '303-3', '303-5', '305-1', '305-2', '305-4']) expect(gri, d).toContain(d);
  });

  it('accepts a custom catalogue (factors are configurable)', () => {
    const custom: EmissionFactor[] = [
      ...DEFAULT_FACTORS.filter((f) => f.kind === 'fuel'),
      {
        id: 'mine',
        kind: 'grid',
        region: 'jamali',
        year: 2024,
        value: 1,
        unit: 't CO2/MWh',
        source: 's',
        verified: true,
      },
    ];
    expect(v(computeIndicators(inputs(), custom), 'emissions.scope2_location')).toBeCloseTo(12, 10);
  });
});
