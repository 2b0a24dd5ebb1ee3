import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Edge, edgeOptionsFromConfig, edgeSettings } from '@lumbung/edge';
import { DEMO_SCENARIO_PATH, families, loadScenario, Simulator } from '@lumbung/firmware-sim';
import { Gateway, gatewayOptionsFromConfig, gatewaySettings } from '@lumbung/gateway';
import { createLogger, loadConfig } from '@lumbung/runtime';
import { openStore } from '@lumbung/store';
import { parse } from '../args.ts';
import { demoCredentials } from '../demo-credentials.ts';
import { resolvePort } from '../ports.ts';
import { QueryEndpoint } from '../query-endpoint.ts';
import { runUntilSignal } from '../service.ts';
import { cliSettings, storeUrl } from '../settings.ts';

const USAGE = `lumbung demo
  Runs the whole system in one process on embedded stores: the ingestion gateway (DuckDB time-series
  store), a village box and the simulated village, and prints live counts. On the first start it sends
  LUMBUNG_DEMO_BACKFILL_DAYS of history through the real pipeline. Data stays in LUMBUNG_DATA_DIR.`;

export async function demo(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const cfg = loadConfig(cliSettings);
  const edgeCfg = loadConfig(edgeSettings);
  const gwCfg = loadConfig(gatewaySettings);
  const level = process.env.LUMBUNG_LOG_LEVEL ?? 'warn';
  const dataDir = path.resolve(cfg.dataDir);
  await mkdir(dataDir, { recursive: true });

  const scenario = await loadScenario(cfg.scenario ?? DEMO_SCENARIO_PATH);
  const creds = await demoCredentials(dataDir, scenario);
  const ports = {
    gateway: await resolvePort(gatewaySettings.port, gwCfg.port, process.env, '127.0.0.1'),
    gatewayOps: await resolvePort(gatewaySettings.opsPort, gwCfg.opsPort, process.env, gwCfg.opsHost),
    edge: await resolvePort(edgeSettings.mqttPort, edgeCfg.mqttPort, process.env, edgeCfg.mqttHost),
    edgeOps: await resolvePort(edgeSettings.opsPort, edgeCfg.opsPort, process.env, edgeCfg.opsHost),
  };

  const stateFile = path.join(dataDir, 'demo.json');
  const state = await readFile(stateFile, 'utf8').then(
    (t) => JSON.parse(t) as { backfilledAt?: number },
    () => ({}) as { backfilledAt?: number },
  );
  const backfillDays = state.backfilledAt ? 0 : cfg.backfillDays;

  const store = openStore(storeUrl(cfg.tsdbUrl, dataDir));
  // The demo's gateway listens on loopback only: its one village box runs in this process.
  const gateway = new Gateway({
    ...gatewayOptionsFromConfig(
      { ...gwCfg, dataDir, host: '127.0.0.1', port: ports.gateway.port, opsPort: ports.gatewayOps.port },
      { store, provisioning: creds.gateway },
    ),
    logger: createLogger('gateway', level),
  });
  let stored = 0;
  let duplicates = 0;
  const offStored = gateway.events.on('batch-stored', (e) => {
    stored += e.stored;
    duplicates += e.duplicates;
  });
  const queries = new QueryEndpoint(store, dataDir);
  // The edge's uplink port is known only once the gateway listens: build the edge lazily.
  let edge: Edge | undefined;
  const edgeComponent = {
    start: async () => {
      const config = {
        ...edgeCfg,
        edgeId: creds.edgeId,
        dataDir,
        mqttPort: ports.edge.port,
        opsPort: ports.edgeOps.port,
        uplinkUrl: `mqtt://127.0.0.1:${gateway.mqttPort}`,
        edgeSecret: creds.edgeSecret,
      };
      edge = new Edge({ ...edgeOptionsFromConfig(config, creds.edge), logger: createLogger('edge', level) });
      await edge.start();
    },
    stop: async () => edge?.stop(),
  };
  let simulator: Simulator | undefined;
  const simComponent = {
    start: async () => {
      simulator = new Simulator({
        scenario,
        brokerUrl: `mqtt://127.0.0.1:${edge!.mqttPort}`,
        secrets: creds.deviceSecrets,
        speed: cfg.simSpeed,
        realTimeCap: true,
        backfillDays,
        onEvent: (e) => {
          if (e.type === 'backfill_complete') {
            void writeFile(stateFile, JSON.stringify({ ...state, backfilledAt: Date.now() }));
            line(`backfill done: ${e.published} messages in ${(e.durationMs / 1000).toFixed(1)} s`);
          } else if (e.type === 'refused' || e.type === 'error') line(`device ${e.deviceId}: ${e.message}`);
        },
      });
      await simulator.start();
    },
    stop: async () => simulator?.stop(),
  };

  // A series the banner's example query will find: the first device's first metric.
  const firstDevice = scenario.devices[0];
  const example = { deviceId: firstDevice?.id, metric: families[firstDevice?.family ?? '']?.metrics[0] };

  const tty = process.stdout.isTTY === true;
  let ticks = 0;
  const line = (text: string) => process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${text}\n`);
  const status = () => {
    const e = edge?.counters;
    const s = simulator?.stats();
    const text = [
      `devices ${e?.connectedDevices ?? 0}/${scenario.devices.length}`,
      s ? `${s.phase}${s.phase === 'backfill' ? ` (${s.backlog} to go)` : ''}` : '',
      `sent ${s?.acked ?? 0}`,
      `box queue ${e?.queueReadings ?? 0}`,
      `uplink ${e?.uplink ?? '-'}`,
      `stored ${stored}${duplicates ? ` (dup ${duplicates})` : ''}`,
      `dead letters ${e?.deadLetters ?? 0}`,
      `alerts ${e?.alerts ?? 0}`,
    ]
      .filter(Boolean)
      .join(' · ');
    if (tty) process.stdout.write(`\r\x1b[2K${text}`);
    else if (ticks++ % 5 === 0) console.log(text);
  };

  return runUntilSignal([store, gateway, queries, edgeComponent, simComponent], {
    tickMs: 2000,
    onTick: status,
    onStarted: () => {
      const replaced = Object.entries(ports)
        .filter(([, p]) => p.replaced)
        .map(([k]) => k);
      console.log(
        [
          `Lumbung demo: ${scenario.village.name} (${scenario.devices.length} devices), data in ${dataDir}`,
          `  village box (devices)   mqtt://localhost:${edge!.mqttPort}${replaced.includes('edge') ? `  (${edgeCfg.mqttPort} was taken)` : ''}`,
          `  village box health      http://127.0.0.1:${edge!.opsPort}/health  (/metrics /devices /dead-letters /alerts)`,
          `  gateway (village boxes) mqtt://127.0.0.1:${gateway.mqttPort}${replaced.includes('gateway') ? `  (${gwCfg.port} was taken)` : ''}`,
          `  gateway health          http://127.0.0.1:${gateway.opsPort}/health  (/metrics /edges /alerts /dead-letters)`,
          `  time-series store       ${store.name} ${storeUrl(cfg.tsdbUrl, dataDir)}`,
          `  device secrets          ${creds.file}`,
          backfillDays > 0 ? `  sending ${backfillDays} day(s) of history first` : '',
          `  try: npm run lumbung -- query --village ${scenario.village.id} --device ${example.deviceId} --metric ${example.metric} --from ${new Date(Date.now() - 86_400_000).toISOString()} --to ${new Date().toISOString()} --step 1h --agg avg,min,max`,
          'Ctrl-C stops (queues flushed, stores closed).',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    },
    onStopping: () => {
      offStored();
      line('stopping…');
    },
  });
}
