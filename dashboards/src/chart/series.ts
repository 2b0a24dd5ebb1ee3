import type { ReadingsResponse } from '@lumbung/schemas';
import type { ChartPlan } from './ranges.ts';

/** Buckets as columns (uPlot's layout): `ts` in epoch ms, one column per aggregation. */
export interface Columns {
  ts: number[];
  cols: Record<string, (number | null)[]>;
  /** Readings before this time are counted already (the query's `to`, then the newest live reading). */
  through: number;
}

/**
 * Rows of the API ([ts, agg1, agg2, …]) as columns. Buckets the API left out (no readings) come back as nulls,
 * so a chart breaks its line there instead of drawing across a gap. Day buckets may differ from `step` by an
 * hour where a time zone changes its clock: a gap counts only when it is at least 1.5 steps.
 */
export function toColumns(res: Pick<ReadingsResponse, 'aggs' | 'points' | 'step' | 'to'>): Columns {
  const ts: number[] = [];
  const cols: Columns['cols'] = {};
  for (const a of res.aggs) cols[a] = [];
  const step = res.step;
  for (const row of res.points) {
    const t = row[0] as number;
    const prev = ts[ts.length - 1];
    if (step && prev !== undefined && t - prev >= 1.5 * step) {
      for (let g = prev + step; t - g >= 0.5 * step; g += step) {
        ts.push(g);
        for (const a of res.aggs) cols[a]!.push(null);
      }
    }
    ts.push(t);
    res.aggs.forEach((a, i) => {
      cols[a]!.push(row[i + 1] ?? null);
    });
  }
  return { ts, cols, through: res.to };
}

const lastNumber = (xs: (number | null)[] | undefined): number | undefined => {
  if (!xs) return undefined;
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] != null) return xs[i] as number;
  return undefined;
};

/**
 * Adds a live reading (from the stream) to the buckets, as the server would have counted it: the current
 * bucket's average, min, max and count, the sum of an amount, or the increase of a cumulative register since
 * its previous value (a drop is a meter reset: the new value is the increase, as in the store). Buckets skipped
 * since the last one are added empty. Returns new columns; the input is not changed. `from` drops older buckets.
 * A reading the columns already count (the stream may repeat what the query returned) changes nothing.
 */
export function applyLive(
  c: Columns,
  plan: ChartPlan,
  step: number,
  reading: { ts: number; value: number },
  from: number,
): Columns {
  if (reading.ts < c.through) return c;
  const start = Math.floor(reading.ts / step) * step;
  const last = c.ts[c.ts.length - 1];
  if (last !== undefined && start < last) return c; // late reading for an older bucket: left to the next reload
  const ts = [...c.ts];
  const cols: Columns['cols'] = {};
  for (const [k, v] of Object.entries(c.cols)) cols[k] = [...v];
  const register = lastNumber(cols['last']);
  if (last === undefined || start > last) {
    for (let t = last === undefined ? start : last + step; t <= start; t += step) {
      ts.push(t);
      for (const k of Object.keys(cols)) cols[k]!.push(null);
    }
  }
  const i = ts.length - 1;
  const v = reading.value;
  const get = (k: string) => cols[k]?.[i] ?? null;
  const set = (k: string, x: number | null) => {
    if (cols[k]) cols[k]![i] = x;
  };
  if (plan.main === 'avg') {
    const n = get('count') ?? 0;
    const avg = get('avg');
    set('avg', avg === null || n === 0 ? v : (avg * n + v) / (n + 1));
    set('count', n + 1);
    const lo = get('min');
    const hi = get('max');
    set('min', lo === null ? v : Math.min(lo, v));
    set('max', hi === null ? v : Math.max(hi, v));
  } else if (plan.main === 'sum') {
    set('sum', (get('sum') ?? 0) + v);
  } else {
    // Without a previous register value the first reading adds nothing (it has no predecessor).
    const rise = register === undefined ? 0 : v >= register ? v - register : v;
    set('increase', (get('increase') ?? 0) + rise);
    set('last', v);
  }
  let cut = 0;
  while (cut < ts.length && ts[cut]! < from) cut++;
  if (cut > 0) {
    ts.splice(0, cut);
    for (const k of Object.keys(cols)) cols[k]!.splice(0, cut);
  }
  return { ts, cols, through: reading.ts + 1 };
}

export interface Summary {
  /** Buckets with a value of the main aggregation. */
  points: number;
  avg?: number;
  min?: number;
  max?: number;
  total?: number;
}

/** What the chart's caption says in words: the range's mean, extremes or total. */
export function summarize(c: Columns, plan: ChartPlan): Summary {
  const main = c.cols[plan.main] ?? [];
  let points = 0;
  let total = 0;
  let weighted = 0;
  let weight = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  main.forEach((v, i) => {
    if (v == null) return;
    points++;
    total += v;
    if (plan.main === 'avg') {
      const n = c.cols['count']?.[i] ?? 1;
      weighted += v * n;
      weight += n;
      lo = Math.min(lo, c.cols['min']?.[i] ?? v);
      hi = Math.max(hi, c.cols['max']?.[i] ?? v);
    }
  });
  if (points === 0) return { points };
  if (plan.main !== 'avg') return { points, total };
  return { points, avg: weighted / weight, min: lo, max: hi };
}
