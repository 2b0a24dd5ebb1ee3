import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cloudSettings, seedEcoDemo, seedFromScenario, seedSupplyDemo } from '@lumbung/cloud';
import { Edge, edgeOptionsFromConfig, edgeSettings } from '@lumbung/edge';
import {
  DEMO_SCENARIO_PATH,
  emittedReadings,
  families,
  iterateReadings,
  loadScenario,
  SECOND_DEMO_SCENARIO_PATH,
  Simulator,
} from '@lumbung/firmware-sim';
import { gatewaySettings } from '@lumbung/gateway';
import { createLogger, generateSecret, hashSecret, loadConfig } from '@lumbung/runtime';
import { openStore } from '@lumbung/store';
import { parse } from '../args.ts';
import { cloudSide } from '../cloud-side.ts';
import { demoCredentials, registerWithCredentials } from '../demo-credentials.ts';
import { ensureDemoUsers } from '../demo-users.ts';
import { resolvePort } from '../ports.ts';
import { progressBar } from '../progress.ts';
import { QueryEndpoint } from '../query-endpoint.ts';
import { runUntilSignal } from '../service.ts';
import { cliSettings, storeUrl } from '../settings.ts';

const USAGE = `lumbung demo
  Runs the whole system in one process on embedded stores: the cloud API and dashboard (SQLite registry,
  DuckDB time-series store), the ingestion gateway, a village box and the simulated village. On the first
  start it registers the village and sends LUMBUNG_DEMO_BACKFILL_DAYS of history through the real
  pipeline. Data stays in LUMBUNG_DATA_DIR; a restart continues on it.`;

