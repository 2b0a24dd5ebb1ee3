import { describe, expect, it } from 'vitest';
import {
  EXPOSURE_POLICY,
  EXPOSURE_REASON_TEXT,
  type LotExposureInput,
  lotExposure,
  type Point,
  type RoomReadings,
} from '../../src/supply/exposure.ts';
import { meanKineticTemperature } from '../../src/supply/mkt.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 4, 11, 0, 0); // 11 May 2026 07:00 WIB

/** Points at T0 + minutes. */
const series = (pairs: [number, number][]): Point[] => pairs.map(([m, value]) => ({ ts: T0 + m * MIN, value }));
const room = (temperature: Point[], humidity: Point[] = []): RoomReadings => ({ temperature, humidity });
const stay = (roomId: string, fromMin: number, toMin: number) => ({
  roomId,
  from: T0 + fromMin * MIN,
  to: T0 + toMin * MIN,
});

/** Every run outside counts as an excursion: the hand-computed cases below count short runs. */
const EVERY_RUN = { ...EXPOSURE_POLICY, minExcursionMs: 0 };

describe('lotExposure: hand-computed cases', () => {
  // Readings at 0, 10, 20 and 60 min: 20, 22, 30, 24 °C; spec 15–25 °C; a reading stands for at most 15 min.
  //   20 °C for [0, 10)   22 °C for [10, 20)   30 °C for [20, 35) (capped at 15 min)   no data [35, 60)
  //   24 °C for [60, 70) (the stay ends at 70)
  // covered 45 min, no data 25 min, outside 15 min in 1 excursion;
  // mean (20·10 + 22·10 + 30·15 + 24·10) / 45 = 1110 / 45 = 24.667 °C.
  const A = room(
    series([
      [0, 20],
      [10, 22],
      [20, 30],
      [60, 24],
    ]),
  );
  const spec = { temperatureMin: 15, temperatureMax: 25 };

  it('caps what a reading stands for at maxGapMs and counts the rest as no data', () => {
    const r = lotExposure({ stays: [stay('A', 0, 70)], readings: { A }, spec, maxGapMs: 15 * MIN, policy: EVERY_RUN });
    const t = r.stays[0]!.temperature;
    expect(t).toMatchObject({
      min: 20,
      max: 30,
      outsideMs: 15 * MIN,
      excursions: 1,
      longestExcursionMs: 15 * MIN,
      noDataMs: 25 * MIN,
      samples: 4,
    });
    expect(t.mean).toBeCloseTo(1110 / 45, 10);
    expect(t.mkt).toBeCloseTo(
      meanKineticTemperature([
        { celsius: 20, weight: 10 },
        { celsius: 22, weight: 10 },
        { celsius: 30, weight: 15 },
        { celsius: 24, weight: 10 },
      ]),
      10,
    );
    expect(r.stays[0]!.durationMs).toBe(70 * MIN);
  });

  // Stay [5, 25): 20 °C for 5 min (the reading at 0 carries in), 22 °C for 10, 30 °C for 5 (clipped at 25).
  it('clips readings to a stay that starts and ends between readings', () => {
    const r = lotExposure({ stays: [stay('A', 5, 25)], readings: { A }, spec, maxGapMs: 15 * MIN, policy: EVERY_RUN });
    const t = r.stays[0]!.temperature;
    expect(t).toMatchObject({ min: 20, max: 30, outsideMs: 5 * MIN, excursions: 1, noDataMs: 0, samples: 3 });
    expect(t.mean).toBeCloseTo((20 * 5 + 22 * 10 + 30 * 5) / 20, 10);
  });

  it('has no data when the last reading before the stay is older than maxGapMs', () => {
    const r = lotExposure({ stays: [stay('A', 40, 50)], readings: { A }, spec, maxGapMs: 15 * MIN, policy: EVERY_RUN });
    expect(r.stays[0]!.temperature).toEqual({
      min: null,
      max: null,
      mean: null,
      mkt: null,
      outsideMs: 0,
      excursionMs: 0,
      excursions: 0,
      longestExcursionMs: 0,
      noDataMs: 10 * MIN,
      samples: 0,
    });
  });

  it('treats a value exactly at a limit as inside', () => {
    const r = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('A', 0, 30)],
      readings: {
        A: room(
          series([
            [0, 15],
            [10, 25],
            [20, 25.0001],
          ]),
          series([
            [0, 40],
            [10, 70],
            [20, 70],
          ]),
        ),
      },
      spec: { ...spec, humidityMin: 40, humidityMax: 70 },
      maxGapMs: 15 * MIN,
    });
    expect(r.stays[0]!.temperature.outsideMs).toBe(10 * MIN);
    expect(r.stays[0]!.humidity.outsideMs).toBe(0);
    expect(r.stays[0]!.humidity.mean).toBeCloseTo(60, 10);
  });

  it('counts a run of readings outside as one excursion until a reading is back inside; gaps do not end it', () => {
    // 30 | 31 | (no data) | 32 | 20 | 30  →  two excursions: [0, 10)+[10, 25)+[40, 50), then [60, 70).
    const r = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('A', 0, 70)],
      readings: {
        A: room(
          series([
            [0, 30],
            [10, 31],
            [40, 32],
            [50, 20],
            [60, 30],
          ]),
        ),
      },
      spec,
      maxGapMs: 15 * MIN,
    });
    const t = r.stays[0]!.temperature;
    expect(t.excursions).toBe(2);
    expect(t.longestExcursionMs).toBe(35 * MIN);
    expect(t.outsideMs).toBe(45 * MIN);
    expect(t.noDataMs).toBe(15 * MIN);
  });

  it('adds up stays in different rooms, and an excursion running on from one room into the next counts once', () => {
    const readings = {
      A: room(
        series([
          [0, 26],
          [10, 27],
          [20, 29],
        ]),
      ),
      B: room(
        series([
          [30, 28],
          [40, 22],
          [50, 22],
        ]),
      ),
    };
    const input: LotExposureInput = {
      stays: [stay('B', 30, 60), stay('A', 0, 30)],
      readings,
      spec,
      maxGapMs: 15 * MIN,
      policy: EVERY_RUN,
    };
    const r = lotExposure(input);
    expect(r.stays.map((s) => s.roomId)).toEqual(['A', 'B']);
    expect(r.stays[0]!.temperature).toMatchObject({ outsideMs: 30 * MIN, excursions: 1, min: 26, max: 29 });
    expect(r.stays[1]!.temperature).toMatchObject({ outsideMs: 10 * MIN, excursions: 1, min: 22, max: 28 });
    expect(r.total.temperature).toMatchObject({
      outsideMs: 40 * MIN,
      excursions: 1,
      longestExcursionMs: 40 * MIN,
      min: 22,
      max: 29,
      samples: 6,
      noDataMs: 0,
    });
    expect(r.total.temperature.mean).toBeCloseTo((26 + 27 + 29 + 28 + 22 + 22) / 6, 10);
    expect(r.total).toMatchObject({ from: T0, to: T0 + 60 * MIN, durationMs: 60 * MIN });

    // Back inside at the end of room A: the excursion in room B is a second one.
    const inside = lotExposure({
      ...input,
      readings: {
        ...readings,
        A: room(
          series([
            [0, 26],
            [10, 27],
            [20, 24],
          ]),
        ),
      },
    });
    expect(inside.total.temperature.excursions).toBe(2);
    expect(inside.total.temperature.longestExcursionMs).toBe(20 * MIN);
  });

  it('uses the readings of the room the lot was in, not another room’s', () => {
    const r = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('B', 0, 10)],
      readings: new Map([
        ['A', room(series([[0, 40]]))],
        ['B', room(series([[0, 20]]))],
      ]),
      spec,
      maxGapMs: 15 * MIN,
    });
    expect(r.stays[0]!.temperature.max).toBe(20);
  });

  it('with no readings at all everything is no data, and a long unmonitored stay asks for inspection', () => {
    const r = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('gudang', 0, 25 * 60)],
      readings: {},
      spec: { temperatureMax: 30, humidityMax: 70 },
      maxGapMs: 15 * MIN,
    });
    expect(r.total.temperature).toMatchObject({ samples: 0, noDataMs: 25 * HOUR, mean: null, mkt: null });
    expect(r.total.humidity).toMatchObject({ samples: 0, noDataMs: 25 * HOUR, mean: null });
    expect(r.total.inspect).toBe(true);
    expect(r.total.reasons).toEqual(['temperature_no_data', 'humidity_no_data']);
    // Without humidity limits, missing humidity data does not matter.
    const t = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('gudang', 0, 25 * 60)],
      readings: {},
      spec: { temperatureMax: 30 },
      maxGapMs: MIN,
    });
    expect(t.total.reasons).toEqual(['temperature_no_data']);
  });

  it('handles no stays, a zero-length stay, and skips non-finite readings as no data', () => {
    expect(lotExposure({ stays: [], readings: {}, spec, maxGapMs: MIN }).total).toMatchObject({
      durationMs: 0,
      inspect: false,
    });
    const r = lotExposure({
      policy: EVERY_RUN,
      stays: [stay('A', 0, 0), stay('A', 0, 20)],
      readings: {
        A: room(
          series([
            [0, 20],
            [10, Number.NaN],
          ]),
        ),
      },
      spec,
      maxGapMs: 15 * MIN,
    });
    expect(r.stays[1]!.temperature).toMatchObject({ samples: 1, noDataMs: 10 * MIN, mean: 20 });
  });

  it('rejects overlapping or backwards stays and a non-positive maxGapMs', () => {
    expect(() =>
      lotExposure({ stays: [stay('A', 0, 30), stay('B', 20, 40)], readings: {}, spec, maxGapMs: MIN }),
    ).toThrow(/overlap/);
    expect(() => lotExposure({ stays: [stay('A', 30, 0)], readings: {}, spec, maxGapMs: MIN })).toThrow(/from <= to/);
    expect(() => lotExposure({ stays: [], readings: {}, spec, maxGapMs: 0 })).toThrow(/maxGapMs/);
  });
});

