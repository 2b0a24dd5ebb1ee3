import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, generateSecret, hashSecret, waitFor } from '@lumbung/runtime';
import { deviceTopic, type EdgeProvisioning, type GatewayProvisioning } from '@lumbung/schemas';
import { DuckDbStore, type Point } from '@lumbung/store';
import mqtt, { type MqttClient } from 'mqtt';
import { LumbungProcess } from '../../src/child.ts';

export { waitFor };

export interface Pipeline {
  dir: string;
  villageId: string;
  devices: { id: string; secret: string }[];
  edgePort: number;
  edgeOpsPort: number;
  gateway: LumbungProcess;
  edge: LumbungProcess;
  queueReadings(): Promise<number>;
  storedSeries(deviceId: string, metric: string): Promise<Point[]>;
  cleanup(): Promise<void>;
}

/** A village box and a gateway as separate `lumbung` processes, with `n` provisioned devices. */
export async function startPipeline(n: number): Promise<Pipeline> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lumbung-e2e-'));
  const villageId = 'kel-uji';
  const edgeId = 'box-uji';
  const edgeSecret = generateSecret();
  const devices = Array.from({ length: n }, (_, i) => ({
    id: `dev-${String(i).padStart(3, '0')}`,
    secret: generateSecret(),
  }));
  const edgeProv: EdgeProvisioning = {
    villageId,
    edgeId,
    devices: devices.map((d) => ({ deviceId: d.id, villageId, secretHash: hashSecret(d.secret), revoked: false })),
    rules: [],
  };
  const gwProv: GatewayProvisioning = {
    edges: [{ edgeId, villageId, secretHash: hashSecret(edgeSecret), revoked: false }],
  };
  await writeFile(path.join(dir, 'edge.json'), JSON.stringify(edgeProv));
  await writeFile(path.join(dir, 'gateway.json'), JSON.stringify(gwProv));
  const [gwPort, gwOps, edgePort, edgeOps] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const gateway = new LumbungProcess(
    'gateway',
    {
      LUMBUNG_DATA_DIR: path.join(dir, 'gateway'),
      LUMBUNG_GATEWAY_PROVISIONING: path.join(dir, 'gateway.json'),
      LUMBUNG_GATEWAY_HOST: '127.0.0.1',
      LUMBUNG_GATEWAY_PORT: String(gwPort),
      LUMBUNG_GATEWAY_OPS_PORT: String(gwOps),
    },
    `http://127.0.0.1:${gwOps}/health`,
  );
  const edge = new LumbungProcess(
    'edge',
    {
      LUMBUNG_DATA_DIR: path.join(dir, 'edge'),
      LUMBUNG_EDGE_PROVISIONING: path.join(dir, 'edge.json'),
      LUMBUNG_MQTT_HOST: '127.0.0.1',
      LUMBUNG_MQTT_PORT: String(edgePort),
      LUMBUNG_EDGE_OPS_PORT: String(edgeOps),
      LUMBUNG_UPLINK_URL: `mqtt://127.0.0.1:${gwPort}`,
      LUMBUNG_EDGE_SECRET: edgeSecret,
    },
    `http://127.0.0.1:${edgeOps}/health`,
  );
  return {
    dir,
    villageId,
    devices,
    edgePort,
    edgeOpsPort: edgeOps,
    gateway,
    edge,
    queueReadings: async () => {
      const q = (await (await fetch(`http://127.0.0.1:${edgeOps}/queue`)).json()) as { readings: number };
      return q.readings;
    },
    // The gateway process owns the DuckDB file; read it only after the gateway stopped.
    storedSeries: async (deviceId, metric) => {
      const store = new DuckDbStore({ path: path.join(dir, 'gateway', 'tsdb.duckdb') });
      await store.start();
      try {
        return await store.queryRaw({ villageId, deviceId, metric, from: 0, to: 8.64e15 });
      } finally {
        await store.stop();
      }
    },
    cleanup: async () => {
      await edge.kill();
      await gateway.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SentMessage {
  deviceId: string;
  seq: number;
  ts: number;
  temperature: number;
  humidity: number;
  acked: boolean;
}

/**
 * Devices that publish QoS 1 readings at a steady pace and record which messages were acknowledged.
 * They reconnect on their own (as real devices do) when the village box goes away.
 */
export class Fleet {
  readonly sent: SentMessage[] = [];
  readonly #clients: MqttClient[] = [];

  constructor(
    private readonly p: Pipeline,
    private readonly t0 = Date.UTC(2026, 10, 1),
  ) {}

  async connect(): Promise<void> {
    for (const d of this.p.devices) {
      const c = mqtt.connect(`mqtt://127.0.0.1:${this.p.edgePort}`, {
        clientId: d.id,
        username: d.id,
        password: d.secret,
        reconnectPeriod: 200,
        connectTimeout: 2000,
      });
      this.#clients.push(c);
    }
    await Promise.all(this.#clients.map((c) => new Promise((r) => c.once('connect', r))));
  }

  /** Each device publishes `count` messages, one every `intervalMs`; resolves when every publish settled. */
  async publish(count: number, intervalMs: number): Promise<void> {
    await Promise.all(
      this.p.devices.map(async (d, i) => {
        const client = this.#clients[i]!;
        const settled: Promise<void>[] = [];
        const start = this.sent.filter((m) => m.deviceId === d.id).length;
        for (let k = start; k < start + count; k++) {
          const m: SentMessage = {
            deviceId: d.id,
            seq: k,
            ts: this.t0 + k * 60_000,
            temperature: Math.round((20 + ((k * 7 + i) % 150) / 10) * 10) / 10,
            humidity: Math.round((50 + ((k * 3 + i) % 400) / 10) * 10) / 10,
            acked: false,
          };
          this.sent.push(m);
          const payload = JSON.stringify({
            seq: m.seq,
            ts: m.ts,
            readings: { air_temperature: m.temperature, relative_humidity: m.humidity },
          });
          settled.push(
            new Promise<void>((resolve) => {
              client.publish(deviceTopic(this.p.villageId, d.id, 'up'), payload, { qos: 1 }, (err) => {
                if (!err) m.acked = true;
                resolve();
              });
            }),
          );
          await new Promise((r) => setTimeout(r, intervalMs));
        }
        await Promise.all(settled);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((c) => c.endAsync(true)));
  }
}

/**
 * Checks exactly-once storage: every acknowledged message is stored with its value and device timestamp,
 * nothing is stored twice, and nothing is stored that was not sent.
 */
export async function verifyExactlyOnce(p: Pipeline, sent: SentMessage[]) {
  const problems: string[] = [];
  let stored = 0;
  for (const d of p.devices) {
    const mine = sent.filter((m) => m.deviceId === d.id);
    for (const [metric, pick] of [
      ['air_temperature', (m: SentMessage) => m.temperature],
      ['relative_humidity', (m: SentMessage) => m.humidity],
    ] as const) {
      const points = await p.storedSeries(d.id, metric);
      stored += points.length;
      const byTs = new Map<number, number>();
      for (const pt of points) {
        if (byTs.has(pt.ts)) problems.push(`${d.id} ${metric} ts ${pt.ts} stored twice`);
        byTs.set(pt.ts, pt.value);
      }
      const sentTs = new Map(mine.map((m) => [m.ts, m]));
      for (const ts of byTs.keys()) if (!sentTs.has(ts)) problems.push(`${d.id} ${metric} ts ${ts} was never sent`);
      for (const m of mine) {
        const v = byTs.get(m.ts);
        if (m.acked && v === undefined) problems.push(`${d.id} seq ${m.seq} ${metric} acknowledged but not stored`);
        if (v !== undefined && v !== pick(m))
          problems.push(`${d.id} seq ${m.seq} ${metric} stored ${v}, sent ${pick(m)}`);
      }
    }
  }
  return {
    problems: problems.slice(0, 20),
    problemCount: problems.length,
    stored,
    acked: sent.filter((m) => m.acked).length,
  };
}

export interface CloudAndBox {
  /** http://127.0.0.1:PORT */
  base: string;
  api: string;
  cloud: LumbungProcess;
  edge: LumbungProcess;
  /** The box's device broker. */
  edgeMqtt: number;
  edgeOps: number;
}

/**
 * `lumbung cloud` and a `lumbung edge` that takes its provisioning from it, as separate processes on free
 * ports, for a village registered in `dir` (`lumbung register`). `track` gets each process as it starts, so
 * the caller can kill them whatever happens.
 */
export async function startCloudAndBox(
  dir: string,
  edge: { edgeId: string; secret: string },
  track: (p: LumbungProcess) => void,
  o: { provisioningIntervalS?: number } = {},
): Promise<CloudAndBox> {
  const [http, gw, edgeMqtt, edgeOps] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${http}`;
  const api = `${base}/api/v1`;
  const cloud = new LumbungProcess(
    'cloud',
    {
      LUMBUNG_DATA_DIR: dir,
      LUMBUNG_HTTP_PORT: String(http),
      LUMBUNG_GATEWAY_PORT: String(gw),
      LUMBUNG_GATEWAY_OPS_PORT: '0',
    },
    `${api}/health`,
  );
  track(cloud);
  await cloud.start();
  const box = new LumbungProcess(
    'edge',
    {
      LUMBUNG_DATA_DIR: path.join(dir, 'box'),
      LUMBUNG_EDGE_ID: edge.edgeId,
      LUMBUNG_EDGE_SECRET: edge.secret,
      LUMBUNG_CLOUD_URL: base,
      ...(o.provisioningIntervalS ? { LUMBUNG_PROVISIONING_INTERVAL_S: String(o.provisioningIntervalS) } : {}),
      LUMBUNG_UPLINK_URL: `mqtt://127.0.0.1:${gw}`,
      LUMBUNG_MQTT_HOST: '127.0.0.1',
      LUMBUNG_MQTT_PORT: String(edgeMqtt),
      LUMBUNG_EDGE_OPS_PORT: String(edgeOps),
    },
    `http://127.0.0.1:${edgeOps}/health`,
  );
  track(box);
  await box.start();
  return { base, api, cloud, edge: box, edgeMqtt, edgeOps };
}
