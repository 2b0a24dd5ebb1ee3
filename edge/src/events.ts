import type { Alert } from '@lumbung/schemas';
import type { DeadLetterReason } from './validate.ts';

export type UplinkState = 'disabled' | 'connecting' | 'online' | 'offline' | 'stopped';

/** Events of the village box on its EventBus (`edge.events`); listeners are removed by whoever added them. */
export interface EdgeEvents extends Record<string, unknown> {
  /** A device message was durably queued (emitted after the commit, before the device's PUBACK). */
  'reading-accepted': { deviceId: string; seq: number; readings: number };
  /** A device retried a message already stored; it was acknowledged and not stored again. */
  duplicate: { deviceId: string; seq: number };
  'dead-letter': { deviceId: string | undefined; topic: string; reason: DeadLetterReason; detail: string };
  /** A publish was refused by the ACL and the device disconnected. */
  'publish-refused': { deviceId: string; topic: string };
  'auth-failed': { clientId: string; username: string | undefined; reason: string };
  'device-connected': { deviceId: string };
  'device-disconnected': { deviceId: string };
  'device-status': { deviceId: string; state: 'online' | 'offline' };
  alert: Alert;
  'uplink-state': { state: UplinkState; error?: string };
  'batch-sent': { batchId: string; readings: number; resend: boolean };
  'batch-acked': { batchId: string; readings: number; latencyMs: number };
  'readings-dropped': { readings: number; queueBytes: number };
}
