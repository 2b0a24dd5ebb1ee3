import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigOf, cloudProvisioningSettings, env, readSettingFile, setting } from '@lumbung/runtime';
import { EdgeProvisioning } from '@lumbung/schemas';
import { z } from 'zod';
import type { EdgeCloudOptions, EdgeOptions } from './edge.ts';

/** Settings of the village box (`loadConfig(edgeSettings)`); the README table is generated from these. */
export const edgeSettings = {
  cloudUrl: cloudProvisioningSettings.cloudUrl,
  provisioningIntervalS: cloudProvisioningSettings.provisioningIntervalS,
  provisioningFile: setting(
    'LUMBUNG_EDGE_PROVISIONING',
    z.string().default('./edge-provisioning.json'),
    'Path of the EdgeProvisioning JSON (village, edge, devices with hashed secrets, threshold rules); not read when LUMBUNG_CLOUD_URL is set',
  ),
  edgeId: setting(
    'LUMBUNG_EDGE_ID',
    env.optionalString(),
    'Village box id; must match the provisioning file (default: taken from it); required with LUMBUNG_CLOUD_URL',
  ),
  dataDir: setting(
    'LUMBUNG_DATA_DIR',
    env.string('./data'),
    'Data directory; the edge keeps its queue in <dir>/edge/edge.db',
  ),
  mqttHost: setting('LUMBUNG_MQTT_HOST', env.string('0.0.0.0'), 'Address the device broker listens on'),
  mqttPort: setting('LUMBUNG_MQTT_PORT', env.port(1883), 'Port of the device broker (0 = any free port)'),
  opsHost: setting(
    'LUMBUNG_EDGE_OPS_HOST',
    env.string('127.0.0.1'),
    'Address of the edge HTTP endpoint (/health, /metrics)',
  ),
  opsPort: setting('LUMBUNG_EDGE_OPS_PORT', env.port(9464), 'Port of the edge HTTP endpoint (0 = any free port)'),
  uplinkUrl: setting(
    'LUMBUNG_UPLINK_URL',
    env.optionalString(),
    'Gateway URL, mqtt://host:port or mqtts://host:port; unset = store only, no uplink',
  ),
  edgeSecret: setting(
    'LUMBUNG_EDGE_SECRET',
    env.optionalString(),
    'Secret of this village box at the gateway (MQTT password) and at the cloud API (provisioning)',
  ),
  uplinkCaFile: setting(
    'LUMBUNG_UPLINK_CA_FILE',
    env.optionalString(),
    'PEM file of the CA that signed the gateway certificate (mqtts)',
  ),
  uplinkCertFile: setting(
    'LUMBUNG_UPLINK_CERT_FILE',
    env.optionalString(),
    'PEM client certificate for the gateway (mqtts, optional)',
  ),
  uplinkKeyFile: setting(
    'LUMBUNG_UPLINK_KEY_FILE',
    env.optionalString(),
    'PEM private key of the client certificate (mqtts, optional)',
  ),
  uplinkRejectUnauthorized: setting(
    'LUMBUNG_UPLINK_REJECT_UNAUTHORIZED',
    env.bool(true),
    'Verify the gateway certificate (turn off only for testing)',
  ),
  batchMaxReadings: setting(
    'LUMBUNG_EDGE_BATCH_MAX_READINGS',
    env.int(5000, 100),
    'Readings per uplink batch (at most 50000)',
  ),
  batchMaxDelayMs: setting('LUMBUNG_EDGE_BATCH_MAX_DELAY_MS', env.int(250, 1), 'Longest wait for a batch to fill, ms'),
  maxInflightBatches: setting(
    'LUMBUNG_EDGE_MAX_INFLIGHT_BATCHES',
    env.int(8, 1),
    'Uplink batches sent and not yet acknowledged',
  ),
  reconnectMinMs: setting(
    'LUMBUNG_UPLINK_RECONNECT_MIN_MS',
    env.int(500, 10),
    'First wait before reconnecting to the gateway, ms; doubles per failed attempt (±20% jitter)',
  ),
  reconnectMaxMs: setting(
    'LUMBUNG_UPLINK_RECONNECT_MAX_MS',
    env.int(30_000, 10),
    'Longest wait between reconnection attempts, ms: after an outage the box notices the gateway within this time',
  ),
  queueBudgetMb: setting(
    'LUMBUNG_EDGE_QUEUE_BUDGET_MB',
    env.int(1024, 1),
    'Disk budget of the reading queue in MB; when full the oldest readings are dropped (counted, alerted)',
  ),
  deadLetterMax: setting('LUMBUNG_EDGE_DEAD_LETTER_MAX', env.int(10_000, 1), 'Dead letters kept (newest)'),
  sync: setting(
    'LUMBUNG_EDGE_SYNC',
    z.enum(['full', 'normal']).default('full'),
    'SQLite synchronous mode: full survives power loss, normal only a process crash',
  ),
};
export type EdgeConfig = ConfigOf<typeof edgeSettings>;

