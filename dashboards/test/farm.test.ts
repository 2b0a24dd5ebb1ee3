import { type AgroWeatherDay, IrrigationInput } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import {
  actionLevel,
  addDays,
  irrigationRequest,
  isIsoDate,
  localToday,
  paddyGauge,
  soilGauge,
  stressCoefficient,
  waterGauge,
  weatherRange,
  weatherStrip,
} from '../src/farm.ts';

describe('the soil-water gauge', () => {
  // FAO-56 Example 37: tomato on a silty soil, TAW = 160 mm, RAW = 64 mm (p = 0.4), Dr from 55 mm. Ks of each day
  // is printed from the depletion at the end of the day before; the gauge draws those same three numbers.
  const taw = 160;
  const raw = 64;

  it('FAO-56 Example 37: Ks (Eq. 84) as printed, from the depletion at the start of each of the ten days', () => {
    const startOfDay = [55, 61.0, 67.0, 72.8, 78.3, 83.4, 88.2, 92.6, 96.9, 100.8];
    const printedKs = [1.0, 1.0, 0.97, 0.91, 0.85, 0.8, 0.75, 0.7, 0.66, 0.62];
    startOfDay.forEach((dr, i) => {
      expect(stressCoefficient(dr, taw, raw), `day ${i + 1}`).toBeCloseTo(printedKs[i]!, 2);
    });
  });

  it('FAO-56 Example 37: calm while Dr ≤ RAW (55 mm: 9 mm to go), a warning past it, wilting at TAW', () => {
    const start = soilGauge({ taw, raw, depletion: 55 });
    expect(start).toMatchObject({ state: 'enough', level: 'ok', leftMm: 105, leftBeforeStressMm: 9, ks: 1 });
    expect(start.fill).toBeCloseTo(105 / 160, 10);
    // The unstressed part of the tank is its top: from TAW − RAW = 96 mm left up to full.
    expect(start.band[0]).toBeCloseTo(0.6, 10);
    expect(start.band[1]).toBe(1);
    expect(soilGauge({ taw, raw, depletion: 64 }).state).toBe('enough');
    const day3 = soilGauge({ taw, raw, depletion: 67 });
    expect(day3).toMatchObject({ state: 'stress', level: 'warn', leftBeforeStressMm: 0 });
    expect(day3.ks).toBeCloseTo(0.97, 2);
    expect(soilGauge({ taw, raw, depletion: 160 })).toMatchObject({ state: 'wilting', level: 'bad', fill: 0, ks: 0 });
  });

  it('holds a depletion outside 0–TAW to the tank (FAO-56 Eq. 86) instead of drawing past its ends', () => {
    expect(soilGauge({ taw, raw, depletion: -5 })).toMatchObject({ fill: 1, leftMm: 160, state: 'enough' });
    expect(soilGauge({ taw, raw, depletion: 200 })).toMatchObject({ fill: 0, leftMm: 0, state: 'wilting' });
    expect(soilGauge({ taw: 0, raw: 0, depletion: 0 }).fill).toBe(0);
  });

  it('shows a paddy against continuous flooding at 3–5 cm (docs/agronomy.md, paddyAdvice), too little and too much', () => {
    const target = { targetMinMm: 30, targetMaxMm: 50 };
    expect(paddyGauge({ pondingMm: 20, ...target })).toMatchObject({ state: 'low', level: 'warn' });
    expect(paddyGauge({ pondingMm: 30, ...target })).toMatchObject({ state: 'ok', level: 'ok' });
    expect(paddyGauge({ pondingMm: 50, ...target }).state).toBe('ok');
    expect(paddyGauge({ pondingMm: 60, ...target })).toMatchObject({ state: 'high', level: 'warn' });
    // The bar runs to 1.5 × 50 = 75 mm: the target band is 30/75 to 50/75, 40 mm fills 40/75.
    const g = paddyGauge({ pondingMm: 40, ...target });
    expect(g.band[0]).toBeCloseTo(0.4, 10);
    expect(g.band[1]).toBeCloseTo(2 / 3, 10);
    expect(g.fill).toBeCloseTo(40 / 75, 10);
    expect(paddyGauge({ pondingMm: 150, ...target }).fill).toBe(1);
    expect(paddyGauge({ pondingMm: -3, ...target })).toMatchObject({ fill: 0, state: 'low' });
  });

  it("picks the gauge by the API's water model", () => {
    expect(waterGauge({ model: 'soil', taw, raw, depletion: 70, ks: 0.9, correctedByProbe: false }).state).toBe(
      'stress',
    );
    expect(waterGauge({ model: 'paddy', pondingMm: 40, targetMinMm: 30, targetMaxMm: 50 }).state).toBe('ok');
  });

  it('colours the advice by how soon: today urgent, tomorrow soon, later or never calm', () => {
    expect(actionLevel('now')).toBe('bad');
    expect(actionLevel('tomorrow')).toBe('warn');
    expect(actionLevel('later')).toBe('ok');
    expect(actionLevel('none')).toBe('ok');
  });
});

