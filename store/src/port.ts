import type { TsSource } from '@lumbung/schemas';

/** Identifies one time series: a metric of a device in a village. */
export interface SeriesKey {
  villageId: string;
  deviceId: string;
  metric: string;
}

/** A reading to store. `ts` is epoch milliseconds UTC; `value` is in the metric's canonical unit. */
export interface StoredReading extends SeriesKey {
  ts: number;
  value: number;
  tsSource: TsSource;
}

export interface WriteResult {
  /** Readings newly stored. */
  written: number;
  /** Readings already present with the same (village, device, metric, ts) and therefore not stored again. */
  duplicates: number;
}

export interface Point {
  ts: number;
  value: number;
}

/**
 * Aggregations over a bucket [start, start + step):
 * avg, min, max, sum, count, last (value of the latest sample in the bucket), and for counters
 * (cumulative meters) `increase`: the sum of the positive differences between consecutive samples whose
 * later sample lies in the bucket, where a drop counts as a reset and adds the new value itself
 * (the Prometheus convention), so buckets add up to the whole period; `rate` = increase / step seconds.
 */
export { AGGREGATIONS } from '@lumbung/schemas';

import type { Aggregation } from '@lumbung/schemas';

export type { Aggregation };

export interface RangeQuery extends SeriesKey {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

export interface BucketQuery extends RangeQuery {
  /** Bucket width in ms (>= 1000). */
  step: number;
  aggs: readonly Aggregation[];
  /**
   * Buckets start at offset + k * step (epoch ms). Default 0 (UTC-aligned). A village's local day
   * uses -utcOffset, e.g. step 86_400_000 and offset -25_200_000 for Asia/Jakarta (UTC+7).
   */
  offset?: number;
}

/** One bucket: start time and one value per requested aggregation. Buckets with no samples are omitted. */
export interface Bucket {
  ts: number;
  values: Partial<Record<Aggregation, number>>;
}

export interface SeriesFilter {
  villageId?: string;
  deviceId?: string;
  metric?: string;
}

export interface SeriesInfo extends SeriesKey {
  /** Time of the newest sample, epoch ms. */
  lastTs: number;
}

export interface LatestPoint extends SeriesKey, Point {}

/**
 * The time-series store port. Every adapter passes the one contract suite in `test/testing.ts` (`@lumbung/store/testing`).
 * Semantics all adapters share:
 * - write() resolves only when the readings are durable (survive a crash of this process);
 * - (village, device, metric, ts) identifies a sample: writing it again is a duplicate, not a second sample
 *   (the first value written is kept);
 * - queries see every write that has resolved.
 */
export interface TimeSeriesStore {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  write(readings: readonly StoredReading[]): Promise<WriteResult>;
  /** Raw samples in [from, to), oldest first. `limit` caps the number returned (oldest first). */
  queryRaw(q: RangeQuery & { limit?: number }): Promise<Point[]>;
  /** Aggregated buckets in [from, to), oldest first. */
  queryBuckets(q: BucketQuery): Promise<Bucket[]>;
  /** The newest sample of each series matching the filter (villageId required). */
  latest(filter: SeriesFilter & { villageId: string }): Promise<LatestPoint[]>;
  listSeries(filter: SeriesFilter): Promise<SeriesInfo[]>;
  /** Deletes (or makes unreachable) every sample older than `before`; returns when done. */
  deleteBefore(before: number, filter?: SeriesFilter): Promise<void>;
}
