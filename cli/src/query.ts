import { MAX_QUERY_POINTS, type ReadingsQuery } from '@lumbung/schemas';
import type { Bucket, Point, TimeSeriesStore } from '@lumbung/store';

export type QueryResult =
  | {
      series: { villageId: string; deviceId: string; metric: string };
      kind: 'raw';
      points: Point[];
      truncated: boolean;
    }
  | {
      series: { villageId: string; deviceId: string; metric: string };
      kind: 'buckets';
      step: number;
      buckets: Bucket[];
    };

/** Runs a query against a store: raw points without a step, buckets with one. */
export async function runQuery(store: TimeSeriesStore, q: ReadingsQuery): Promise<QueryResult> {
  const series = { villageId: q.village, deviceId: q.device, metric: q.metric };
  if (q.step === undefined) {
    const limit = q.limit ?? MAX_QUERY_POINTS;
    const points = await store.queryRaw({ ...series, from: q.from, to: q.to, limit: limit + 1 });
    return { series, kind: 'raw', points: points.slice(0, limit), truncated: points.length > limit };
  }
  const buckets = await store.queryBuckets({
    ...series,
    from: q.from,
    to: q.to,
    step: q.step,
    aggs: q.aggs ?? ['avg'],
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
  });
  return { series, kind: 'buckets', step: q.step, buckets };
}
