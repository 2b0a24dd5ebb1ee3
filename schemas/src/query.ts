import { z } from 'zod';

/** Aggregations over a time bucket; their exact semantics are in store/src/port.ts (`BucketQuery`). */
export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count', 'last', 'increase', 'rate'] as const;
export const Aggregation = z.enum(AGGREGATIONS);
export type Aggregation = z.infer<typeof Aggregation>;

/** The most points or buckets one query may return; beyond it the caller narrows the range or widens the step. */
export const MAX_QUERY_POINTS = 100_000;

/**
 * A readings query: raw readings of one series in [from, to), or buckets with `step`. Used by `lumbung query`
 * and the store query endpoint of a running process.
 */
export const ReadingsQuery = z
  .object({
    village: z.string().min(1),
    device: z.string().min(1),
    metric: z.string().min(1),
    from: z.number().int().describe('Inclusive start, epoch ms'),
    to: z.number().int().describe('Exclusive end, epoch ms'),
    step: z.number().int().min(1000).optional().describe('Bucket width in ms; without it, raw readings'),
    aggs: z.array(Aggregation).min(1).optional().describe('With step: aggregations (default avg)'),
    offset: z.number().int().optional().describe('Bucket alignment in ms, e.g. -25200000 for local days in WIB'),
    limit: z.number().int().min(1).max(MAX_QUERY_POINTS).optional().describe('At most this many raw readings'),
  })
  .refine((q) => q.to > q.from, { message: '--to must be after --from', path: ['to'] })
  .refine((q) => q.step === undefined || (q.to - q.from) / q.step <= MAX_QUERY_POINTS, {
    message: `more than ${MAX_QUERY_POINTS} buckets: widen --step or narrow the range`,
    path: ['step'],
  });
export type ReadingsQuery = z.infer<typeof ReadingsQuery>;