/** Reads and validates a provisioning file. */
export function loadProvisioningFile(path: string): EdgeProvisioning {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`LUMBUNG_EDGE_PROVISIONING: cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = EdgeProvisioning.safeParse(raw);
  if (!parsed.success)
    throw new Error(`LUMBUNG_EDGE_PROVISIONING: ${path} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Edge options from loaded settings (files named by the settings are read here). With LUMBUNG_CLOUD_URL the box
 * takes its provisioning from the cloud when it starts (`cloud`); a `provisioning` passed here then only names the
 * village and edge the cloud's answer must match. Without it, the provisioning is the one passed or the file.
 */
export function edgeOptionsFromConfig(c: EdgeConfig, provisioning?: EdgeProvisioning): EdgeOptions {
  if (c.cloudUrl) return { ...common(c, cloudIdentity(c, provisioning)), cloud: cloudOptions(c) };
  const p = provisioning ?? loadProvisioningFile(c.provisioningFile);
  if (c.edgeId !== undefined && c.edgeId !== p.edgeId) {
    throw new ConfigError('LUMBUNG_EDGE_ID', `${c.edgeId} does not match the provisioning's edge ${p.edgeId}`);
  }
  return { ...common(c, { villageId: p.villageId, edgeId: p.edgeId }), provisioning: p };
}

function cloudIdentity(c: EdgeConfig, p: EdgeProvisioning | undefined): { villageId?: string; edgeId: string } {
  const edgeId = c.edgeId ?? p?.edgeId;
  if (edgeId === undefined)
    throw new ConfigError(
      'LUMBUNG_EDGE_ID',
      'is required with LUMBUNG_CLOUD_URL (the box logs in to the cloud with it)',
    );
  if (p && p.edgeId !== edgeId)
    throw new ConfigError('LUMBUNG_EDGE_ID', `${edgeId} does not match the provisioning's edge ${p.edgeId}`);
  return p ? { villageId: p.villageId, edgeId } : { edgeId };
}

function cloudOptions(c: EdgeConfig): EdgeCloudOptions {
  if (c.edgeSecret === undefined)
    throw new ConfigError(
      'LUMBUNG_EDGE_SECRET',
      'is required with LUMBUNG_CLOUD_URL (the box logs in to the cloud with it)',
    );
  return { url: c.cloudUrl as string, secret: c.edgeSecret, intervalMs: c.provisioningIntervalS * 1000 };
}

function common(
  c: EdgeConfig,
  id: { villageId?: string; edgeId: string },
): Omit<EdgeOptions, 'provisioning' | 'cloud'> {
  const file = (name: string, path: string | undefined) =>
    path === undefined ? undefined : readSettingFile(name, path);
  return {
    ...id,
    dataDir: `${c.dataDir.replace(/\/+$/, '')}/edge`,
    mqtt: { host: c.mqttHost, port: c.mqttPort },
    ops: { host: c.opsHost, port: c.opsPort },
    ...(c.uplinkUrl
      ? {
          uplink: {
            url: c.uplinkUrl,
            username: id.edgeId,
            ...(c.edgeSecret !== undefined ? { password: c.edgeSecret } : {}),
            ...(c.uplinkCaFile ? { ca: file('LUMBUNG_UPLINK_CA_FILE', c.uplinkCaFile) } : {}),
            ...(c.uplinkCertFile ? { cert: file('LUMBUNG_UPLINK_CERT_FILE', c.uplinkCertFile) } : {}),
            ...(c.uplinkKeyFile ? { key: file('LUMBUNG_UPLINK_KEY_FILE', c.uplinkKeyFile) } : {}),
            rejectUnauthorized: c.uplinkRejectUnauthorized,
            batchMaxReadings: c.batchMaxReadings,
            batchMaxDelayMs: c.batchMaxDelayMs,
            maxInflightBatches: c.maxInflightBatches,
            reconnectMinMs: c.reconnectMinMs,
            reconnectMaxMs: Math.max(c.reconnectMaxMs, c.reconnectMinMs),
          },
        }
      : {}),
    queueBudgetBytes: c.queueBudgetMb * 1024 * 1024,
    deadLetterMax: c.deadLetterMax,
    sync: c.sync,
  };
}
