import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FACTORS,
  DENSITY_KG_PER_L,
  type EmissionFactor,
  fuelFactorArithmetic,
  fuelFactorFor,
  GRID_REGIONS,
  GWP_AR6,
  IPCC_2006_FUELS,
  resolveGridFactor,
} from '../../src/eco/factors.ts';

const US_GALLON_L = 3.785411784;

describe('fuel factors from IPCC 2006 defaults', () => {
  it('1,000 L diesel = 2,692.35 kg CO2e (IPCC 2006 V2: Ch1 T1.2 NCV 43.0 TJ/Gg, T1.4 74,100 kg CO2/TJ, Ch2 T2.4 CH4 10 and N2O 0.6 kg/TJ; AR5 GWP 28/265)', () => {
    // By hand:
    //   mass    1,000 L × 0.84 kg/L                 = 840 kg = 0.00084 Gg
    //   energy  0.00084 Gg × 43.0 TJ/Gg             = 0.03612 TJ (36,120 MJ)
    //   CO2     0.03612 TJ × 74,100 kg/TJ           = 2,676.492 kg
    //   CH4     0.03612 TJ × 10 kg/TJ = 0.3612 kg   × 28  = 10.1136 kg CO2e
    //   N2O     0.03612 TJ × 0.6 kg/TJ = 0.021672 kg × 265 = 5.74308 kg CO2e
    //   total                                        = 2,692.34868 kg CO2e
    const diesel = fuelFactorFor('diesel')!;
    expect(diesel.unit).toBe('kg CO2e/L');
    expect(1000 * diesel.value).toBeCloseTo(2692.34868, 5);
    expect(diesel.energyMjPerUnit).toBeCloseTo(36.12, 10);
    expect(diesel.derivation?.join('\n')).toContain('= 2.692349 kg CO2e per L');
  });

  it('1,000 L gasoline = 2,286.18 kg CO2e (T1.2 NCV 44.3 TJ/Gg, T1.4 69,300 kg CO2/TJ, T2.4 CH4 10, N2O 0.6)', () => {
    //   0.74 t = 0.00074 Gg × 44.3 = 0.032782 TJ
    //   CO2 0.032782 × 69,300 = 2,271.7926; CH4 0.32782 × 28 = 9.17896; N2O 0.0196692 × 265 = 5.212338
    expect(1000 * fuelFactorFor('gasoline')!.value).toBeCloseTo(2271.7926 + 9.17896 + 5.212338, 6);
  });

  it('100 kg LPG = 299.25 kg CO2e (T1.2 NCV 47.3 TJ/Gg, T1.4 63,100 kg CO2/TJ, T2.4 CH4 5, N2O 0.1)', () => {
    //   0.0001 Gg × 47.3 = 0.00473 TJ; CO2 298.463; CH4 0.02365 × 28 = 0.6622; N2O 0.000473 × 265 = 0.125345
    const lpg = fuelFactorFor('lpg')!;
    expect(lpg.unit).toBe('kg CO2e/kg');
    expect(100 * lpg.value).toBeCloseTo(298.463 + 0.6622 + 0.125345, 6);
  });

  it('CO2 per litre agrees with the US EPA GHG Emission Factors Hub (diesel 10.21, motor gasoline 8.78 kg CO2/US gal) within 3 %', () => {
    // An independent check on the assumed densities: EPA's per-gallon factors already fold density in.
    const co2PerLitre = (fuel: 'diesel' | 'gasoline') =>
      (DENSITY_KG_PER_L[fuel] / 1e6) * IPCC_2006_FUELS[fuel].ncvTjPerGg * IPCC_2006_FUELS[fuel].co2KgPerTj;
    expect(co2PerLitre('diesel') / (10.21 / US_GALLON_L)).toBeGreaterThan(0.97);
    expect(co2PerLitre('diesel') / (10.21 / US_GALLON_L)).toBeLessThan(1.03);
    expect(co2PerLitre('gasoline') / (8.78 / US_GALLON_L)).toBeGreaterThan(0.97);
    expect(co2PerLitre('gasoline') / (8.78 / US_GALLON_L)).toBeLessThan(1.03);
  });

  it('uses AR5 GWPs; AR6 would add a little for CH4 and N2O only', () => {
    const ar5 = fuelFactorArithmetic('diesel').kgCo2ePerUnit;
    const ar6 = fuelFactorArithmetic('diesel', GWP_AR6).kgCo2ePerUnit;
    // 36.12 MJ: CH4 0.0003612 kg × (29.8 - 28) + N2O 0.000021672 kg × (273 - 265)
    expect(ar6 - ar5).toBeCloseTo(0.0003612 * 1.8 + 0.000021672 * 8, 12);
  });
});

