import {
  BatchDecodeError,
  ID_PATTERN,
  MAX_FUTURE_SKEW_MS,
  type MetricCatalogue,
  MIN_DEVICE_TS,
  type TsSource,
} from '@lumbung/schemas';
import type { StoredReading } from '@lumbung/store';
import { Unpackr } from 'msgpackr';

/**
 * Batch decoding on the gateway's hot path.
 *
 * `decodeBatch` from @lumbung/schemas validates with zod (about 650k readings/s) and rejects the whole batch when
 * one value is not finite. The gateway instead checks the same wire structure by hand (`UplinkBatchWire`: same
 * limits, same integer and id rules; test/decode.test.ts holds the two side by side) and sorts out individual
 * readings that are not acceptable (unknown metric, not finite, out of range, timestamp in the future or before
 * 2020), so one bad sensor value costs one reading, not 5,000.
 */

// Same options as the schemas' Packr, so the same bytes decode to the same values.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export const READING_REJECTIONS = [
  'unknown_metric',
  'not_finite',
  'out_of_range',
  'future_ts',
  'ts_before_2020',
] as const;
export type ReadingRejection = (typeof READING_REJECTIONS)[number];

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

const MAX_READINGS = 50_000;
const UINT32_MAX = 0xffffffff;

const fail = (message: string): never => {
  throw new BatchDecodeError('invalid_batch', message);
};

const isStr = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);
// zod 4's .int() accepts safe integers only.
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

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
  let w: Record<string, unknown>;
  try {
    w = unpackr.unpack(payload) as Record<string, unknown>;
  } catch (err) {
    throw new BatchDecodeError('bad_encoding', `not MessagePack: ${(err as Error).message}`);
  }
  if (typeof w !== 'object' || w === null || Array.isArray(w)) fail('not an object');
  if (w.v !== 1) fail('v: expected 1');
  if (!isStr(w.id, 1, 80)) fail('id: expected a string of 1-80 characters');
  if (!isId(w.edge)) fail('edge: not an edge id');
  if (!isInt(w.at) || (w.at as number) <= 0) fail('at: expected a positive integer');
  const dev = w.dev;
  if (!Array.isArray(dev) || dev.length < 1) fail('dev: expected a non-empty array');
  for (let i = 0; i < (dev as unknown[]).length; i++)
    if (!isId((dev as unknown[])[i])) fail(`dev[${i}]: not a device id`);
  const met = w.met;
  if (!Array.isArray(met) || met.length < 1) fail('met: expected a non-empty array');
  for (let i = 0; i < (met as unknown[]).length; i++)
    if (!isStr((met as unknown[])[i], 1, 63)) fail(`met[${i}]: expected a string of 1-63 characters`);
  const r = w.r;
  if (!Array.isArray(r) || r.length < 1 || r.length > MAX_READINGS) fail(`r: expected 1-${MAX_READINGS} readings`);

  const devs = dev as string[];
  const mets = met as string[];
  const rows = r as unknown[];
  // Structure first, over the whole batch: a structurally invalid reading invalidates the batch, as in the schema.
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] as unknown[];
    if (!Array.isArray(t) || t.length !== 6) fail(`r[${i}]: expected a 6-tuple`);
    const d = t[0];
    const m = t[1];
    const ts = t[2];
    const src = t[3];
    const seq = t[5];
    if (!isInt(d) || d < 0 || !isInt(m) || m < 0) fail(`r[${i}]: indices must be non-negative integers`);
    if ((d as number) >= devs.length || (m as number) >= mets.length)
      fail(`reading ${i}: device or metric index out of range`);
    if (!isInt(ts) || ts <= 0) fail(`r[${i}][2]: ts must be a positive integer`);
    if (src !== 0 && src !== 1) fail(`r[${i}][3]: tsSource must be 0 or 1`);
    if (typeof t[4] !== 'number') fail(`r[${i}][4]: value must be a number`);
    if (!isInt(seq) || seq < 0 || seq > UINT32_MAX) fail(`r[${i}][5]: seq must be an integer 0-4294967295`);
  }

  const { catalogue, villageId, now } = opts;
  const sampleLimit = opts.sampleLimit ?? 20;
  const maxTs = now + MAX_FUTURE_SKEW_MS;
  const defs = mets.map((name) => catalogue.get(name));
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
    const def = defs[t[1]];
    const value = t[4];
    const ts = t[2];
    // Same order of checks as MetricCatalogue.check.
    if (def === undefined) reject('unknown_metric', t);
    else if (!Number.isFinite(value)) reject('not_finite', t);
    else if (value < def.min || value > def.max) reject('out_of_range', t);
    else if (ts > maxTs) reject('future_ts', t);
    else if (ts < MIN_DEVICE_TS) reject('ts_before_2020', t);
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
    batchId: w.id as string,
    edgeId: w.edge as string,
    createdAt: w.at as number,
    total: rows.length,
    readings,
    pairs,
    rejected,
  };
}
