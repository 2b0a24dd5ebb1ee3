import { AGGREGATIONS, type Bucket, type Point, type TimeSeriesStore } from '@lumbung/store';
import { z } from 'zod';

/** The most points or buckets one query may return; beyond it the caller narrows the range or widens the step. */
export const MAX_POINTS = 100_000;

export const QueryParams = z
  .object({
    village: z.string().min(1),
    device: z.string().min(1),
    metric: z.string().min(1),
    from: z.number().int(),
    to: z.number().int(),
    step: z.number().int().min(1000).optional(),
    aggs: z.array(z.enum(AGGREGATIONS)).min(1).optional(),
    offset: z.number().int().optional(),
    limit: z.number().int().min(1).max(MAX_POINTS).optional(),
  })
  .refine((q) => q.to > q.from, { message: '--to must be after --from', path: ['to'] })
  .refine((q) => q.step === undefined || (q.to - q.from) / q.step <= MAX_POINTS, {
    message: `more than ${MAX_POINTS} buckets: widen --step or narrow the range`,
    path: ['step'],
  });
export type QueryParams = z.infer<typeof QueryParams>;

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
export async function runQuery(store: TimeSeriesStore, q: QueryParams): Promise<QueryResult> {
  const series = { villageId: q.village, deviceId: q.device, metric: q.metric };
  if (q.step === undefined) {
    const limit = q.limit ?? MAX_POINTS;
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
