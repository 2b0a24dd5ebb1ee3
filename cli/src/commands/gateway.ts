import { mkdir } from 'node:fs/promises';
import { Gateway, gatewayOptionsFromConfig, gatewaySettings, loadGatewayConfig } from '@lumbung/gateway';
import { createLogger, loadConfig } from '@lumbung/runtime';
import { openStore } from '@lumbung/store';
import { parse } from '../args.ts';
import { resolvePort } from '../ports.ts';
import { QueryEndpoint } from '../query-endpoint.ts';
import { runUntilSignal } from '../service.ts';
import { cliSettings, storeUrl } from '../settings.ts';

const USAGE = `lumbung gateway
  Runs the cloud ingestion gateway: an MQTT broker for village boxes writing into the time-series store.
  Settings come from LUMBUNG_GATEWAY_* variables (see \`lumbung config\`): LUMBUNG_CLOUD_URL with
  LUMBUNG_GATEWAY_TOKEN pulls the edges allowed to connect from the cloud (cached in DATA_DIR/gateway),
  otherwise LUMBUNG_GATEWAY_PROVISIONING names their JSON file; LUMBUNG_TSDB_URL names the store.`;

export async function gateway(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const c = loadGatewayConfig();
  const cli = loadConfig(cliSettings);
  const { port } = await resolvePort(gatewaySettings.port, c.port, process.env, c.host);
  await mkdir(c.dataDir, { recursive: true });
  const store = openStore(storeUrl(cli.tsdbUrl, c.dataDir));
  const log = createLogger('gateway');
  const opts = gatewayOptionsFromConfig({ ...c, port }, { store });
  const gw = new Gateway({ ...opts, logger: log });
  const queries = new QueryEndpoint(store, c.dataDir);
  return runUntilSignal([store, gw, queries], {
    onStarted: () =>
      log.info(
        {
          mqttPort: gw.mqttPort,
          opsPort: gw.opsPort,
          store: store.name,
          edges: gw.edges().length,
          provisioning: gw.provisioningSync?.source ?? 'file',
        },
        'gateway ready',
      ),
  });
}
