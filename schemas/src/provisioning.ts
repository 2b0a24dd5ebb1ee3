import { z } from 'zod';
import { DeviceId, EdgeId, Id, VillageId } from './ids.ts';

const SecretHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>');

/** A device as the village box knows it: identity, where it is, and its hashed secret. */
export const DeviceCredential = z.object({
  deviceId: DeviceId,
  villageId: VillageId,
  siteId: Id.optional(),
  family: z.string().min(1).max(64).optional(),
  secretHash: SecretHash,
  /** Revoked devices are refused at connect and disconnected if connected. */
  revoked: z.boolean().default(false),
});
export type DeviceCredential = z.infer<typeof DeviceCredential>;

/**
 * A local threshold rule of the village box: raise an alert when `metric` on a device of `siteId`
 * stays outside [min, max] for `forSeconds`; clear it when it is back inside.
 */
export const ThresholdRule = z
  .object({
    id: Id,
    siteId: Id,
    metric: z.string().min(1).max(63),
    min: z.number().optional(),
    max: z.number().optional(),
    forSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(600),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
    label: z.object({ id: z.string(), en: z.string() }).optional(),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, 'a rule needs min or max');
export type ThresholdRule = z.infer<typeof ThresholdRule>;

/** What a village box is provisioned with (until the cloud registry supplies it, a JSON file). */
export const EdgeProvisioning = z.object({
  villageId: VillageId,
  edgeId: EdgeId,
  devices: z.array(DeviceCredential),
  rules: z.array(ThresholdRule).default([]),
});
export type EdgeProvisioning = z.infer<typeof EdgeProvisioning>;

/** An edge as the gateway knows it: bound to exactly one village. */
export const EdgeCredential = z.object({
  edgeId: EdgeId,
  villageId: VillageId,
  secretHash: SecretHash,
  revoked: z.boolean().default(false),
});
export type EdgeCredential = z.infer<typeof EdgeCredential>;

export const GatewayProvisioning = z.object({ edges: z.array(EdgeCredential) });
export type GatewayProvisioning = z.infer<typeof GatewayProvisioning>;
