import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Cloud, cloudSettings, openRegistry } from '@lumbung/cloud';
import { Gateway, type GatewayEvents, gatewayOptionsFromConfig, gatewaySettings } from '@lumbung/gateway';
import { createLogger, EventBus, generateSecret, hashSecret, loadConfig } from '@lumbung/runtime';
import { openStore } from '@lumbung/store';
import { parse } from '../args.ts';
import { dashboardDir, lumbungVersion } from '../dashboard-dir.ts';
import { resolvePort } from '../ports.ts';
import { runUntilSignal } from '../service.ts';
import { cliSettings, storeUrl } from '../settings.ts';

const USAGE = `lumbung cloud
  Runs the cloud side: the API and dashboard (LUMBUNG_HTTP_PORT), the registry (LUMBUNG_DATABASE_URL,
  default SQLite in LUMBUNG_DATA_DIR; migrations applied at start) and the ingestion gateway for village
  boxes (LUMBUNG_GATEWAY_PORT) writing to the time-series store (LUMBUNG_TSDB_URL). The gateway takes the
  village boxes' credentials from the registry in this process.`;

export async function cloud(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const cli = loadConfig(cliSettings);
  const cfg = loadConfig(cloudSettings);
  const gwCfg = loadConfig(gatewaySettings);
  const dataDir = path.resolve(cli.dataDir);
  await mkdir(dataDir, { recursive: true });
  const httpPort = (await resolvePort(cloudSettings.httpPort, cfg.httpPort, process.env, cfg.httpHost)).port;
  const gwPort = (await resolvePort(gatewaySettings.port, gwCfg.port, process.env, gwCfg.host)).port;
  const store = openStore(storeUrl(cli.tsdbUrl, dataDir));
  const registry = openRegistry({ url: cfg.databaseUrl, dataDir });
  const events = new EventBus<GatewayEvents>();
  const log = createLogger('cloud');
  // The gateway in this process asks the cloud over loopback with a token of this run; a gateway run
  // elsewhere (`lumbung gateway`) uses LUMBUNG_GATEWAY_TOKEN.
  const localToken = generateSecret();
  const dashboard = dashboardDir(cfg.dashboardDir);
  const app = new Cloud({
    host: cfg.httpHost,
    port: httpPort,
    registry,
    store,
    version: lumbungVersion(),
    logger: log,
    dashboardDir: dashboard.dir,
    gatewayTokenHash: hashSecret(cfg.gatewayToken ?? localToken),
    subscribe: (event, listener) => events.on(event as never, listener as never),
  });
  let gateway: Gateway | undefined;
  const gatewayComponent = {
    start: async () => {
      gateway = new Gateway({
        ...gatewayOptionsFromConfig(
          {
            ...gwCfg,
            dataDir,
            port: gwPort,
            cloudUrl: `http://127.0.0.1:${app.port}`,
            gatewayToken: cfg.gatewayToken ?? localToken,
          },
          { store, events },
        ),
        logger: createLogger('gateway'),
      });
      await gateway.start();
    },
    stop: async () => gateway?.stop(),
  };
  return runUntilSignal([store, app, gatewayComponent], {
    onStarted: () => {
      log.info(
        {
          http: `http://localhost:${app.port}`,
          gatewayMqttPort: gateway?.mqttPort,
          registry: registry.provider,
          store: store.name,
          dashboard: dashboard.dir ?? dashboard.problem,
        },
        'cloud ready',
      );
    },
  });
}
