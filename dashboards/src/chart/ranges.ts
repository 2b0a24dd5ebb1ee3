import type { MetricKind } from '@lumbung/schemas';
import { tzOffsetMs } from '@lumbung/schemas/time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const RANGE_KEYS = ['24h', '7d', '30d', '1y'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
export type StepKey = '10m' | '1h' | '3h' | '1d';

export interface Bucketing {
  step: number;
  stepKey: StepKey;
}

const B: Record<StepKey, Bucketing> = {
  '10m': { step: 10 * MIN, stepKey: '10m' },
  '1h': { step: HOUR, stepKey: '1h' },
  '3h': { step: 3 * HOUR, stepKey: '3h' },
  '1d': { step: DAY, stepKey: '1d' },
};

/**
 * The chart ranges and their bucket widths. A line (a gauge's average with its min-max band) gets 144 to 365
 * buckets: enough for a 360 px phone chart and far below the API's 10,000-point limit; 30 days take 3-hour
 * buckets (240) rather than hourly ones (720), as a phone draws one or two buckets a pixel at best.
 * Bars (amounts: rainfall, kWh, m³) are counted per hour over a day and per local day beyond: meters report
 * every 15 minutes, so 10-minute bars would alternate between one reading's use and none, and people read use
 * per day.
 */
export const RANGES: Record<RangeKey, { span: number; line: Bucketing; bars: Bucketing }> = {
  '24h': { span: DAY, line: B['10m'], bars: B['1h'] },
  '7d': { span: 7 * DAY, line: B['1h'], bars: B['1d'] },
  '30d': { span: 30 * DAY, line: B['3h'], bars: B['1d'] },
  '1y': { span: 365 * DAY, line: B['1d'], bars: B['1d'] },
};

export const bucketing = (range: RangeKey, plan: Pick<ChartPlan, 'bars'>): Bucketing =>
  plan.bars ? RANGES[range].bars : RANGES[range].line;

/** How a metric is charted: a gauge as its average with a min-max band; amounts per bucket as bars. */
export interface ChartPlan {
  aggs: string[];
  /** The aggregation drawn as the main series. */
  main: 'avg' | 'sum' | 'increase';
  bars: boolean;
}

export function planFor(kind: MetricKind): ChartPlan {
  switch (kind) {
    case 'gauge':
      // count lets live readings update the current bucket's average.
      return { aggs: ['avg', 'min', 'max', 'count'], main: 'avg', bars: false };
    case 'interval':
      // An amount per reporting interval (rainfall): the bucket's amount is the sum.
      return { aggs: ['sum'], main: 'sum', bars: true };
    case 'counter':
      // A cumulative register (kWh): the use in a bucket is its increase; last carries the register for live updates.
      return { aggs: ['increase', 'last'], main: 'increase', bars: true };
  }
}

/**
 * The query window of a range: `from` on a bucket boundary so the first bucket is whole (the API starts
 * buckets of a day or more at the village's local midnight, shorter ones on UTC multiples of the step);
 * `to` is now.
 */
export function windowOf(
  range: RangeKey,
  step: number,
  now: number,
  timeZone = 'UTC',
): { from: number; to: number; step: number } {
  const { span } = RANGES[range];
  const offset = step >= DAY ? tzOffsetMs(timeZone, now - span) : 0;
  return { from: Math.floor((now - span + offset) / step) * step - offset, to: now, step };
}