describe('lotExposure: the inspection policy (EXPOSURE_POLICY)', () => {
  /** A 10-minute series over `hours`, value by minute offset. */
  const every10 = (hours: number, value: (minute: number) => number) =>
    series(Array.from({ length: hours * 6 }, (_, i) => [i * 10, value(i * 10)] as [number, number]));
  const spec = { temperatureMin: 15, temperatureMax: 25, humidityMax: 70 };
  const run = (temperature: Point[], humidity: Point[] = every10(24, () => 60)) =>
    lotExposure({
      stays: [stay('A', 0, 24 * 60)],
      readings: { A: room(temperature, humidity) },
      spec,
      maxGapMs: 15 * MIN,
    }).total;

  it('states its thresholds', () => {
    expect(EXPOSURE_POLICY).toEqual({
      minExcursionMs: 30 * MIN,
      temperatureOutsideMaxMs: 2 * HOUR,
      temperatureExcursionMaxMs: HOUR,
      mktAboveMax: true,
      humidityOutsideMaxMs: 6 * HOUR,
      noDataMaxMs: 24 * HOUR,
    });
    for (const text of Object.values(EXPOSURE_REASON_TEXT)) {
      expect(text.id.length).toBeGreaterThan(0);
      expect(text.en.length).toBeGreaterThan(0);
    }
  });

  it('a steady day inside the spec needs no inspection', () => {
    const r = run(every10(24, () => 22));
    expect(r).toMatchObject({ inspect: false, reasons: [] });
    expect(r.temperature.mkt).toBeCloseTo(22, 10);
  });

  it('exactly 2 h outside in total and exactly 1 h in one excursion is still fine (limits are strict)', () => {
    // 60 min at 28 °C from 02:00 and 60 min from 12:00.
    const r = run(every10(24, (m) => ((m >= 120 && m < 180) || (m >= 720 && m < 780) ? 28 : 20)));
    expect(r.temperature.outsideMs).toBe(2 * HOUR);
    expect(r.temperature.longestExcursionMs).toBe(HOUR);
    expect(r.reasons).toEqual([]);
  });

  it('more than 2 h outside in total, in short excursions, asks for inspection', () => {
    // Three excursions of 50 min: 150 min in total, none longer than an hour.
    const r = run(every10(24, (m) => (m % 480 < 50 ? 28 : 20)));
    expect(r.temperature.excursions).toBe(3);
    expect(r.temperature.outsideMs).toBe(150 * MIN);
    expect(r).toMatchObject({ inspect: true, reasons: ['temperature_outside_total'] });
  });

  it('one excursion longer than an hour asks for inspection', () => {
    const r = run(every10(24, (m) => (m >= 600 && m < 670 ? 28 : 20)));
    expect(r.temperature.longestExcursionMs).toBe(70 * MIN);
    expect(r).toMatchObject({ inspect: true, reasons: ['temperature_excursion_long'] });
  });

  it('MKT above the maximum asks for inspection even when the excursion itself is within the limits', () => {
    // 23 h at 24 °C and 1 h at 40 °C: MKT 25.55 °C > 25 °C (arithmetic mean 24.67 °C).
    const r = run(every10(24, (m) => (m >= 23 * 60 ? 40 : 24)));
    expect(r.temperature.mkt).toBeCloseTo(25.55, 2);
    expect(r.temperature.mean).toBeCloseTo(24.667, 3);
    expect(r).toMatchObject({ inspect: true, reasons: ['temperature_mkt_above_max'] });
  });

  it('more than 6 h of humidity outside in total asks for inspection; 6 h exactly does not', () => {
    const over = run(
      every10(24, () => 22),
      every10(24, (m) => (m < 370 ? 75 : 60)),
    );
    expect(over.humidity.outsideMs).toBe(370 * MIN);
    expect(over.reasons).toEqual(['humidity_outside_total']);
    const exactly = run(
      every10(24, () => 22),
      every10(24, (m) => (m < 360 ? 75 : 60)),
    );
    expect(exactly.reasons).toEqual([]);
  });

  it('a spike shorter than minExcursionMs (a door opened) counts as time outside, not as an excursion', () => {
    // 20 min at 26 °C in every hour for 8 hours: 160 min outside, more than the 2 h limit, but all spikes.
    const r = lotExposure({
      stays: [stay('A', 0, 480)],
      readings: { A: room(every10(48, (m) => (m % 60 < 20 ? 26 : 20))) },
      spec,
      maxGapMs: 15 * MIN,
    });
    expect(r.total.temperature).toMatchObject({ outsideMs: 160 * MIN, excursionMs: 0, excursions: 0 });
    expect(r.total.inspect).toBe(false);
    // The same readings with 40-minute runs: four excursions, 160 min in them, and an inspection.
    const long = lotExposure({
      stays: [stay('A', 0, 480)],
      readings: { A: room(every10(48, (m) => (m % 120 < 40 ? 26 : 20))) },
      spec,
      maxGapMs: 15 * MIN,
    });
    expect(long.total.temperature).toMatchObject({ outsideMs: 160 * MIN, excursionMs: 160 * MIN, excursions: 4 });
    expect(long.total.reasons).toContain('temperature_outside_total');
  });

  it('takes a stricter policy from the caller', () => {
    const r = lotExposure({
      stays: [stay('A', 0, 60)],
      readings: { A: room(every10(1, (m) => (m < 10 ? 26 : 20))) },
      spec,
      maxGapMs: 15 * MIN,
      policy: { ...EXPOSURE_POLICY, minExcursionMs: 0, temperatureExcursionMaxMs: 5 * MIN },
    });
    expect(r.stays[0]!.reasons).toEqual(['temperature_excursion_long']);
    expect(r.total.inspect).toBe(true);
  });
});

