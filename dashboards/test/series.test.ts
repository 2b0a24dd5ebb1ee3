import { describe, expect, it } from 'vitest';
import { planFor } from '../src/chart/ranges.ts';
import { applyLive, summarize, toColumns } from '../src/chart/series.ts';

const M = 60_000;
const T = Date.UTC(2026, 10, 22, 0, 0);

describe('chart series', () => {
  it('turns API rows into columns, filling buckets the API left out with nulls', () => {
    const c = toColumns({
      step: 10 * M,
      to: T + 50 * M,
      aggs: ['avg', 'min', 'max'],
      points: [
        [T, 12, 11, 13],
        [T + 10 * M, null, null, null],
        [T + 40 * M, 14, 13.5, 15],
      ],
    });
    expect(c.ts).toEqual([T, T + 10 * M, T + 20 * M, T + 30 * M, T + 40 * M]);
    expect(c.cols.avg).toEqual([12, null, null, null, 14]);
    expect(c.cols.max).toEqual([13, null, null, null, 15]);
  });

  it('does not invent a gap between buckets less than 1.5 steps apart (local days across a clock change)', () => {
    const D = 86_400_000;
    const c = toColumns({
      step: D,
      to: T + 4 * D,
      aggs: ['sum'],
      points: [
        [T, 1],
        [T + D + 3_600_000, 2],
        [T + 3 * D, 3],
      ],
    });
    expect(c.ts).toEqual([T, T + D + 3_600_000, T + 2 * D + 3_600_000, T + 3 * D]);
    expect(c.cols.sum).toEqual([1, 2, null, 3]);
  });

  it('keeps raw readings as they are', () => {
    const c = toColumns({
      step: null,
      to: T + 10 * M,
      aggs: ['value'],
      points: [
        [T, 1],
        [T + 5 * M, 2],
      ],
    });
    expect(c.cols.value).toEqual([1, 2]);
  });

  it('updates the current bucket of a gauge with a live reading (average, min, max, count)', () => {
    const plan = planFor('gauge');
    const c = toColumns({ step: 10 * M, to: T + 2 * M, aggs: plan.aggs, points: [[T, 12, 11, 13, 2]] });
    const d = applyLive(c, plan, 10 * M, { ts: T + 5 * M, value: 15 }, T);
    expect(d.ts).toEqual([T]);
    expect(d.cols.avg).toEqual([13]);
    expect(d.cols.max).toEqual([15]);
    expect(d.cols.min).toEqual([11]);
    expect(d.cols.count).toEqual([3]);
    expect(c.cols.avg).toEqual([12]); // the input is unchanged
  });

  it('opens new buckets for live readings, empty ones for buckets skipped, and drops those before the window', () => {
    const plan = planFor('gauge');
    const c = toColumns({ step: 10 * M, to: T + 2 * M, aggs: plan.aggs, points: [[T, 12, 11, 13, 2]] });
    const d = applyLive(c, plan, 10 * M, { ts: T + 31 * M, value: 10 }, T + 10 * M);
    expect(d.ts).toEqual([T + 10 * M, T + 20 * M, T + 30 * M]);
    expect(d.cols.avg).toEqual([null, null, 10]);
    expect(d.cols.count).toEqual([null, null, 1]);
    // A reading for a bucket before the newest one is left to the next reload.
    expect(applyLive(d, plan, 10 * M, { ts: T + 12 * M, value: 99 }, T)).toBe(d);
  });

  it('adds a counter reading as the rise since the register value, a drop as a reset', () => {
    const plan = planFor('counter');
    const c = toColumns({ step: 60 * M, to: T + 15 * M, aggs: plan.aggs, points: [[T, 1.5, 100]] });
    const d = applyLive(c, plan, 60 * M, { ts: T + 20 * M, value: 100.75 }, T);
    expect(d.cols.increase).toEqual([2.25]);
    expect(d.cols.last).toEqual([100.75]);
    const e = applyLive(d, plan, 60 * M, { ts: T + 65 * M, value: 0.5 }, T);
    expect(e.cols.increase).toEqual([2.25, 0.5]);
  });

  it('ignores live readings the query already counted, and repeats of a live reading', () => {
    const plan = planFor('counter');
    // The query ran up to T + 15 min; the stream then repeats the reading of T + 10 min (register 100).
    const c = toColumns({ step: 60 * M, to: T + 15 * M, aggs: plan.aggs, points: [[T, 1.5, 100]] });
    expect(applyLive(c, plan, 60 * M, { ts: T + 10 * M, value: 99.5 }, T)).toBe(c);
    const d = applyLive(c, plan, 60 * M, { ts: T + 20 * M, value: 101 }, T);
    expect(applyLive(d, plan, 60 * M, { ts: T + 20 * M, value: 101 }, T)).toBe(d);
    expect(d.cols.increase).toEqual([2.5]);
  });

  it('sums an interval amount (rainfall) into its bucket', () => {
    const plan = planFor('interval');
    const c = toColumns({ step: 60 * M, to: T + 2 * M, aggs: plan.aggs, points: [[T, 1.2]] });
    expect(applyLive(c, plan, 60 * M, { ts: T + 5 * M, value: 0.4 }, T).cols.sum?.[0]).toBeCloseTo(1.6, 10);
  });

  it('summarizes a range: count-weighted mean and extremes of a gauge, total of an amount', () => {
    const gauge = planFor('gauge');
    const c = toColumns({
      step: 10 * M,
      to: T + 30 * M,
      aggs: gauge.aggs,
      points: [
        [T, 10, 9, 11, 1],
        [T + 10 * M, null, null, null, null],
        [T + 20 * M, 13, 12, 16, 3],
      ],
    });
    expect(summarize(c, gauge)).toEqual({ points: 2, avg: 12.25, min: 9, max: 16 });
    const bars = planFor('interval');
    expect(
      summarize(
        toColumns({
          step: M,
          to: T + 2 * M,
          aggs: ['sum'],
          points: [
            [T, 1],
            [T + M, 2.5],
          ],
        }),
        bars,
      ),
    ).toEqual({
      points: 2,
      total: 3.5,
    });
    expect(summarize(toColumns({ step: M, to: T, aggs: ['sum'], points: [] }), bars)).toEqual({ points: 0 });
  });
});