const wday = (date: string, et0: number | null, rainfall: number | null): AgroWeatherDay => ({
  date,
  tmax: 32,
  tmin: 23,
  rhmax: 95,
  rhmin: 60,
  windSpeed: 1.5,
  solarRadiation: 18,
  rainfall,
  coverage: et0 === null ? 0.2 : 1,
  et0,
  method: 'fao56-full',
  intermediates: {},
});

describe('the 14-day weather strip', () => {
  it('is the fourteen whole local days ending yesterday (today has no ET0 yet), across a month and a year end', () => {
    expect(weatherRange('2026-11-15')).toEqual({ from: '2026-11-01', to: '2026-11-14' });
    expect(weatherRange('2027-01-06')).toEqual({ from: '2026-12-23', to: '2027-01-05' });
    expect(weatherRange('2028-03-01', 2)).toEqual({ from: '2028-02-28', to: '2028-02-29' });
  });

  it('has a column for every day, also those the API left out, with sums over the days that have values', () => {
    const days = [
      wday('2026-11-01', 4, 0),
      wday('2026-11-02', 5, 2),
      wday('2026-11-04', null, 10),
      wday('2026-11-14', 3, 0),
    ];
    const s = weatherStrip(days, '2026-11-01', '2026-11-14');
    expect(s.days.map((d) => d.date)).toEqual(Array.from({ length: 14 }, (_, i) => addDays('2026-11-01', i)));
    expect(s.days[2]).toMatchObject({ date: '2026-11-03', et0: null, rain: null, et0Share: 0, rainShare: 0 });
    expect(s.et0Total).toBe(12);
    expect(s.rainTotal).toBe(12);
    // ET0 − rain over the days with both: (4 − 0) + (5 − 2) + (3 − 0); the 4th has rain but no ET0.
    expect(s.balance).toBe(10);
    expect(s.missing).toBe(11);
    // One millimetre scale for both: here the highest value, 10 mm (at least 10 mm, twice the highest ET0).
    expect(s.scaleMm).toBe(10);
    expect(s.days[1]).toMatchObject({ et0Share: 0.5, rainShare: 0.2, rainClipped: false });
  });

  it('cuts a storm at twice the highest ET0 rather than flattening every ET0 bar', () => {
    const s = weatherStrip([wday('2026-11-01', 6, 0), wday('2026-11-02', 4, 80)], '2026-11-01', '2026-11-02');
    expect(s.scaleMm).toBe(12);
    expect(s.days[0]!.et0Share).toBeCloseTo(0.5, 10);
    expect(s.days[1]).toMatchObject({ rainShare: 1, rainClipped: true });
    // A dry fortnight: the scale is the highest ET0.
    expect(weatherStrip([wday('2026-11-01', 5, 0)], '2026-11-01', '2026-11-01').scaleMm).toBe(5);
  });
});

describe('the irrigation form', () => {
  const today = '2026-11-14';
  const ok = (mm: string, note = '', date = today) => irrigationRequest({ date, mm, note }, today);

  it('sends the depth with a decimal comma or point, the note trimmed, and the API accepts it (IrrigationInput)', () => {
    const r = ok('12,5', '  pompa sumur  ');
    expect(r).toEqual({ ok: true, body: { date: today, mm: 12.5, note: 'pompa sumur' } });
    if (r.ok) expect(IrrigationInput.parse(r.body)).toEqual(r.body);
    expect(ok('8')).toEqual({ ok: true, body: { date: today, mm: 8, note: null } });
    expect(ok('300', '', '2026-11-01')).toMatchObject({ ok: true, body: { mm: 300, date: '2026-11-01' } });
  });

  it('refuses what the API would: no depth, zero, negative, over 300 mm, a long note, a date that is not one', () => {
    expect(ok('')).toEqual({ ok: false, problem: 'mm' });
    expect(ok('0')).toEqual({ ok: false, problem: 'mm' });
    expect(ok('-3')).toEqual({ ok: false, problem: 'mm' });
    expect(ok('banyak')).toEqual({ ok: false, problem: 'mm' });
    expect(ok('300,1')).toEqual({ ok: false, problem: 'mmTooLarge' });
    expect(ok('5', 'x'.repeat(301))).toEqual({ ok: false, problem: 'note' });
    expect(ok('5', '', '2026-02-30')).toEqual({ ok: false, problem: 'date' });
    expect(ok('5', '', '14/11/2026')).toEqual({ ok: false, problem: 'date' });
  });

  it('refuses a date after today: irrigation is recorded once done', () => {
    expect(ok('5', '', '2026-11-15')).toEqual({ ok: false, problem: 'future' });
  });
});

describe('local days', () => {
  it("takes today from the village's zone, not the phone's: 00:30 WIB is already the 1st", () => {
    const t = Date.UTC(2026, 9, 31, 17, 30);
    expect(localToday(t, 'Asia/Jakarta')).toBe('2026-11-01');
    expect(localToday(t, 'Asia/Jayapura')).toBe('2026-11-01');
    expect(localToday(Date.UTC(2026, 9, 31, 16, 30), 'Asia/Jakarta')).toBe('2026-10-31');
    expect(localToday(Date.UTC(2026, 9, 31, 16, 30), 'Asia/Makassar')).toBe('2026-11-01');
  });

  it('moves dates by calendar days and knows a real date', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
  });
});