describe('lotExposure: 90 days of 1-minute readings', () => {
  // 129,600 readings per metric. Temperature 22 °C with a 30-minute spike to 30 °C every day at 13:00,
  // humidity 60 % with one 7-hour spell at 80 % on day 40, and a 3-hour outage of both sensors on day 60.
  const DAYS = 90;
  const N = DAYS * 1440;
  const outage = (i: number) => i >= 60 * 1440 + 600 && i < 60 * 1440 + 780;
  const temperature: Point[] = [];
  const humidity: Point[] = [];
  for (let i = 0; i < N; i++) {
    if (outage(i)) continue;
    const minuteOfDay = i % 1440;
    temperature.push({ ts: T0 + i * MIN, value: minuteOfDay >= 780 && minuteOfDay < 810 ? 30 : 22 });
    humidity.push({ ts: T0 + i * MIN, value: i >= 40 * 1440 && i < 40 * 1440 + 420 ? 80 : 60 });
  }
  const readings = { gudang: room(temperature, humidity) };
  const spec = { temperatureMax: 25, humidityMax: 70 };
  const maxGapMs = 3 * MIN;

  it('counts every excursion and the outage', () => {
    const r = lotExposure({ stays: [stay('gudang', 0, N)], readings, spec, maxGapMs });
    const t = r.total.temperature;
    expect(t.samples).toBe(N - 180);
    expect(t.excursions).toBe(DAYS);
    expect(t.outsideMs).toBe(DAYS * 30 * MIN);
    expect(t.longestExcursionMs).toBe(30 * MIN);
    // The reading just before the outage stands for 3 minutes (maxGapMs): 2 of them are in the outage.
    expect(t.noDataMs).toBe(178 * MIN);
    expect(r.total.humidity).toMatchObject({ outsideMs: 7 * HOUR, excursions: 1, max: 80, min: 60 });
    expect(r.total.reasons).toEqual(['temperature_outside_total', 'humidity_outside_total']);
  });

  it('gives the same totals whether the 90 days are one stay or three', () => {
    const one = lotExposure({ stays: [stay('gudang', 0, N)], readings, spec, maxGapMs }).total;
    const three = lotExposure({
      stays: [stay('gudang', 0, 30 * 1440), stay('gudang', 30 * 1440, 61 * 1440 + 7), stay('gudang', 61 * 1440 + 7, N)],
      readings,
      spec,
      maxGapMs,
    }).total;
    expect(three.temperature).toMatchObject({ ...one.temperature, mean: expect.any(Number), mkt: expect.any(Number) });
    expect(three.temperature.mean).toBeCloseTo(one.temperature.mean!, 9);
    expect(three.temperature.mkt).toBeCloseTo(one.temperature.mkt!, 9);
    expect(three.humidity).toMatchObject({ ...one.humidity, mean: expect.any(Number) });
  });
});
