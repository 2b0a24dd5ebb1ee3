import { describe, expect, it } from 'vitest';
import { type BlastHour, blastamClassify, blastRisk, requiredWetHours, wetPeriods } from '../../src/agro/disease.ts';

const HOUR = 3_600_000;
const WIB = 7 * HOUR; // Asia/Jakarta

/** 24 hours of a local day in Asia/Jakarta; `at(h)` overrides hour h (0–23). */
function day(
  date: string,
  base: Omit<BlastHour, 'time'>,
  at: (h: number) => Partial<BlastHour> = () => ({}),
): BlastHour[] {
  const midnight = Date.parse(`${date}T00:00:00Z`) - WIB;
  return Array.from({ length: 24 }, (_, h) => ({ ...base, ...at(h), time: midnight + h * HOUR }));
}

const dry = (t: number) => ({ temperature: t, rh: 70 });
/** Four dry days at `t` °C, then 5 July with leaves wet from midnight for `wetHours` hours at `wetT` °C. */
function scenario(
  t: number,
  wetHours: number,
  wetT: number,
  extra: (h: number) => Partial<BlastHour> = () => ({}),
): BlastHour[] {
  return [
    ...['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-04'].flatMap((d) => day(d, dry(t))),
    ...day('2024-07-05', dry(t), (h) => ({ ...(h < wetHours ? { temperature: wetT, rh: 95 } : {}), ...extra(h) })),
  ];
}

describe('BLASTAM rules (Hayashi & Koshimizu 1988, as applied by Japanese prefectures: Oita, Shiga, Mie)', () => {
  it('Mie Prefecture table: wet hours needed at 15–25 °C, 17 h at 15 °C down to 10 h from 22 °C', () => {
    expect([15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25].map((t) => requiredWetHours(t))).toEqual([
      17, 15, 14, 13, 12, 11, 11, 10, 10, 10, 10,
    ]);
    expect(requiredWetHours(19.9)).toBe(12);
    expect(requiredWetHours(14.9)).toBeUndefined();
    expect(requiredWetHours(25.1)).toBeUndefined();
  });

  it('favourable (●): wet long enough for its 15–25 °C mean, 5-day mean 20–25 °C, boundaries included', () => {
    expect(blastamClassify(11, 20, 22)).toBe('favourable');
    expect(blastamClassify(17, 15, 22)).toBe('favourable');
    expect(blastamClassify(10, 25, 22)).toBe('favourable');
    expect(blastamClassify(12, 22, 20)).toBe('favourable');
    expect(blastamClassify(12, 22, 25)).toBe('favourable');
  });

  it('quasi-favourable 1 and 2: the 5-day mean below 20 °C or above 25 °C', () => {
    expect(blastamClassify(12, 22, 19.9)).toBe('quasi-1');
    expect(blastamClassify(12, 22, 25.1)).toBe('quasi-2');
  });

  it('quasi-favourable 3: wet 10 hours or more, but at a mean outside 15–25 °C', () => {
    expect(blastamClassify(12, 25.1, 22)).toBe('quasi-3');
    expect(blastamClassify(10, 14.9, 22)).toBe('quasi-3');
  });

  it('quasi-favourable 4: wet 10 hours or more, but fewer than its temperature needs', () => {
    expect(blastamClassify(10, 20, 22)).toBe('quasi-4');
    expect(blastamClassify(16, 15, 22)).toBe('quasi-4');
  });

  it('none: wet less than 10 hours, or two conditions failing', () => {
    expect(blastamClassify(9, 22, 22)).toBe('none');
    expect(blastamClassify(10, 20, 19)).toBe('none');
    expect(blastamClassify(12, 26, 26)).toBe('none');
  });

  it('unknown when the missing 5-day mean would decide', () => {
    expect(blastamClassify(12, 22, undefined)).toBe('unknown');
    expect(blastamClassify(10, 20, undefined)).toBe('unknown');
    expect(blastamClassify(9, 22, undefined)).toBe('none');
  });
});

