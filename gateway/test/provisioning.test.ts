import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@lumbung/runtime';
import { StandInCloud } from '@lumbung/runtime/testing';
import type { GatewayProvisioning } from '@lumbung/schemas';
import type { TimeSeriesStore } from '@lumbung/store';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { Gateway, type GatewayOptions, gatewayOptionsFromConfig, loadGatewayConfig } from '../src/index.ts';
import { closed, edge, metricValue, realStore, type TestEdge, tempDir, until } from './helpers.ts';

const ROUTE = '/api/v1/provisioning/gateway';
const TOKEN = 'gateway-token';
const A = edge('box-a', 'desa-a');
const B = edge('box-b', 'desa-b');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const provisioning = (...edges: TestEdge[]): GatewayProvisioning => ({
  edges: edges.map(({ secret: _s, ...e }) => e),
});

async function standInCloud(p: GatewayProvisioning): Promise<StandInCloud> {
  const cloud = new StandInCloud();
  cloud.serve(ROUTE, p, (auth) => (auth === `Bearer ${TOKEN}` ? 200 : 401));
  await cloud.start();
  cleanups.push(() => cloud.stop());
  return cloud;
}

async function setup() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const store = await realStore(dir.path);
  cleanups.push(() => store.stop());
  return { dir: dir.path, store };
}

function cloudGateway(dir: string, store: TimeSeriesStore, url: string, extra: Partial<GatewayOptions> = {}) {
  const gw = new Gateway({
    store,
    dataDir: join(dir, 'gateway'),
    mqtt: { host: '127.0.0.1', port: 0 },
    ops: false,
    cloud: { url, token: TOKEN, intervalMs: 100 },
    ...extra,
  });
  cleanups.push(() => gw.stop());
  return gw;
}

async function connect(gw: Gateway, e: TestEdge) {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, {
    username: e.edgeId,
    password: e.secret,
    clientId: `edge-${e.edgeId}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  cleanups.push(() => c.endAsync(true).catch(() => {}));
  return c;
}

describe('gateway provisioning from the cloud', () => {
  it('fetches the edges with its bearer token, caches them (0600) and disconnects an edge the cloud revokes', async () => {
    const { dir, store } = await setup();
    const cloud = await standInCloud(provisioning(A, B));
    const gw = cloudGateway(dir, store, cloud.url);
    await gw.start();
    expect(cloud.requests[0]).toMatchObject({ path: ROUTE, authorization: `Bearer ${TOKEN}`, status: 200 });
    const cacheFile = join(dir, 'gateway', 'provisioning.json');
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).body).toEqual(provisioning(A, B));
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);

    const a = await connect(gw, A);
    const b = await connect(gw, B);
    cloud.update(ROUTE, provisioning({ ...A, revoked: true }, B));
    await closed(a, 5000);
    await expect(connect(gw, A)).rejects.toThrow(/Not authorized/i);
    expect(b.connected).toBe(true);
    expect(gw.edges().find((e) => e.edgeId === 'box-a')?.revoked).toBe(true);
    expect(await metricValue(gw, 'lumbung_gateway_provisioning_fetches_total', { result: 'changed' })).toBe(1);
  });

  it('started while the cloud is down, admits the edges of its cached copy; health says degraded until the cloud answers', async () => {
    const { dir, store } = await setup();
    const cloud = await standInCloud(provisioning(A));
    const first = cloudGateway(dir, store, cloud.url);
    await first.start();
    await first.stop();
    await cloud.stop();

    const gw = cloudGateway(dir, store, cloud.url);
    await gw.start();
    await connect(gw, A);
    expect(gw.health()).toMatchObject({ status: 'degraded', provisioning: { source: 'cache' } });
    await cloud.start();
    await until(() => gw.health().status === 'ok', 5000);
    expect(gw.provisioningSync).toMatchObject({ source: 'cloud', lastError: null });
  });

  it('without the cloud and a cache, start() fails naming LUMBUNG_CLOUD_URL', async () => {
    const { dir, store } = await setup();
    const cloud = await standInCloud(provisioning(A));
    await cloud.stop();
    const gw = cloudGateway(dir, store, cloud.url);
    await expect(gw.start()).rejects.toThrow(/^LUMBUNG_CLOUD_URL: cannot get the provisioning/);
    expect(gw.health().status).toBe('down');
  });

  it('keeps its edges when the cloud refuses the token', async () => {
    const { dir, store } = await setup();
    const cloud = await standInCloud(provisioning(A));
    const gw = cloudGateway(dir, store, cloud.url);
    await gw.start();
    const a = await connect(gw, A);
    cloud.serve(ROUTE, provisioning(), () => 401);
    const refusals = () => metricValue(gw, 'lumbung_gateway_provisioning_fetches_total', { result: 'unauthorized' });
    await until(async () => (await refusals()) >= 2, 5000);
    expect(gw.edges().map((e) => e.edgeId)).toEqual(['box-a']);
    expect(a.connected).toBe(true);
    expect(gw.provisioningSync?.lastError).toMatch(/HTTP 401/);
    expect(gw.health().status).toBe('degraded');
  });
});

describe('gateway settings with LUMBUNG_CLOUD_URL', () => {
  const store = { name: 'any' } as unknown as TimeSeriesStore;

  it('gives the gateway the cloud to pull from (no file needed)', () => {
    const c = loadGatewayConfig({
      LUMBUNG_CLOUD_URL: 'http://cloud:8080',
      LUMBUNG_GATEWAY_TOKEN: 't0ken',
      LUMBUNG_PROVISIONING_INTERVAL_S: '30',
      LUMBUNG_DATA_DIR: '/var/lib/lumbung',
    });
    const o = gatewayOptionsFromConfig(c, { store });
    expect(o).toMatchObject({
      cloud: { url: 'http://cloud:8080', token: 't0ken', intervalMs: 30_000 },
      dataDir: '/var/lib/lumbung/gateway',
    });
    expect(o.provisioning).toBeUndefined();
  });

  it('names a missing token, a provisioning passed as well, and a URL that is not http(s)', () => {
    const c = loadGatewayConfig({ LUMBUNG_CLOUD_URL: 'http://cloud:8080' });
    expect(() => gatewayOptionsFromConfig(c, { store })).toThrow(ConfigError);
    expect(() => gatewayOptionsFromConfig(c, { store })).toThrow(/^LUMBUNG_GATEWAY_TOKEN: is required/);
    expect(() =>
      gatewayOptionsFromConfig({ ...c, gatewayToken: 't' }, { store, provisioning: provisioning(A) }),
    ).toThrow(/^LUMBUNG_CLOUD_URL: is set/);
    expect(() => loadGatewayConfig({ LUMBUNG_CLOUD_URL: 'mqtt://cloud:8080' })).toThrow(/^LUMBUNG_CLOUD_URL/);
  });
});
