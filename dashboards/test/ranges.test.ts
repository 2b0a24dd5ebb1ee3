import { tzOffsetMs } from '@lumbung/schemas/time';
import { describe, expect, it } from 'vitest';
import { bucketing, planFor, RANGE_KEYS, RANGES, windowOf } from '../src/chart/ranges.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_API_POINTS = 10_000; // schemas/src/api.ts; the dashboard imports types only, so the value is repeated here

describe('chart ranges', () => {
  it('bucket lines per 10 min / 1 h / 3 h / 1 d and amounts per hour or local day', () => {
    const gauge = planFor('gauge');
    const counter = planFor('counter');
    expect(RANGE_KEYS.map((k) => bucketing(k, gauge).stepKey)).toEqual(['10m', '1h', '3h', '1d']);
    expect(RANGE_KEYS.map((k) => bucketing(k, counter).stepKey)).toEqual(['1h', '1d', '1d', '1d']);
  });

  it('stay far below the API point limit and give a phone chart enough buckets', () => {
    for (const k of RANGE_KEYS)
      for (const plan of [planFor('gauge'), planFor('interval')]) {
        const n = RANGES[k].span / bucketing(k, plan).step;
        expect(n).toBeLessThanOrEqual(MAX_API_POINTS / 10);
        expect(n).toBeGreaterThanOrEqual(plan.bars ? 7 : 144);
      }
  });

  it('charts gauges as avg with a min-max band, intervals as sums, counters as increases', () => {
    expect(planFor('gauge')).toMatchObject({ main: 'avg', bars: false, aggs: ['avg', 'min', 'max', 'count'] });
    expect(planFor('interval')).toMatchObject({ main: 'sum', bars: true });
    expect(planFor('counter')).toMatchObject({ main: 'increase', bars: true });
    expect(planFor('counter').aggs).toContain('increase');
  });

  it('knows the UTC offsets of WIB, WITA and WIT', () => {
    const t = Date.UTC(2026, 10, 22, 8);
    expect(tzOffsetMs('Asia/Jakarta', t)).toBe(7 * HOUR);
    expect(tzOffsetMs('Asia/Makassar', t)).toBe(8 * HOUR);
    expect(tzOffsetMs('Asia/Jayapura', t)).toBe(9 * HOUR);
    expect(tzOffsetMs('UTC', t)).toBe(0);
  });

  it('starts a window on a bucket boundary: UTC multiples below a day, local midnight for days', () => {
    const now = Date.UTC(2026, 10, 22, 8, 17, 23); // 15.17 WIB
    const w24 = windowOf('24h', 10 * 60_000, now, 'Asia/Jakarta');
    expect(w24.to).toBe(now);
    expect(w24.from).toBe(Date.UTC(2026, 10, 21, 8, 10));
    const w1y = windowOf('1y', DAY, now, 'Asia/Jakarta');
    // Local midnight in Jakarta is 17.00 UTC the day before.
    expect((w1y.from + 7 * HOUR) % DAY).toBe(0);
    expect(now - w1y.from).toBeGreaterThanOrEqual(365 * DAY);
    expect(now - w1y.from).toBeLessThan(366 * DAY);
    const w7 = windowOf('7d', DAY, now, 'Asia/Jayapura');
    expect((w7.from + 9 * HOUR) % DAY).toBe(0);
  });
});