describe('daily blast risk from hourly station data', () => {
  it('rates a 12-hour wet night at 20 °C after warm days high, with its reasons', () => {
    const days = blastRisk(scenario(22, 12, 20));
    expect(days.map((d) => d.date)).toEqual(['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-04', '2024-07-05']);
    expect(days.slice(0, 4).map((d) => d.risk)).toEqual(['low', 'low', 'low', 'low']);
    const d = days[4]!;
    expect(d).toMatchObject({ code: 'favourable', risk: 'high', label: { id: 'tinggi', en: 'high' } });
    expect(d.wetPeriod).toMatchObject({ hours: 12, meanTemperature: 20 });
    // (4 × 22 + (12 × 20 + 12 × 22)/24)/5
    expect(d.fiveDayMean).toBeCloseTo(21.8, 10);
    expect(d.reasons.map((r) => r.id)).toEqual([
      'Daun basah 12 jam berturut-turut, suhu rata-rata 20,0 °C (perlu 11 jam pada suhu ini).',
      'Rata-rata suhu 5 hari terakhir 21,8 °C (cocok untuk blas: 20–25 °C).',
    ]);
  });

  it('rates 10 wet hours at 20 °C moderate (quasi-favourable 4: 11 needed)', () => {
    expect(blastRisk(scenario(22, 10, 20))[4]).toMatchObject({
      code: 'quasi-4',
      risk: 'moderate',
      label: { id: 'sedang' },
    });
  });

  it('rates 9 wet hours low', () => {
    expect(blastRisk(scenario(22, 9, 20))[4]).toMatchObject({ code: 'none', risk: 'low', label: { id: 'rendah' } });
  });

  it('rates a wet night in the lowland tropics (5-day mean 27 °C) moderate, quasi-favourable 2', () => {
    expect(blastRisk(scenario(27.5, 12, 24))[4]).toMatchObject({ code: 'quasi-2', risk: 'moderate' });
  });

  it('Oita Prefecture: 4 mm of rain in an hour washes the spores off and ends the wet period', () => {
    const split = blastRisk(scenario(22, 12, 20, (h) => (h === 5 ? { rain: 4 } : {})));
    expect(split[4]).toMatchObject({ code: 'none', wetPeriod: { hours: 6 } });
    expect(blastRisk(scenario(22, 12, 20, (h) => (h === 5 ? { rain: 3.9 } : {})))[4]!.code).toBe('favourable');
  });

  it('Oita Prefecture: 3 mm an hour for two hours also ends it', () => {
    const periods = wetPeriods(scenario(22, 12, 20, (h) => (h === 4 || h === 5 ? { rain: 3 } : {})));
    expect(periods.map((p) => p.hours)).toEqual([5, 6]);
    const light = wetPeriods(scenario(22, 12, 20, (h) => (h === 4 || h === 5 ? { rain: 2.9 } : {})));
    expect(light.map((p) => p.hours)).toEqual([12]);
  });

  it('lets wind above 3 m/s dry the leaves, and a missing hour break the wet period', () => {
    expect(blastRisk(scenario(22, 12, 20, (h) => (h === 6 ? { wind: 3.5 } : {})))[4]!.code).toBe('none');
    const gap = scenario(22, 12, 20).filter((h) => h.time !== Date.parse('2024-07-05T06:00:00Z') - WIB);
    expect(wetPeriods(gap).map((p) => p.hours)).toEqual([6, 5]);
  });

  it('gives an overnight wet period to the morning it ends', () => {
    const hours = [
      ...['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-04'].flatMap((d) => day(d, dry(22))),
      ...day('2024-07-05', dry(22), (h) => (h >= 18 ? { temperature: 21, rh: 96 } : {})),
      ...day('2024-07-06', dry(22), (h) => (h < 7 ? { temperature: 21, rh: 96 } : {})),
    ];
    const days = blastRisk(hours);
    expect(days[4]).toMatchObject({ date: '2024-07-05', code: 'none' });
    expect(days[5]).toMatchObject({ date: '2024-07-06', code: 'favourable', wetPeriod: { hours: 13 } });
  });

  it('says unknown when a day of the five lacks temperatures', () => {
    const hours = scenario(22, 12, 20).filter((h) => {
      const local = new Date(h.time + WIB).toISOString();
      return !(local.startsWith('2024-07-02') && local.slice(11, 13) >= '06');
    });
    const d = blastRisk(hours)[4]!;
    expect(d).toMatchObject({ code: 'unknown', risk: 'unknown', fiveDayMean: null, label: { id: 'tidak diketahui' } });
    expect(d.reasons.at(-1)?.en).toBe('Temperature data for the last 5 days are incomplete.');
  });

  it('refuses hours out of order', () => {
    const hours = scenario(22, 12, 20);
    expect(() => blastRisk([hours[1]!, hours[0]!])).toThrow(RangeError);
    expect(blastRisk([])).toEqual([]);
  });
});
