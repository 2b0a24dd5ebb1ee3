import { decodeBatchWire, type MetricCatalogue, type TsSource, timestampProblem } from '@lumbung/schemas';
import type { StoredReading } from '@lumbung/store';

/**
 * Batch checking on the gateway's hot path: `decodeBatchWire` (schemas) decodes and checks the wire structure;
 * here each reading is checked against the metric catalogue and the clock (unknown metric, not finite, out of
 * range, timestamp in the future or before 2020), so one bad sensor value costs one reading, not 5,000.
 */

export const READING_REJECTIONS = [
  'unknown_metric',
  'not_finite',
  'out_of_range',
  'future_ts',
  'ts_before_2020',
] as const;
export type ReadingRejection = (typeof READING_REJECTIONS)[number];

/** The gateway's names for the shared timestamp rule (`timestampProblem`). */
const TS_REJECTION = { future: 'future_ts', too_old: 'ts_before_2020', ok: undefined } as const;

export interface RejectedReading {
  deviceId: string;
  metric: string;
  ts: number;
  value: number;
  seq: number;
}

export interface CheckedBatch {
  batchId: string;
  edgeId: string;
  createdAt: number;
  /** Number of readings in the batch. */
  total: number;
  /** Acceptable readings, ready for the store. */
  readings: StoredReading[];
  /** For each acceptable reading, its (device, metric) pair within the batch: deviceIndex * metrics + metricIndex. */
  pairs: number[];
  /** Unacceptable readings by reason (each list keeps at most `sampleLimit` examples; `counts` has the totals). */
  rejected: Map<ReadingRejection, { count: number; sample: RejectedReading[] }>;
}

export interface CheckOptions {
  villageId: string;
  catalogue: MetricCatalogue;
  /** Receipt time, epoch ms (timestamps beyond now + MAX_FUTURE_SKEW_MS are rejected). */
  now: number;
  sampleLimit?: number;
}

/**
 * Decodes a MessagePack batch and checks it. Throws `BatchDecodeError` ('bad_encoding' | 'invalid_batch') when the
 * batch as a whole is unusable; otherwise returns the acceptable readings and the rejected ones by reason.
 */
export function checkBatch(payload: Uint8Array, opts: CheckOptions): CheckedBatch {
  const w = decodeBatchWire(payload);
  const devs = w.dev;
  const mets = w.met;
  const rows = w.r;
  const { catalogue, villageId, now } = opts;
  const sampleLimit = opts.sampleLimit ?? 20;
  const readings: StoredReading[] = [];
  const pairs: number[] = [];
  const nMet = mets.length;
  const rejected: CheckedBatch['rejected'] = new Map();
  const reject = (reason: ReadingRejection, t: unknown[]) => {
    let e = rejected.get(reason);
    if (!e) rejected.set(reason, (e = { count: 0, sample: [] }));
    e.count++;
    if (e.sample.length < sampleLimit)
      e.sample.push({
        deviceId: devs[t[0] as number]!,
        metric: mets[t[1] as number]!,
        ts: t[2] as number,
        value: t[4] as number,
        seq: t[5] as number,
      });
  };
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] as [number, number, number, 0 | 1, number, number];
    const value = t[4];
    const ts = t[2];
    const problem = catalogue.check(mets[t[1]]!, value) ?? TS_REJECTION[timestampProblem(ts, now) ?? 'ok'];
    if (problem !== undefined) reject(problem, t);
    else {
      pairs.push(t[0] * nMet + t[1]);
      readings.push({
        villageId,
        deviceId: devs[t[0]]!,
        metric: mets[t[1]]!,
        ts,
        value,
        tsSource: (t[3] === 0 ? 'device' : 'edge') as TsSource,
      });
    }
  }
  return {
    batchId: w.id,
    edgeId: w.edge,
    createdAt: w.at,
    total: rows.length,
    readings,
    pairs,
    rejected,
  };
}