describe('resolveGridFactor', () => {
  it('takes the exact year when the catalogue has it', () => {
    const r = resolveGridFactor('jamali', 2019)!;
    expect(r.factor.id).toBe('grid-jamali-2019-ruptl');
    expect(r.factor.value).toBe(0.817);
    expect(r.exactYear).toBe(true);
  });

  it('falls back to the latest earlier year and says so', () => {
    const r = resolveGridFactor('Jawa-Madura-Bali', 2025)!;
    expect(r.factor.id).toBe('grid-jamali-2019-ruptl');
    expect(r.exactYear).toBe(false);
    expect(r.note).toContain('latest earlier one (2019)');
    expect(resolveGridFactor('jamali', 2015)!.factor.id).toBe('grid-jamali-2012-bur2');
  });

  it('never uses a later year, and knows nothing of regions it has no factor for', () => {
    expect(resolveGridFactor('jamali', 2011)).toBeNull();
    expect(resolveGridFactor('sulselrabar', 2025)).toBeNull();
  });

  it('flags an unverified factor in its note', () => {
    const r = resolveGridFactor('sumatra', 2024)!;
    expect(r.factor.verified).toBe(false);
    expect(r.note).toContain('UNVERIFIED');
  });

  it('prefers a verified factor over an unverified one for the same year', () => {
    const custom: EmissionFactor[] = [
      {
        id: 'a',
        kind: 'grid',
        region: 'jamali',
        year: 2024,
        value: 0.9,
        unit: 't CO2/MWh',
        source: 'x',
        verified: false,
      },
      {
        id: 'b',
        kind: 'grid',
        region: 'jamali',
        year: 2024,
        value: 0.8,
        unit: 't CO2/MWh',
        source: 'y',
        verified: true,
      },
      {
        id: 'c',
        kind: 'grid',
        region: 'jamali',
        year: 2023,
        value: 0.7,
        unit: 't CO2/MWh',
        source: 'z',
        verified: true,
      },
    ];
    expect(resolveGridFactor('jamali', 2025, custom)!.factor.id).toBe('b');
  });
});

describe('the default catalogue is whole', () => {
  it('every factor has a unique id, a positive value, a unit and a source', () => {
    const ids = DEFAULT_FACTORS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of DEFAULT_FACTORS) {
      expect(Number.isFinite(f.value) && f.value > 0, f.id).toBe(true);
      expect(f.unit, f.id).not.toBe('');
      expect(f.source.length, f.id).toBeGreaterThan(40);
      if (!f.verified) expect(f.source, f.id).toMatch(/NOT VERIFIED/);
    }
  });

  it('grid factors name a known region and a year; fuel factors show their arithmetic and energy', () => {
    for (const f of DEFAULT_FACTORS) {
      if (f.kind === 'grid') {
        expect(Object.keys(GRID_REGIONS), f.id).toContain(f.region);
        expect(f.year, f.id).toBeGreaterThan(2000);
        expect(f.unit).toBe('t CO2/MWh');
      } else {
        expect(f.derivation?.length, f.id).toBeGreaterThanOrEqual(5);
        expect(f.energyMjPerUnit, f.id).toBeGreaterThan(0);
      }
    }
    for (const fuel of ['diesel', 'gasoline', 'lpg'] as const) expect(fuelFactorFor(fuel), fuel).not.toBeNull();
    expect(resolveGridFactor('indonesia', 2030), 'national fallback').not.toBeNull();
  });
});
