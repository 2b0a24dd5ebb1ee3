import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  type ConfigOf,
  cloudProvisioningSettings,
  type EventBus,
  env,
  loadConfig,
  readSettingFile,
  setting,
} from '@lumbung/runtime';
import { GatewayProvisioning } from '@lumbung/schemas';
import type { TimeSeriesStore } from '@lumbung/store';
import type { GatewayEvents, GatewayOptions } from './gateway.ts';

/**
 * Settings of the cloud ingestion gateway. `lumbung config --markdown` renders them into the README's table;
 * `gatewayOptionsFromConfig()` turns a loaded config into `GatewayOptions`.
 */
export const gatewaySettings = {
  host: setting(
    'LUMBUNG_GATEWAY_HOST',
    env.string('0.0.0.0'),
    'Interface the MQTT listener for village boxes binds to',
  ),
  port: setting('LUMBUNG_GATEWAY_PORT', env.port(1884), 'MQTT port for village boxes (0 picks a free port)'),
  tlsKey: setting(
    'LUMBUNG_GATEWAY_TLS_KEY',
    env.optionalString(),
    'Path to a PEM private key; with LUMBUNG_GATEWAY_TLS_CERT the MQTT listener speaks TLS',
  ),
  tlsCert: setting('LUMBUNG_GATEWAY_TLS_CERT', env.optionalString(), 'Path to the PEM certificate (chain) for TLS'),
  opsHost: setting(
    'LUMBUNG_GATEWAY_OPS_HOST',
    env.string('127.0.0.1'),
    'Interface of the /health and /metrics endpoint',
  ),
  opsPort: setting(
    'LUMBUNG_GATEWAY_OPS_PORT',
    env.port(9101),
    'Port of /health, /metrics, /edges, /alerts, /dead-letters',
  ),
  dataDir: setting(
    'LUMBUNG_DATA_DIR',
    env.string('./data'),
    'Directory for local state; the gateway keeps gateway/gateway.sqlite (ack ledger, dead letters, alert log) there',
  ),
  cloudUrl: cloudProvisioningSettings.cloudUrl,
  gatewayToken: setting(
    'LUMBUNG_GATEWAY_TOKEN',
    env.optionalString(),
    'Token the gateway presents to the cloud API (Authorization: Bearer) to fetch the edges; required with LUMBUNG_CLOUD_URL',
  ),
  provisioningIntervalS: cloudProvisioningSettings.provisioningIntervalS,
  provisioningFile: setting(
    'LUMBUNG_GATEWAY_PROVISIONING',
    env.optionalString(),
    'Path to a JSON GatewayProvisioning file ({ "edges": [...] }) listing the village boxes allowed to connect; not read when LUMBUNG_CLOUD_URL is set',
  ),
  writeMaxReadings: setting(
    'LUMBUNG_GATEWAY_WRITE_MAX_READINGS',
    env.int(50_000, 1),
    'Readings gathered into one store write (a single larger batch is written whole)',
  ),
  writeMaxDelayMs: setting(
    'LUMBUNG_GATEWAY_WRITE_MAX_DELAY_MS',
    env.int(0),
    'How long an idle writer waits for more batches before writing; 0 writes as soon as the store is idle (group commit)',
  ),
  storeRetries: setting(
    'LUMBUNG_GATEWAY_STORE_RETRIES',
    env.int(5),
    'Retries of a failed store write (exponential backoff) before the waiting edges are disconnected to resend later',
  ),
  dedupWindow: setting(
    'LUMBUNG_GATEWAY_DEDUP_WINDOW',
    env.int(200_000),
    'Recently stored (device, metric, ts) keys remembered in memory to drop re-sent readings before the store',
  ),
  deadLetterMax: setting(
    'LUMBUNG_GATEWAY_DEAD_LETTER_MAX',
    env.int(10_000, 1),
    'Dead-letter rows kept; older rows are deleted',
  ),
  alertLogMax: setting(
    'LUMBUNG_GATEWAY_ALERT_LOG_MAX',
    env.int(100_000, 1),
    'Alert log rows kept; older rows are deleted',
  ),
  ledgerRetentionDays: setting(
    'LUMBUNG_GATEWAY_LEDGER_RETENTION_DAYS',
    env.int(30, 1),
    'Days an acknowledged batch id is remembered (must exceed the longest time an edge may resend a batch)',
  ),
};

export type GatewayConfig = ConfigOf<typeof gatewaySettings>;

export const loadGatewayConfig = (
  environment: Record<string, string | undefined> = process.env,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig => loadConfig(gatewaySettings, environment, overrides);

/** Reads and validates a provisioning file; throws with the file name and the first problem. */
export function readGatewayProvisioning(path: string): GatewayProvisioning {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read provisioning: ${(err as Error).message}`);
  }
  const parsed = GatewayProvisioning.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: invalid provisioning: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Gateway options from loaded settings (files named by the settings are read here). The caller owns the store
 * and passes it in, with the events bus if other features listen. The edges come from the cloud
 * (LUMBUNG_CLOUD_URL, pulled when the gateway starts), or from `parts.provisioning`, or from the file named by
 * LUMBUNG_GATEWAY_PROVISIONING.
 */
export function gatewayOptionsFromConfig(
  c: GatewayConfig,
  parts: { store: TimeSeriesStore; provisioning?: GatewayProvisioning; events?: EventBus<GatewayEvents> },
): GatewayOptions {
  if (c.cloudUrl && parts.provisioning)
    fail('LUMBUNG_CLOUD_URL', 'is set: the edges come from the cloud, not from a provisioning passed in as well');
  const source: Pick<GatewayOptions, 'provisioning' | 'cloud'> = c.cloudUrl
    ? {
        cloud: {
          url: c.cloudUrl,
          token:
            c.gatewayToken ??
            fail(
              'LUMBUNG_GATEWAY_TOKEN',
              'is required with LUMBUNG_CLOUD_URL (the gateway logs in to the cloud with it)',
            ),
          intervalMs: c.provisioningIntervalS * 1000,
        },
      }
    : {
        provisioning:
          parts.provisioning ??
          (c.provisioningFile
            ? readGatewayProvisioning(c.provisioningFile)
            : fail(
                'LUMBUNG_GATEWAY_PROVISIONING',
                'must name the edges file ({ "edges": [...] }), unless LUMBUNG_CLOUD_URL is set',
              )),
      };
  if ((c.tlsKey === undefined) !== (c.tlsCert === undefined))
    fail('LUMBUNG_GATEWAY_TLS_KEY', 'and LUMBUNG_GATEWAY_TLS_CERT go together');
  return {
    ...source,
    store: parts.store,
    ...(parts.events ? { events: parts.events } : {}),
    dataDir: join(c.dataDir, 'gateway'),
    mqtt: {
      host: c.host,
      port: c.port,
      ...(c.tlsKey && c.tlsCert
        ? {
            tls: {
              key: readSettingFile('LUMBUNG_GATEWAY_TLS_KEY', c.tlsKey),
              cert: readSettingFile('LUMBUNG_GATEWAY_TLS_CERT', c.tlsCert),
            },
          }
        : {}),
    },
    ops: { host: c.opsHost, port: c.opsPort },
    write: { maxReadings: c.writeMaxReadings, maxDelayMs: c.writeMaxDelayMs, retries: c.storeRetries },
    dedupWindow: c.dedupWindow,
    deadLetterMax: c.deadLetterMax,
    alertLogMax: c.alertLogMax,
    ledgerRetentionDays: c.ledgerRetentionDays,
  };
}

const fail = (variable: string, message: string): never => {
  throw new ConfigError(variable, message);
};
