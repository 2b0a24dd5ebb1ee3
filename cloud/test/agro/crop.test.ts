import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  adjustCropForClimate,
  adjustKcEndForClimate,
  adjustKcForClimate,
  CROP_IDS,
  CROPS,
  cropForPlot,
  estimateRhMin,
  kcCurve,
  seasonLength,
} from '../../src/agro/crop.ts';

describe('Kc climate adjustment (FAO-56 Eq. 62 and 65)', () => {
  it('FAO-56 Example 27: maize Kc mid near Taipei (u2 1.3 m/s, RHmin 75 %) is 1.07', () => {
    expect(adjustKcForClimate(1.2, { u2: 1.3, rhMin: 75 }, 2)).toBeCloseTo(1.07, 2);
  });

  it('FAO-56 Example 27: maize Kc mid near Mocha, Yemen (u2 4.6 m/s, RHmin 44 %) is 1.30', () => {
    expect(adjustKcForClimate(1.2, { u2: 4.6, rhMin: 44 }, 2)).toBeCloseTo(1.3, 2);
  });

  it('FAO-56 Box 15: dry beans at Kimberly (u2 2.2 m/s, RHmin 30 %, h 0.4 m): Kc mid 1.15 becomes 1.19, Kc end 0.35 stays', () => {
    const beans = { kcMid: 1.15, kcEnd: 0.35, maxHeight: 0.4 };
    expect(adjustKcForClimate(beans.kcMid, { u2: 2.2, rhMin: 30 }, beans.maxHeight)).toBeCloseTo(1.19, 2);
    expect(adjustKcEndForClimate(beans.kcEnd, { u2: 2.2, rhMin: 30 }, beans.maxHeight)).toBe(0.35);
  });

  it('FAO-56 Eq. 68: the alfalfa/grass ratio at Kimberly (Kc mid 1.20, h 0.5 m, u2 2.2, RHmin 30) is 1.24', () => {
    expect(adjustKcForClimate(1.2, { u2: 2.2, rhMin: 30 }, 0.5)).toBeCloseTo(1.24, 2);
  });

  it('leaves the standard climate (u2 2 m/s, RHmin 45 %) unadjusted', () => {
    expect(adjustKcForClimate(1.15, { u2: 2, rhMin: 45 }, 1)).toBe(1.15);
  });

  it('holds u2, RHmin and h inside the limits FAO-56 states (1–6 m/s, 20–80 %, 10 m)', () => {
    expect(adjustKcForClimate(1.2, { u2: 12, rhMin: 5 }, 40)).toBe(adjustKcForClimate(1.2, { u2: 6, rhMin: 20 }, 10));
    expect(adjustKcForClimate(1.2, { u2: 0, rhMin: 99 }, 2)).toBe(adjustKcForClimate(1.2, { u2: 1, rhMin: 80 }, 2));
  });

  it('does not adjust crops below 0.1 m, which behave like the grass reference (FAO-56 p. 124)', () => {
    expect(adjustKcForClimate(1.05, { u2: 5, rhMin: 20 }, 0.05)).toBe(1.05);
  });

  it('adjusts Kc end only from 0.45 up (FAO-56 p. 127)', () => {
    const humid = { u2: 1, rhMin: 80 };
    expect(adjustKcEndForClimate(0.44, humid, 2)).toBe(0.44);
    expect(adjustKcEndForClimate(0.45, humid, 2)).toBeLessThan(0.45);
  });

  it('adjusts a catalogue crop: humid, calm Java lowlands lower rice Kc mid and Kc end, not Kc ini', () => {
    const rice = adjustCropForClimate(CROPS.rice, { u2: 1.5, rhMin: 70 });
    // 1.20 + [0.04(−0.5) − 0.004(25)] (1/3)^0.3 = 1.20 − 0.12 × 0.7192
    expect(rice.kcMid).toBeCloseTo(1.2 - 0.12 * (1 / 3) ** 0.3, 10);
    expect(rice.kcEnd).toBeCloseTo(0.9 - 0.12 * (1 / 3) ** 0.3, 10);
    expect(rice.kcIni).toBe(1.05);
  });
});

