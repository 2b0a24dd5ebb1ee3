import { z } from 'zod';
import { DeviceId, EdgeId, VillageId } from './ids.ts';

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/**
 * An alert raised by a rule. `key` identifies the condition (rule + subject), so the
 * cloud can merge the raise and the clear of one condition; `id` is unique per event.
 */
export const Alert = z.object({
  id: z.string().min(1).max(80),
  key: z.string().min(1).max(200),
  villageId: VillageId,
  edgeId: EdgeId.optional(),
  source: z.enum(['rule', 'system']),
  state: z.enum(['raised', 'cleared']),
  severity: AlertSeverity,
  ruleId: z.string().max(80).optional(),
  siteId: z.string().max(64).optional(),
  deviceId: z.string().max(64).optional(),
  metric: z.string().max(63).optional(),
  value: z.number().optional(),
  ts: z.number().int().positive(),
  message: z.object({ id: z.string(), en: z.string() }),
});
export type Alert = z.infer<typeof Alert>;

/** Alerts forwarded on `lumbung/v1/{villageId}/edges/{edgeId}/alerts` (QoS 1, JSON). */
export const AlertBatch = z.object({ alerts: z.array(Alert).min(1).max(1000) });
export type AlertBatch = z.infer<typeof AlertBatch>;

/** Presence of a village box on `.../edges/{edgeId}/status`, retained, also its will. */
export const EdgeStatusPayload = z.object({
  state: z.enum(['online', 'offline']),
  ts: z.number().int().positive().optional(),
  queueDepth: z.number().int().min(0).optional(),
});
export type EdgeStatusPayload = z.infer<typeof EdgeStatusPayload>;

/** The most device states in one presence message: a village box serves hundreds of devices, not tens of thousands. */
export const MAX_PRESENCE_DEVICES = 10_000;

/** One device's presence as the village box saw it; `ts` is the box's clock (epoch ms) when the state began. */
export const DevicePresenceUpdate = z.object({
  deviceId: DeviceId,
  state: z.enum(['online', 'offline']),
  ts: z.number().int().positive(),
});
export type DevicePresenceUpdate = z.infer<typeof DevicePresenceUpdate>;

/**
 * Presence of a village box's devices on `.../edges/{edgeId}/devices` (QoS 1, JSON): the changes since the last
 * message, or, after every uplink connect, a snapshot of every provisioned device.
 */
export const DevicePresenceBatch = z.object({
  devices: z.array(DevicePresenceUpdate).min(1).max(MAX_PRESENCE_DEVICES),
});
export type DevicePresenceBatch = z.infer<typeof DevicePresenceBatch>;