export async function demo(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const cfg = loadConfig(cliSettings);
  const cloudCfg = loadConfig(cloudSettings);
  const edgeCfg = loadConfig(edgeSettings);
  const gwCfg = loadConfig(gatewaySettings);
  const level = process.env.LUMBUNG_LOG_LEVEL ?? 'warn';
  const dataDir = path.resolve(cfg.dataDir);
  await mkdir(dataDir, { recursive: true });

  const scenario = await loadScenario(cfg.scenario ?? DEMO_SCENARIO_PATH);
  const second = await loadScenario(SECOND_DEMO_SCENARIO_PATH);
  const creds = await demoCredentials(dataDir, scenario);
  const ports = {
    http: await resolvePort(cloudSettings.httpPort, cloudCfg.httpPort, process.env, cloudCfg.httpHost),
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
  const side = await cloudSide({
    http: { host: cloudCfg.httpHost, port: ports.http.port },
    databaseUrl: cloudCfg.databaseUrl,
    dashboardDir: cloudCfg.dashboardDir,
    dataDir,
    store,
    gatewayToken: creds.gatewayToken,
    authSecret: cloudCfg.authSecret,
    corsOrigins: cloudCfg.corsOrigins,
    publicUrl: cloudCfg.publicUrl,
    // The demo's gateway listens on loopback only: its one village box runs in this process.
    gateway: { ...gwCfg, dataDir, host: '127.0.0.1', port: ports.gateway.port, opsPort: ports.gatewayOps.port },
    logger: (c) => createLogger(c, level),
  });
  const { cloud, registry, events, dashboard } = side;
  // The registry is the source of every credential: the scenario is registered (idempotently) on each
  // start, with the hashes of the secrets in credentials.json, before the gateway and the edge ask for them.
  const seed = {
    start: async () => {
      await registerWithCredentials(registry, scenario, creds);
      // A second village, registered only (no devices report there), to show that villages are kept apart.
      // Its secrets are random and kept nowhere: nothing can connect as its box or devices.
      await seedFromScenario(registry, second, {
        edgeId: `box-${second.village.id}`,
        edgeName: `Kotak desa ${second.village.name}`,
        edgeSecretHash: hashSecret(generateSecret()),
        deviceSecretHashes: Object.fromEntries(second.devices.map((d) => [d.id, hashSecret(generateSecret())])),
      });
    },
    stop: async () => {},
  };
  // One user per role (issue 4); their passwords are printed below.
  const usersFile = path.join(dataDir, 'demo-users.json');
  let users: Record<string, string> = {};
  const demoAccounts = {
    start: async () => {
      const known = await readFile(usersFile, 'utf8').then(
        (t) => JSON.parse(t) as Record<string, string>,
        () => ({}),
      );
      users = await ensureDemoUsers(registry, cloud.auth!, scenario.village.id, {
        password: cfg.demoPassword,
        known,
        now: Date.now(),
        second: second.village.id,
      });
      await writeFile(usersFile, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
    },
    stop: async () => {},
  };
  // The supply chain of issue 5 (KUB Telur Asin Taman and its order), once, on the first start; the
  // storage conditions of its lots are read from the room readings the backfill brings.
  const supply = {
    start: async () => {
      const buyer = await registry.accounts.getUserByUsername('pembeli');
      await seedSupplyDemo(registry, store, {
        villageId: scenario.village.id,
        secondVillage: second.village,
        buyerUserId: buyer?.id ?? null,
      });
    },
    stop: async () => {},
  };
  // Indicators and the CSR report of issue 6, once, after the supply chain whose lots they weigh: a year of
  // the meters' readings (up to now: the backfill's own meter readings are then duplicates), the partner,
  // a year of hand-entered figures and last month's report. The simulator's devices start at the backfill.
  const meters = scenario.devices.filter((d) => /_meter$/.test(d.family)).map((d) => d.id);
  const eco = {
    start: async () => {
      await seedEcoDemo(registry, store, {
        villageId: scenario.village.id,
        pipelineFrom: Date.now() - backfillDays * 86_400_000,
        meterReadings: function* (from, to) {
          for (const e of iterateReadings(scenario, { from, to, devices: meters }))
            yield* emittedReadings(e, scenario.village.id);
        },
      });
    },
    stop: async () => {},
  };
  const cloudUrl = () => `http://127.0.0.1:${cloud.port}`;
  let stored = 0;
  let duplicates = 0;
  const offStored = events.on('batch-stored', (e) => {
    stored += e.stored;
    duplicates += e.duplicates;
  });
  const queries = new QueryEndpoint(store, dataDir);
  let edge: Edge | undefined;
  const edgeComponent = {
    start: async () => {
      const config = {
        ...edgeCfg,
        edgeId: creds.edgeId,
        dataDir,
        mqttPort: ports.edge.port,
        opsPort: ports.edgeOps.port,
        uplinkUrl: `mqtt://127.0.0.1:${side.gateway()!.mqttPort}`,
        edgeSecret: creds.edgeSecret,
        cloudUrl: cloudUrl(),
      };
      edge = new Edge({ ...edgeOptionsFromConfig(config), logger: createLogger('edge', level) });
      await edge.start();
    },
    stop: async () => edge?.stop(),
  };
  let simulator: Simulator | undefined;
  let backfillTotal = 0;
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

  const firstDevice = scenario.devices[0];
  const example = { deviceId: firstDevice?.id, metric: families[firstDevice?.family ?? '']?.metrics[0] };

  const tty = process.stdout.isTTY === true;
  let ticks = 0;
  const line = (text: string) => process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${text}\n`);
  const status = () => {
    const e = edge?.counters;
    const s = simulator?.stats();
    if (s?.phase === 'backfill') {
      backfillTotal = Math.max(backfillTotal, s.backlog + s.acked);
      const text = progressBar(
        backfillTotal ? s.acked / backfillTotal : 0,
        `history: ${s.acked}/${backfillTotal} messages sent, ${stored} readings stored`,
      );
      if (tty) process.stdout.write(`\r\x1b[2K${text}`);
      else if (ticks++ % 2 === 0) console.log(text);
      return;
    }
    const text = [
      `devices ${e?.connectedDevices ?? 0}/${scenario.devices.length}`,
      s?.phase ?? '',
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
    else if (ticks++ % 15 === 0) console.log(text);
  };

  const taken = (k: keyof typeof ports, was: number) => (ports[k].replaced ? `  (${was} was taken)` : '');
  return runUntilSignal(
    [store, cloud, seed, demoAccounts, supply, eco, side.gatewayComponent, queries, edgeComponent, simComponent],
    {
      tickMs: 1000,
      onTick: status,
      onStarted: () => {
        const web = `http://localhost:${cloud.port}`;
        console.log(
          [
            `Lumbung demo: ${scenario.village.name} (${scenario.devices.length} devices), data in ${dataDir}`,
            dashboard.dir
              ? `  dashboard               ${web}/#/v/${scenario.village.id}${taken('http', cloudCfg.httpPort)}`
              : `  dashboard               not served: ${dashboard.problem}`,
            `  API                     ${web}/api/v1  (OpenAPI: ${web}/docs)`,
            `  sign in (POST ${web}/api/v1/auth/login)  ${Object.entries(users)
              .map(([u, p]) => `${u} / ${cfg.demoPassword ? '$LUMBUNG_DEMO_PASSWORD' : p}`)
              .join(', ')}`,
            `  village box (devices)   mqtt://localhost:${edge!.mqttPort}${taken('edge', edgeCfg.mqttPort)}`,
            `  village box health      http://127.0.0.1:${edge!.opsPort}/health  (/metrics /devices /dead-letters /alerts)`,
            `  gateway (village boxes) mqtt://127.0.0.1:${side.gateway()!.mqttPort}${taken('gateway', gwCfg.port)}`,
            `  gateway health          http://127.0.0.1:${side.gateway()!.opsPort}/health  (/metrics /edges /alerts /dead-letters)`,
            `  registry                ${registry.provider}${cloudCfg.databaseUrl ? '' : ` ${path.join(dataDir, 'cloud.db')}`}`,
            `  time-series store       ${store.name} ${storeUrl(cfg.tsdbUrl, dataDir)}`,
            `  device secrets          ${creds.file}`,
            backfillDays > 0 ? `  sending ${backfillDays} day(s) of history first` : '',
            `  try: curl -s -X POST ${web}/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"${cfg.demoPassword ? '$LUMBUNG_DEMO_PASSWORD' : (users.admin ?? '')}"}'`,
            `       then, with its accessToken: curl -H 'authorization: Bearer TOKEN' '${web}/api/v1/villages/${scenario.village.id}/readings?deviceId=${example.deviceId}&metric=${example.metric}&from=${new Date(Date.now() - 86_400_000).toISOString()}&step=1h&agg=avg,min,max'`,
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
    },
  );
}
