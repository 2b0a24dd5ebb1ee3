import { z } from 'zod';
import { EdgeId, VillageId } from './ids.ts';

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