describe('Kc curve (FAO-56 Eq. 66)', () => {
  const beans = { kcIni: 0.15, kcMid: 1.19, kcEnd: 0.35, stages: { ini: 25, dev: 25, mid: 30, late: 20 } };

  it('FAO-56 Example 28: dry beans on day 20, 40, 70 and 95 have Kc 0.15, 0.77, 1.19 and 0.56', () => {
    expect(kcCurve(beans, 20)).toBe(0.15);
    expect(kcCurve(beans, 40)).toBeCloseTo(0.77, 2);
    expect(kcCurve(beans, 70)).toBe(1.19);
    expect(kcCurve(beans, 95)).toBeCloseTo(0.56, 2);
  });

  it('FAO-56 Figure 36: Kc at the end of day 30 (5 days into development) is 0.36', () => {
    expect(kcCurve(beans, 30)).toBeCloseTo(0.36, 2);
  });

  it('is continuous at the stage boundaries and holds the ends outside the season', () => {
    expect(kcCurve(beans, 25)).toBe(0.15);
    expect(kcCurve(beans, 50)).toBeCloseTo(1.19, 12);
    expect(kcCurve(beans, 80)).toBe(1.19);
    expect(kcCurve(beans, 100)).toBeCloseTo(0.35, 12);
    expect(kcCurve(beans, -3)).toBe(0.15);
    expect(kcCurve(beans, 130)).toBe(0.35);
  });
});

describe('the crop catalogue (FAO-56 Tables 11, 12 and 22)', () => {
  it('has every crop, each with its FAO-56 row named', () => {
    expect(Object.keys(CROPS).sort()).toEqual([...CROP_IDS].sort());
    for (const id of CROP_IDS) {
      expect(CROPS[id].id).toBe(id);
      expect(CROPS[id].source).toMatch(/Table 12/);
      expect(CROPS[id].source).toMatch(/Table 11/);
    }
  });

  it('carries the Table 12 Kc values and heights', () => {
    const kc = Object.fromEntries(
      CROP_IDS.map((id) => [id, [CROPS[id].kcIni, CROPS[id].kcMid, CROPS[id].kcEnd, CROPS[id].maxHeight]]),
    );
    expect(kc).toEqual({
      rice: [1.05, 1.2, 0.9, 1],
      maize: [0.3, 1.2, 0.35, 2],
      tomato: [0.6, 1.15, 0.7, 0.6],
      chilli: [0.6, 1.05, 0.9, 0.7],
    });
  });

  it('carries Table 11 season totals: rice 150, maize 125, tomato 135, sweet pepper 125 days', () => {
    expect(CROP_IDS.map((id) => seasonLength(CROPS[id].stages))).toEqual([150, 125, 135, 125]);
  });

  it('carries the Table 22 depletion fractions', () => {
    expect(CROP_IDS.map((id) => CROPS[id].p)).toEqual([0.2, 0.55, 0.4, 0.3]);
  });
});

describe('per-plot overrides', () => {
  it('replaces only the stage lengths and Kc values given, and says so in the source', () => {
    const plot = cropForPlot('rice', { stages: { ini: 20, mid: 45 }, kcEnd: 0.6 });
    expect(plot.stages).toEqual({ ini: 20, dev: 30, mid: 45, late: 30 });
    expect(plot.kcEnd).toBe(0.6);
    expect(plot.kcMid).toBe(1.2);
    expect(plot.source).toMatch(/overridden for this plot: kcEnd, stages/);
    expect(CROPS.rice.stages.ini).toBe(30);
  });

  it('rejects values no crop has, with a message in both languages', () => {
    expect(() => cropForPlot('maize', { kcMid: 3 })).toThrow(ZodError);
    expect(() => cropForPlot('maize', { kcMid: 3 })).toThrow(/Kc mid maksimal 1,4 \/ Kc mid must be at most 1.4/);
    expect(() => cropForPlot('maize', { stages: { dev: 0 } })).toThrow(ZodError);
    expect(() => cropForPlot('maize', { colour: 'red' } as never)).toThrow(ZodError);
  });

  it('without overrides returns the catalogue values', () => {
    expect(cropForPlot('tomato')).toEqual({ ...CROPS.tomato, stageGdd: undefined });
  });
});

describe('RHmin estimate (FAO-56 Eq. 63 and 64)', () => {
  it('is 100 % when the dewpoint reaches Tmax, and e°(Tdew)/e°(Tmax) otherwise', () => {
    expect(estimateRhMin(30, 30)).toBeCloseTo(100, 10);
    // e°(20) = 2.338 kPa, e°(32) = 4.755 kPa (FAO-56 Annex 2, Table 2.3)
    expect(estimateRhMin(32, 20)).toBeCloseTo((100 * 2.338) / 4.755, 0);
  });
});
