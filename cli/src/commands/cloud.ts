import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { cloudSettings } from '@lumbung/cloud';
import { gatewaySettings } from '@lumbung/gateway';
import { createLogger, generateSecret, loadConfig } from '@lumbung/runtime';
import { openStore } from '@lumbung/store';
import { parse } from '../args.ts';
import { cloudSide } from '../cloud-side.ts';
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
  const side = await cloudSide({
    http: { host: cfg.httpHost, port: httpPort },
    databaseUrl: cfg.databaseUrl,
    dashboardDir: cfg.dashboardDir,
    dataDir,
    store,
    // The gateway in this process asks the cloud over loopback with a token of this run, unless one is
    // configured (a gateway run elsewhere, `lumbung gateway`, presents LUMBUNG_GATEWAY_TOKEN).
    gatewayToken: cfg.gatewayToken ?? generateSecret(),
    authSecret: cfg.authSecret,
    corsOrigins: cfg.corsOrigins,
    publicUrl: cfg.publicUrl,
    gateway: { ...gwCfg, dataDir, port: gwPort },
    logger: (c) => createLogger(c),
  });
  const log = createLogger('cloud');
  return runUntilSignal([store, side.cloud, side.gatewayComponent], {
    onStarted: () => {
      log.info(
        {
          http: `http://localhost:${side.cloud.port}`,
          gatewayMqttPort: side.gateway()?.mqttPort,
          registry: side.registry.provider,
          store: store.name,
          dashboard: side.dashboard.dir ?? side.dashboard.problem,
        },
        'cloud ready',
      );
    },
  });
}
