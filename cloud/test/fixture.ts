import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SCENARIO_PATH, emittedReadings, iterateReadings, loadScenario } from '@lumbung/firmware-sim';
import { createLogger, EventBus, hashSecret } from '@lumbung/runtime';
import { defaultCatalogue, type Scenario } from '@lumbung/schemas';
import { DuckDbStore, type StoredReading } from '@lumbung/store';
import { type App, buildApp } from '../src/app.ts';
import { type AuthPolicy, AuthService, OutboxNotifier } from '../src/auth/service.ts';
import { IngestBridge, type IngestEvents } from '../src/ingest.ts';
import { LiveHub } from '../src/live.ts';
import { openRegistry, type Registry, seedFromScenario } from '../src/registry/index.ts';
import { Telemetry } from '../src/telemetry.ts';

export const EDGE_ID = 'box-kel-taman';
export const EDGE_SECRET = 'edge-secret-for-tests';
export const GATEWAY_TOKEN = 'gateway-token-for-tests';
/** The fixture's clock: readings run up to here. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const HISTORY_DAYS = 3;

export interface Fixture {
  app: App;
  telemetry: Telemetry;
  /** Access token of `root`, a platform admin. */
  adminToken: string;
  auth: AuthService;
  /** The fixture's clock; tests may move it. */
  clock: { now: number };
  registry: Registry;
  store: DuckDbStore;
  live: LiveHub;
  bridge: IngestBridge;
  events: EventBus<IngestEvents>;
  scenario: Scenario;
  readings: StoredReading[];
  close(): Promise<void>;
}

/** Readings the simulator makes for the demo village over the fixture's history, as the store keeps them. */
export function villageReadings(scenario: Scenario, from: number, to: number): StoredReading[] {
  return [...iterateReadings(scenario, { from, to })].flatMap((e) => emittedReadings(e, scenario.village.id));
}

/**
 * The cloud app on a real registry database (SQLite file or a PostgreSQL schema) and a real DuckDB store,
 * with the demo village registered and three days of its simulated readings stored.
 */
/** Cheap scrypt for tests (the parameters are stored with each hash; production uses DEFAULT_SCRYPT). */
export const TEST_AUTH_POLICY: Partial<AuthPolicy> = { scrypt: { logN: 10, r: 8, p: 1 } };

export async function createFixture(
  db: { url: string | undefined; dataDir: string },
  opts: { authPolicy?: Partial<AuthPolicy> } = {},
): Promise<Fixture> {
  const scenario = await loadScenario(DEMO_SCENARIO_PATH);
  const dir = await mkdtemp(path.join(tmpdir(), 'lumbung-cloud-'));
  const store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
  await store.start();
  const readings = villageReadings(scenario, NOW - HISTORY_DAYS * 86_400_000, NOW);
  await store.write(readings);
  const registry = openRegistry({ url: db.url, dataDir: db.dataDir });
  await registry.start();
  await seedFromScenario(registry, scenario, {
    edgeId: EDGE_ID,
    edgeName: 'Kotak desa Taman',
    edgeSecretHash: hashSecret(EDGE_SECRET),
    deviceSecretHashes: Object.fromEntries(scenario.devices.map((d) => [d.id, hashSecret(`secret-${d.id}`)])),
  });
  const logger = createLogger('cloud-test', 'silent');
  const clock = { now: NOW };
  const auth = new AuthService({
    accounts: registry.accounts,
    key: Buffer.alloc(32, 7),
    notifier: new OutboxNotifier(registry.accounts, logger, () => clock.now),
    logger,
    policy: { ...TEST_AUTH_POLICY, ...opts.authPolicy },
    now: () => clock.now,
  });
  const telemetry = new Telemetry(registry, store, defaultCatalogue, { now: () => NOW });
  const live = new LiveHub({ flushMs: 50 });
  await live.start();
  const events = new EventBus<IngestEvents>();
  const bridge = new IngestBridge({
    subscribe: (e, l) => events.on(e, l),
    registry,
    telemetry,
    live,
    logger,
    now: () => NOW,
  });
  await bridge.start();
  const app = await buildApp({
    auth,
    registry,
    store,
    telemetry,
    live,
    catalogue: defaultCatalogue,
    version: '0.0.0-test',
    gatewayTokenHash: hashSecret(GATEWAY_TOKEN),
    logger,
    now: () => NOW,
  });
  await app.ready();
  const root = await registry.accounts.createUser({
    username: 'root',
    displayName: 'Platform admin',
    passwordHash: await auth.hashPassword('root-password'),
    createdAt: NOW,
  });
  await registry.accounts.setMemberships(root.id, [{ role: 'platform_admin', villageId: null }], NOW);
  const { accessToken: adminToken } = await auth.login('root', 'root-password', { ip: '127.0.0.1' });
  return {
    app,
    telemetry,
    adminToken,
    auth,
    clock,
    registry,
    store,
    live,
    bridge,
    events,
    scenario,
    readings,
    close: async () => {
      await live.stop();
      await app.close();
      await bridge.stop();
      await registry.stop();
      await store.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
