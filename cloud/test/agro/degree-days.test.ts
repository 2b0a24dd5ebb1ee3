import { describe, expect, it } from 'vitest';
import { CROP_IDS, CROPS, cropForPlot } from '../../src/agro/crop.ts';
import { dailyGdd, estimateStage, GDD_PARAMS, gddSeries } from '../../src/agro/degree-days.ts';
import { fahrenheitToCelsius } from '../../src/agro/humidity.ts';

// The US "86/50" corn degree-day in °C: base 10 °C (50 °F), upper threshold 30 °C (86 °F).
const corn = { base: 10, upper: 30 };
const f = fahrenheitToCelsius;
/** °F·day → °C·day */
const dd = (fdd: number) => (fdd * 5) / 9;

describe('daily growing degree-days', () => {
  it('Ohio State University Extension (Karhoff 2023), 86/50 method: Tmax 87 °F, Tmin 63 °F give 24.5 GDD (°F)', () => {
    expect(dailyGdd(f(87), f(63), corn)).toBeCloseTo(dd(24.5), 10);
  });

  it('AgWeb "What are growing degree days?": 81/63 °F give 22 GDD and 68/44 °F give 9 GDD (°F)', () => {
    expect(dailyGdd(f(81), f(63), corn)).toBeCloseTo(dd(22), 10);
    expect(dailyGdd(f(68), f(44), corn)).toBeCloseTo(dd(9), 10);
  });

  it('McMaster & Wilhelm (1997): with only Tmin below the base, Method 1 accumulates fewer GDD than Method 2', () => {
    // Tmax 20 °C, Tmin 0 °C, base 10 °C: Method 1 holds the mean (10 °C) → 0; Method 2 holds Tmin → (20 + 10)/2 − 10 = 5
    expect(dailyGdd(20, 0, { base: 10, method: 1 })).toBe(0);
    expect(dailyGdd(20, 0, { base: 10, method: 2 })).toBe(5);
    expect(dailyGdd(20, 0, { base: 10 })).toBe(5);
  });

  it('holds both extremes at the upper threshold and never goes negative', () => {
    expect(dailyGdd(35, 25, corn)).toBe(17.5);
    expect(dailyGdd(36, 32, corn)).toBe(20);
    expect(dailyGdd(8, 2, corn)).toBe(0);
    expect(dailyGdd(33, 24, { base: 10, upper: 30, method: 1 })).toBe(18.5);
  });
});

describe('degree-days since planting', () => {
  it('Waushara Argus "Calculating growing degree days" (2018) three-day corn example: 90/65, 72/46, 63/42 °F sum to 43 GDD (°F)', () => {
    const s = gddSeries(
      [
        { tmax: f(90), tmin: f(65) },
        { tmax: f(72), tmin: f(46) },
        { tmax: f(63), tmin: f(42) },
      ],
      corn,
    );
    expect(s.daily.map((g) => g / (5 / 9))).toEqual([
      expect.closeTo(25.5, 10),
      expect.closeTo(11, 10),
      expect.closeTo(6.5, 10),
    ]);
    expect(s.cumulative.map((g) => g / (5 / 9))).toEqual([
      expect.closeTo(25.5, 10),
      expect.closeTo(36.5, 10),
      expect.closeTo(43, 10),
    ]);
    expect(s.total).toBeCloseTo(dd(43), 10);
  });

  it('refuses a day with Tmin above Tmax, naming it', () => {
    expect(() =>
      gddSeries(
        [
          { tmax: 30, tmin: 22 },
          { tmax: 20, tmin: 25 },
        ],
        corn,
      ),
    ).toThrow(/day 2/);
    expect(() => gddSeries([{ tmax: Number.NaN, tmin: 22 }], corn)).toThrow(RangeError);
  });

  it('has thresholds for every crop, each with a source', () => {
    expect(Object.keys(GDD_PARAMS).sort()).toEqual([...CROP_IDS].sort());
    for (const id of CROP_IDS) expect(GDD_PARAMS[id].source.length).toBeGreaterThan(20);
    expect(GDD_PARAMS.maize).toMatchObject({ base: 10, upper: 30 });
  });
});

describe('growth stage', () => {
  const rice = CROPS.rice; // 30/30/60/30 days (FAO-56 Table 11)

  it('follows the Table 11 lengths, day Lini still initial as in FAO-56 Eq. 66', () => {
    const at = (d: number) => estimateStage(rice, d).stage;
    expect([0, 30, 31, 60, 61, 120, 121, 150, 151].map(at)).toEqual([
      'ini',
      'ini',
      'dev',
      'dev',
      'mid',
      'mid',
      'late',
      'late',
      'harvest',
    ]);
  });

  it('names the stage in Bahasa Indonesia and English', () => {
    const labels = [10, 45, 90, 140, 200].map((d) => estimateStage(rice, d).label);
    expect(labels).toEqual([
      { id: 'awal', en: 'initial' },
      { id: 'perkembangan', en: 'development' },
      { id: 'pertengahan', en: 'mid-season' },
      { id: 'akhir', en: 'late season' },
      { id: 'panen', en: 'harvest' },
    ]);
  });

  it('says how far into the stage and how long to harvest', () => {
    expect(estimateStage(rice, 45)).toMatchObject({ stage: 'dev', progress: 0.5, remaining: 105, basis: 'days' });
    expect(estimateStage(rice, 200)).toMatchObject({ stage: 'harvest', progress: 1, remaining: 0 });
  });

  it('uses degree-days when the plot has calibrated its stages in degree-days', () => {
    const plot = cropForPlot('rice', { stageGdd: { ini: 400, dev: 400, mid: 800, late: 400 } });
    expect(estimateStage(plot, 20, 900)).toMatchObject({ stage: 'mid', basis: 'gdd', remaining: 1100 });
    expect(estimateStage(plot, 20)).toMatchObject({ stage: 'ini', basis: 'days' });
    expect(estimateStage(rice, 20, 900)).toMatchObject({ stage: 'ini', basis: 'days' });
  });
});
