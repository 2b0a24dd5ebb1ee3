import { describe, expect, it } from 'vitest';
import {
  createMktAccumulator,
  DEFAULT_DELTA_H_KJ_PER_MOL,
  GAS_CONSTANT_KJ_PER_MOL_K,
  meanKineticTemperature,
} from '../../src/supply/mkt.ts';

describe('mean kinetic temperature (USP <1079.2>, Haynes 1971)', () => {
  it('uses ΔH/R = 10,000 K by default, as USP <1079.2> does (ΔH 83.144 kJ/mol, R 0.0083144 kJ/(mol·K))', () => {
    expect(DEFAULT_DELTA_H_KJ_PER_MOL / GAS_CONSTANT_KJ_PER_MOL_K).toBeCloseTo(10_000, 9);
  });

  // Worked by hand with ΔH/R = 10,000 K:
  //   10000 / 293.15 K = 34.11223, 10000 / 303.15 K = 32.98697
  //   mean of exp(−34.11223) and exp(−32.98697) = exp(−32.98697) × (1 + exp(−1.12526)) / 2
  //                                              = exp(−32.98697) × 0.662291 = exp(−33.39910)
  //   MKT = 10000 / 33.39910 = 299.4093 K = 26.26 °C
  // (not the 25.9 °C sometimes quoted: the arithmetic mean is 25 °C and MKT here is 1.26 °C above it.)
  it('half the time at 20 °C and half at 30 °C is 26.26 °C (worked by hand, Haynes 1971 formula)', () => {
    expect(meanKineticTemperature([{ celsius: 20 }, { celsius: 30 }])).toBeCloseTo(26.2599, 4);
  });

  // github.com/zelti/mkt README: readings 2, 2, 5, 8, 8, 8, 8 °C give MKT 6.25 °C (ΔH/R = 10,000 K).
  it('readings 2, 2, 5, 8, 8, 8, 8 °C give 6.25 °C (zelti/mkt README example)', () => {
    const mkt = meanKineticTemperature([2, 2, 5, 8, 8, 8, 8].map((celsius) => ({ celsius })));
    expect(mkt).toBeCloseTo(6.25, 2);
  });

  it('satisfies its defining identity: exp(−ΔH/(R·MKT)) is the time-weighted mean of exp(−ΔH/(R·T))', () => {
    const samples = [
      { celsius: 24, weight: 3 },
      { celsius: 31.5, weight: 1 },
      { celsius: 18, weight: 2 },
    ];
    const k = 10_000;
    const mkt = meanKineticTemperature(samples) + 273.15;
    const mean = samples.reduce((s, x) => s + x.weight * Math.exp(-k / (x.celsius + 273.15)), 0) / 6;
    expect(Math.exp(-k / mkt) / mean).toBeCloseTo(1, 12);
  });

  it('of a constant temperature is that temperature', () => {
    expect(meanKineticTemperature(Array.from({ length: 50 }, () => ({ celsius: 27.3 })))).toBeCloseTo(27.3, 10);
    expect(meanKineticTemperature([{ celsius: -5, weight: 7 }])).toBeCloseTo(-5, 10);
  });

  it('is at least the time-weighted arithmetic mean, and above it when the temperature varies', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 200; run++) {
      const samples = Array.from({ length: 1 + Math.floor(random() * 30) }, () => ({
        celsius: -10 + random() * 50,
        weight: random() * 10,
      }));
      const weights = samples.reduce((s, x) => s + x.weight, 0);
      const mean = samples.reduce((s, x) => s + x.celsius * x.weight, 0) / weights;
      const mkt = meanKineticTemperature(samples);
      expect(mkt).toBeGreaterThanOrEqual(mean - 1e-9);
      expect(mkt).toBeLessThanOrEqual(Math.max(...samples.map((s) => s.celsius)) + 1e-9);
    }
  });

  it('weights by duration: 3 h at 20 °C and 1 h at 30 °C equals four equal readings 20, 20, 20, 30', () => {
    const weighted = meanKineticTemperature([
      { celsius: 20, weight: 3 * 3_600_000 },
      { celsius: 30, weight: 3_600_000 },
    ]);
    const repeated = meanKineticTemperature([20, 20, 20, 30].map((celsius) => ({ celsius })));
    expect(weighted).toBeCloseTo(repeated, 10);
    // A warm hour weighs more than its share of time: the plain mean is 22.5 °C.
    expect(weighted).toBeGreaterThan(22.5);
    expect(weighted).toBeLessThan(meanKineticTemperature([{ celsius: 20 }, { celsius: 30 }]));
  });

  it('ignores zero-weight samples', () => {
    expect(meanKineticTemperature([{ celsius: 25 }, { celsius: 60, weight: 0 }])).toBeCloseTo(25, 10);
  });

  it('a larger ΔH weighs warm periods more', () => {
    const samples = [{ celsius: 20 }, { celsius: 30 }];
    expect(meanKineticTemperature(samples, 120)).toBeGreaterThan(meanKineticTemperature(samples));
    expect(meanKineticTemperature(samples, 50)).toBeLessThan(meanKineticTemperature(samples));
  });

  it('the CODATA gas constant instead of USP’s would move a storage MKT by under 0.0001 °C', () => {
    const samples = [2, 8, 15, 25, 30, 40].map((celsius) => ({ celsius }));
    const usp = meanKineticTemperature(samples);
    const codata = meanKineticTemperature(
      samples,
      DEFAULT_DELTA_H_KJ_PER_MOL * (GAS_CONSTANT_KJ_PER_MOL_K / 0.008314462618),
    );
    expect(Math.abs(usp - codata)).toBeLessThan(1e-4);
  });

  it('rejects an empty series, temperatures at absolute zero and negative weights', () => {
    expect(() => meanKineticTemperature([])).toThrow(/at least one sample/);
    expect(() => meanKineticTemperature([{ celsius: 10, weight: 0 }])).toThrow(/at least one sample/);
    expect(() => meanKineticTemperature([{ celsius: -273.15 }])).toThrow(/above -273.15/);
    expect(() => meanKineticTemperature([{ celsius: Number.NaN }])).toThrow(/finite/);
    expect(() => meanKineticTemperature([{ celsius: 10, weight: -1 }])).toThrow(/weight/);
    expect(() => meanKineticTemperature([{ celsius: 10 }], 0)).toThrow(/deltaH/);
  });

  it('the accumulator gives the same value as the function and null before any data', () => {
    const acc = createMktAccumulator();
    expect(acc.value()).toBeNull();
    acc.add(20, 1);
    acc.add(30, 1);
    expect(acc.value()).toBeCloseTo(meanKineticTemperature([{ celsius: 20 }, { celsius: 30 }]), 12);
  });
});
