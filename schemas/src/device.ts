import { z } from 'zod';

const UINT32_MAX = 0xffffffff;

/** The most readings one `up` message may carry. */
export const MAX_READINGS_PER_MESSAGE = 64;

/** Readings a device publishes on `lumbung/v1/{villageId}/{deviceId}/up` (QoS 1, JSON). */
export const UpPayload = z
  .object({
    seq: z
      .number()
      .int()
      .min(0)
      .max(UINT32_MAX)
      .describe('Message counter per device: increments by one per message and wraps from 4294967295 to 0'),
    ts: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Measurement time from the device clock, epoch milliseconds (UTC); omit if the device has no clock'),
    readings: z
      .record(z.string(), z.number())
      .refine((r) => Object.keys(r).length > 0, 'at least one reading')
      .refine(
        (r) => Object.keys(r).length <= MAX_READINGS_PER_MESSAGE,
        `at most ${MAX_READINGS_PER_MESSAGE} readings per message`,
      )
      .describe('Metric name -> value in the canonical unit of the metric catalogue'),
    battery: z.number().min(0).max(60).optional().describe('Battery voltage, V'),
    rssi: z.number().int().min(-200).max(0).optional().describe('Received signal strength, dBm'),
  })
  .strict();
export type UpPayload = z.infer<typeof UpPayload>;

/** Retained presence on `.../status`; the device sets `offline` as its MQTT will. */
export const StatusPayload = z
  .object({
    state: z.enum(['online', 'offline']),
    ts: z.number().int().positive().optional(),
    firmware: z.string().max(64).optional(),
  })
  .strict();
export type StatusPayload = z.infer<typeof StatusPayload>;

/** Commands to a device on `.../down` (reserved for actuators and configuration). */
export const DownPayload = z
  .object({
    id: z.string().min(1).max(64),
    command: z.string().min(1).max(64),
    args: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type DownPayload = z.infer<typeof DownPayload>;

/** The largest `up` payload accepted, in bytes. */
export const MAX_UP_PAYLOAD_BYTES = 4096;
/** Device timestamps further than this in the future are rejected (clock far off). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Device timestamps before this (2020-01-01T00:00:00Z) are treated as an unset clock and rejected. */
export const MIN_DEVICE_TS = Date.UTC(2020, 0, 1);

/**
 * The one rule for a measurement time, at the village box and again at the gateway: not more than
 * MAX_FUTURE_SKEW_MS ahead of the receiver's clock `now`, and not before MIN_DEVICE_TS.
 */
export function timestampProblem(ts: number, now: number): 'future' | 'too_old' | undefined {
  if (ts > now + MAX_FUTURE_SKEW_MS) return 'future';
  if (ts < MIN_DEVICE_TS) return 'too_old';
  return undefined;
}
