import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret, waitFor } from '@lumbung/runtime';
import { type EdgeCredential, edgeTopic, encodeBatch, type UplinkReading } from '@lumbung/schemas';
import {
  type Bucket,
  DuckDbStore,
  type LatestPoint,
  type Point,
  type SeriesInfo,
  type StoredReading,
  type TimeSeriesStore,
  type WriteResult,
} from '@lumbung/store';
import mqtt, { type MqttClient } from 'mqtt';
import { Gateway, type GatewayOptions } from '../src/index.ts';

export const T0 = Date.UTC(2025, 0, 1);

export function tempDir(prefix = 'lumbung-gw-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestEdge extends EdgeCredential {
  secret: string;
}

export function edge(edgeId: string, villageId: string, extra: Partial<EdgeCredential> = {}): TestEdge {
  const secret = `secret-of-${edgeId}`;
  return { edgeId, villageId, secretHash: hashSecret(secret), revoked: false, secret, ...extra };
}

/** The real embedded store (DuckDbStore) in a temp dir. */
export async function realStore(dir: string): Promise<TimeSeriesStore> {
  const store = new DuckDbStore({ path: join(dir, 'tsdb.duckdb') });
  await store.start();
  return store;
}

/** Wraps a store so a test can hold writes open or make them fail; every call goes to the real store. */
export class ControlledStore implements TimeSeriesStore {
  readonly name: string;
  writes: number[] = [];
  #hold: Promise<void> | undefined;
  #release: (() => void) | undefined;
  failNext = 0;
  holding = 0;

  constructor(readonly inner: TimeSeriesStore) {
    this.name = `controlled(${inner.name})`;
  }

  hold(): void {
    this.#hold = new Promise((r) => (this.#release = r));
  }

  release(): void {
    this.#release?.();
    this.#hold = undefined;
  }

  start(): Promise<void> {
    return this.inner.start();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  async write(readings: readonly StoredReading[]): Promise<WriteResult> {
    this.writes.push(readings.length);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated store outage');
    }
    const result = await this.inner.write(readings);
    if (this.#hold) {
      this.holding++;
      await this.#hold;
      this.holding--;
    }
    return result;
  }
  queryRaw(q: Parameters<TimeSeriesStore['queryRaw']>[0]): Promise<Point[]> {
    return this.inner.queryRaw(q);
  }
  queryBuckets(q: Parameters<TimeSeriesStore['queryBuckets']>[0]): Promise<Bucket[]> {
    return this.inner.queryBuckets(q);
  }
  latest(f: Parameters<TimeSeriesStore['latest']>[0]): Promise<LatestPoint[]> {
    return this.inner.latest(f);
  }
  listSeries(f: Parameters<TimeSeriesStore['listSeries']>[0]): Promise<SeriesInfo[]> {
    return this.inner.listSeries(f);
  }
  deleteBefore(before: number, f?: Parameters<TimeSeriesStore['deleteBefore']>[1]): Promise<void> {
    return this.inner.deleteBefore(before, f);
  }
}

export interface Harness {
  gateway: Gateway;
  store: ControlledStore;
  dataDir: string;
  edges: TestEdge[];
  connect(e: TestEdge, opts?: mqtt.IClientOptions): Promise<MqttClient>;
  /** Every stored sample of a village (all series, whole time range). */
  count(villageId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(
  edges: TestEdge[],
  opts: Partial<GatewayOptions> = {},
  shared?: { dir: string; store: ControlledStore },
): Promise<Harness> {
  const dir = shared ? { path: shared.dir, remove: () => {} } : tempDir();
  const store = shared?.store ?? new ControlledStore(await realStore(dir.path));
  const gateway = new Gateway({
    provisioning: { edges },
    store,
    dataDir: join(dir.path, 'gateway'),
    mqtt: { host: '127.0.0.1', port: 0 },
    ops: { host: '127.0.0.1', port: 0 },
    write: { backoffMs: 10, ...opts.write },
    ...opts,
  });
  await gateway.start();
  const clients: MqttClient[] = [];
  return {
    gateway,
    store,
    dataDir: dir.path,
    edges,
    async connect(e, o = {}) {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.mqttPort}`, {
        username: e.edgeId,
        password: e.secret,
        clientId: `${e.edgeId}-${Math.random().toString(36).slice(2, 8)}`,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...o,
      });
      clients.push(c);
      return c;
    },
    async count(villageId) {
      const series = await store.listSeries({ villageId });
      let n = 0;
      for (const s of series) n += (await store.queryRaw({ ...s, from: 0, to: Number.MAX_SAFE_INTEGER })).length;
      return n;
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
      await gateway.stop();
      if (!shared) {
        await store.stop();
        dir.remove();
      }
    },
  };
}

let batchCounter = 0;

/** A batch of `n` readings (air_temperature of `devices` devices, one per second from `start`). */
export function makeBatch(
  edgeId: string,
  n: number,
  o: { start?: number; devices?: number; batchId?: string; metric?: string; value?: (i: number) => number } = {},
): { batchId: string; payload: Buffer; readings: UplinkReading[] } {
  const start = o.start ?? T0;
  const devices = o.devices ?? 1;
  const readings: UplinkReading[] = [];
  for (let i = 0; i < n; i++) {
    readings.push({
      deviceId: `dev-${i % devices}`,
      metric: o.metric ?? 'air_temperature',
      ts: start + Math.floor(i / devices) * 1000,
      tsSource: 'device',
      value: o.value ? o.value(i) : 20 + (i % 10),
      seq: Math.floor(i / devices),
    });
  }
  const batchId = o.batchId ?? `b-${++batchCounter}`;
  return { batchId, readings, payload: encodeBatch({ batchId, edgeId, createdAt: T0, readings }) };
}

export function publish(client: MqttClient, topic: string, payload: Buffer | string, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) =>
    client.publish(topic, payload, { qos }, (err) => (err ? reject(err) : resolve())),
  );
}

export const batchTopic = (e: TestEdge) => edgeTopic(e.villageId, e.edgeId, 'batch');

/** Resolves when the client's connection closes (or rejects after `ms`). */
export function closed(client: MqttClient, ms = 5000): Promise<void> {
  if (!client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('connection still open')), ms);
    client.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const until = async (cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> => {
  await waitFor('condition', async () => (await cond()) || undefined, ms, 10);
};

export async function metricValue(g: Gateway, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = g.metrics.registry.getSingleMetric(name);
  if (!m) throw new Error(`no metric ${name}`);
  const data = await m.get();
  let sum = 0;
  for (const v of data.values) {
    if (Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val)) sum += v.value;
  }
  return sum;
}
