import {
  defaultCatalogue,
  MAX_READINGS_PER_MESSAGE,
  MAX_UP_PAYLOAD_BYTES,
  type MetricCatalogue,
  MIN_DEVICE_TS,
  StatusPayload,
  timestampProblem,
  UpPayload,
} from '@lumbung/schemas';
import { z } from 'zod';

/**
 * Why input was set aside. Whole-message reasons reject everything in the message; reading reasons
 * (`unknown_metric`, `not_finite`, `out_of_range`, `invalid_value`) reject one reading and keep the rest.
 */
export const DEAD_LETTER_REASONS = [
  'too_large',
  'bad_json',
  'invalid_schema',
  'ts_future',
  'ts_too_old',
  'unknown_metric',
  'not_finite',
  'out_of_range',
  'invalid_value',
  'invalid_status',
  'forbidden_topic',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** Readings of one accepted message, metric -> value, in the order the device sent them. */
export type ReadingMap = Record<string, number>;

export interface ReadingRejection {
  reason: DeadLetterReason;
  metrics: string[];
}

export type UpValidation =
  | { ok: true; seq: number; ts: number | undefined; readings: ReadingMap; count: number; rejected: ReadingRejection[] }
  | { ok: false; reason: DeadLetterReason; detail: string };

/**
 * The envelope of an `up` message: the contract (`UpPayload`, strict, so unknown top-level keys are refused) with
 * readings, battery and rssi left open so that one bad value rejects only that reading. The overridden readings
 * field replaces the contract's, so its refinements (count limits) do not run here; they are checked below.
 */
const Envelope = UpPayload.extend({
  readings: z.record(z.string(), z.unknown()),
  battery: z.unknown().optional(),
  rssi: z.unknown().optional(),
});

const NON_FINITE_STRINGS = new Set(['nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf']);

function classify(catalogue: MetricCatalogue, metric: string, value: unknown): DeadLetterReason | undefined {
  if (typeof value === 'number') return catalogue.check(metric, value);
  if (!catalogue.has(metric)) return 'unknown_metric';
  // JSON cannot carry NaN or Infinity; firmware that prints them produces strings (or 1e999, which parses to Infinity).
  if (typeof value === 'string' && NON_FINITE_STRINGS.has(value.trim().toLowerCase())) return 'not_finite';
  return 'invalid_value';
}

/**
 * Validates the payload of `lumbung/v1/{village}/{device}/up`. `now` is the edge clock (epoch ms),
 * used for the future-skew check. `battery` and `rssi` become readings of the metrics of the same name.
 */
export function validateUp(payload: Buffer, now: number, catalogue: MetricCatalogue = defaultCatalogue): UpValidation {
  if (payload.length > MAX_UP_PAYLOAD_BYTES) {
    return { ok: false, reason: 'too_large', detail: `${payload.length} bytes > ${MAX_UP_PAYLOAD_BYTES}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'bad_json', detail: (err as Error).message.slice(0, 200) };
  }
  const env = Envelope.safeParse(raw);
  if (!env.success) return { ok: false, reason: 'invalid_schema', detail: z.prettifyError(env.error).slice(0, 500) };
  const { seq, ts, readings, battery, rssi } = env.data;
  const tsProblem = ts === undefined ? undefined : timestampProblem(ts, now);
  if (tsProblem === 'future') return { ok: false, reason: 'ts_future', detail: `ts ${ts} is ${ts! - now} ms ahead` };
  if (tsProblem === 'too_old')
    return { ok: false, reason: 'ts_too_old', detail: `ts ${ts} is before ${MIN_DEVICE_TS}` };
  const names = Object.keys(readings);
  if (names.length === 0) return { ok: false, reason: 'invalid_schema', detail: 'readings: at least one reading' };
  if (names.length > MAX_READINGS_PER_MESSAGE) {
    return {
      ok: false,
      reason: 'invalid_schema',
      detail: `readings: at most ${MAX_READINGS_PER_MESSAGE} readings per message`,
    };
  }
  const out: ReadingMap = {};
  let count = 0;
  let rejected: ReadingRejection[] | undefined;
  const consider = (metric: string, value: unknown) => {
    const reason = classify(catalogue, metric, value);
    if (reason === undefined) {
      out[metric] = value as number;
      count++;
      return;
    }
    rejected ??= [];
    const r = rejected.find((x) => x.reason === reason);
    if (r) r.metrics.push(metric);
    else rejected.push({ reason, metrics: [metric] });
  };
  for (const name of names) consider(name, readings[name]);
  if (battery !== undefined && !('battery' in readings)) consider('battery', battery);
  if (rssi !== undefined && !('rssi' in readings)) consider('rssi', rssi);
  return { ok: true, seq, ts, readings: out, count, rejected: rejected ?? [] };
}

export type StatusValidation =
  | { ok: true; status: StatusPayload }
  | { ok: false; reason: 'invalid_status'; detail: string };

/** Validates `.../status` (retained presence, also the device's will). */
export function validateStatus(payload: Buffer): StatusValidation {
  if (payload.length > MAX_UP_PAYLOAD_BYTES) return { ok: false, reason: 'invalid_status', detail: 'too large' };
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid_status', detail: `bad JSON: ${(err as Error).message.slice(0, 200)}` };
  }
  const parsed = StatusPayload.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: 'invalid_status', detail: z.prettifyError(parsed.error).slice(0, 500) };
  return { ok: true, status: parsed.data };
}
