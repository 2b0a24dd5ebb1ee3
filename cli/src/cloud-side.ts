import { authKey, Cloud, type CloudOptions, openRegistry, type Registry } from '@lumbung/cloud';
import { Gateway, type GatewayConfig, type GatewayEvents, gatewayOptionsFromConfig } from '@lumbung/gateway';
import { type Component, EventBus, hashSecret, type Logger } from '@lumbung/runtime';
import type { TimeSeriesStore } from '@lumbung/store';
import { dashboardDir, lumbungVersion } from './dashboard-dir.ts';

export interface CloudSide {
  cloud: Cloud;
  registry: Registry;
  events: EventBus<GatewayEvents>;
  /** The gateway, built once the cloud listens (its provisioning comes from the cloud's URL). */
  gateway: () => Gateway | undefined;
  gatewayComponent: Component;
  dashboard: { dir?: string; problem?: string };
}

/**
 * The cloud side of one process, for `lumbung cloud` and `lumbung demo`: the API and dashboard on the
 * registry, and the ingestion gateway, which takes the village boxes' credentials from that API over
 * loopback with `gatewayToken` and feeds the cloud its stored readings, alerts and presence in process.
 */
export async function cloudSide(o: {
  http: { host: string; port: number };
  databaseUrl: string | undefined;
  dashboardDir: string | undefined;
  dataDir: string;
  store: TimeSeriesStore;
  gatewayToken: string;
  /** LUMBUNG_AUTH_SECRET (else a key kept in the data dir). */
  authSecret: string | undefined;
  /** LUMBUNG_CORS_ORIGINS, comma-separated. */
  corsOrigins?: string | undefined;
  /** LUMBUNG_PUBLIC_URL: the base of the lots' Digital Links, QR codes and EPCIS identifiers. */
  publicUrl?: string | undefined;
  gateway: GatewayConfig;
  logger: (component: string) => Logger;
  cloud?: Partial<CloudOptions>;
}): Promise<CloudSide> {
  const registry = openRegistry({ url: o.databaseUrl, dataDir: o.dataDir });
  const events = new EventBus<GatewayEvents>();
  const dashboard = dashboardDir(o.dashboardDir);
  const cloud = new Cloud({
    host: o.http.host,
    port: o.http.port,
    registry,
    store: o.store,
    version: lumbungVersion(),
    logger: o.logger('cloud'),
    dashboardDir: dashboard.dir,
    gatewayTokenHash: hashSecret(o.gatewayToken),
    authKey: await authKey(o.authSecret, o.dataDir),
    corsOrigins: (o.corsOrigins ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    publicUrl: o.publicUrl,
    subscribe: (event, listener) => events.on(event as never, listener as never),
    ...o.cloud,
  });
  let gateway: Gateway | undefined;
  const gatewayComponent: Component = {
    start: async () => {
      gateway = new Gateway({
        ...gatewayOptionsFromConfig(
          { ...o.gateway, cloudUrl: `http://127.0.0.1:${cloud.port}`, gatewayToken: o.gatewayToken },
          { store: o.store, events },
        ),
        logger: o.logger('gateway'),
      });
      await gateway.start();
    },
    stop: async () => gateway?.stop(),
  };
  return { cloud, registry, events, gateway: () => gateway, gatewayComponent, dashboard };
}
