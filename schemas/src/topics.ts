import { ID_PATTERN } from './ids.ts';

/**
 * Topic grammar, version 1. Device-facing topics:
 *   lumbung/v1/{villageId}/{deviceId}/up       readings (device -> edge), QoS 1
 *   lumbung/v1/{villageId}/{deviceId}/status   online/offline, retained, also the MQTT will
 *   lumbung/v1/{villageId}/{deviceId}/down     commands (edge -> device)
 * Edge-facing topics (village box -> cloud gateway):
 *   lumbung/v1/{villageId}/edges/{edgeId}/batch    reading batches, QoS 1, MessagePack
 *   lumbung/v1/{villageId}/edges/{edgeId}/alerts   alerts raised at the edge, QoS 1, JSON
 *   lumbung/v1/{villageId}/edges/{edgeId}/status   online/offline of the village box, retained, also the will
 *   lumbung/v1/{villageId}/edges/{edgeId}/devices  online/offline of its devices (changes, and a full snapshot
 *                                                  after each uplink connect), QoS 1, JSON DevicePresenceBatch
 * `edges` is reserved and can never be a device id.
 */
export const TOPIC_ROOT = 'lumbung/v1';

export const DEVICE_CHANNELS = ['up', 'status', 'down'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];
export const EDGE_CHANNELS = ['batch', 'alerts', 'status', 'devices'] as const;
export type EdgeChannel = (typeof EDGE_CHANNELS)[number];

export const RESERVED_DEVICE_IDS = new Set(['edges']);

export const deviceTopic = (villageId: string, deviceId: string, channel: DeviceChannel): string =>
  `${TOPIC_ROOT}/${villageId}/${deviceId}/${channel}`;

export const edgeTopic = (villageId: string, edgeId: string, channel: EdgeChannel): string =>
  `${TOPIC_ROOT}/${villageId}/edges/${edgeId}/${channel}`;

export type ParsedTopic =
  | { kind: 'device'; villageId: string; deviceId: string; channel: DeviceChannel }
  | { kind: 'edge'; villageId: string; edgeId: string; channel: EdgeChannel };

/** Parses a concrete (wildcard-free) topic; returns undefined for anything outside the grammar. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== 'lumbung' || parts[1] !== 'v1') return undefined;
  const villageId = parts[2];
  if (villageId === undefined || !ID_PATTERN.test(villageId)) return undefined;
  if (parts.length === 5) {
    const [, , , deviceId, channel] = parts as [string, string, string, string, string];
    if (!ID_PATTERN.test(deviceId) || RESERVED_DEVICE_IDS.has(deviceId)) return undefined;
    if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return undefined;
    return { kind: 'device', villageId, deviceId, channel: channel as DeviceChannel };
  }
  if (parts.length === 6 && parts[3] === 'edges') {
    const [, , , , edgeId, channel] = parts as [string, string, string, string, string, string];
    if (!ID_PATTERN.test(edgeId)) return undefined;
    if (!(EDGE_CHANNELS as readonly string[]).includes(channel)) return undefined;
    return { kind: 'edge', villageId, edgeId, channel: channel as EdgeChannel };
  }
  return undefined;
}
