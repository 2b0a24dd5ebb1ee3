import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { generateSecret, hashSecret, listen, waitFor as runtimeWaitFor } from '@lumbung/runtime';
import {
  type AlertBatch,
  type DevicePresenceBatch,
  decodeBatch,
  type EdgeProvisioning,
  type ThresholdRule,
  type UplinkBatch,
} from '@lumbung/schemas';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach } from 'vitest';
import { Edge, type EdgeOptions } from '../src/index.ts';

export const VILLAGE = 'desa-sukamaju';
export const EDGE_ID = 'box-1';

/** Work to undo after each test of the calling file (close, stop, remove), run newest first. */
export function cleanupAfterEach(): (() => unknown)[] {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lumbung-edge-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestDevice {
  deviceId: string;
  secret: string;
  siteId?: string;
}

export function makeProvisioning(n: number, rules: ThresholdRule[] = [], siteId = 'gudang-1') {
  const devices: TestDevice[] = Array.from({ length: n }, (_, i) => ({
    deviceId: `dev-${i + 1}`,
    secret: generateSecret(),
    siteId,
  }));
  const provisioning: EdgeProvisioning = {
    villageId: VILLAGE,
    edgeId: EDGE_ID,
    devices: devices.map((d) => ({
      deviceId: d.deviceId,
      villageId: VILLAGE,
      siteId: d.siteId,
      secretHash: hashSecret(d.secret),
      revoked: false,
    })),
    rules,
  };
  return { devices, provisioning };
}

export function newEdge(dataDir: string, provisioning: EdgeProvisioning, extra: Partial<EdgeOptions> = {}): Edge {
  return new Edge({
    villageId: VILLAGE,
    edgeId: EDGE_ID,
    provisioning,
    dataDir,
    mqtt: { host: '127.0.0.1', port: 0 },
    ops: { host: '127.0.0.1', port: 0 },
    stopDrainMs: 200,
    ...extra,
  });
}

export const upTopic = (deviceId: string) => `lumbung/v1/${VILLAGE}/${deviceId}/up`;

/** Connects a device; resolves with the client or rejects with the CONNACK error. */
export function connectDevice(
  port: number,
  d: { deviceId: string; secret: string },
  opts: mqtt.IClientOptions = {},
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      clientId: d.deviceId,
      username: d.deviceId,
      password: d.secret,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...opts,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
    c.once('close', () => reject(new Error('closed before connect')));
  });
}

export function publish(c: MqttClient, topic: string, payload: string | Buffer, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) => c.publish(topic, payload, { qos }, (err) => (err ? reject(err) : resolve())));
}

export const endClient = (c: MqttClient) => new Promise<void>((r) => c.end(true, {}, () => r()));

export const waitFor = (
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<true> => runtimeWaitFor(what, async () => (await cond()) || undefined, timeoutMs, 20);

/**
 * A real aedes broker standing in for the gateway: it accepts the edge's login, records every batch and alert
 * publish, and can hold PUBACKs (authorizePublish is not called back until released).
 */
export class FakeGateway {
  batches: UplinkBatch[] = [];
  /** every batch publish, including resends, in arrival order */
  arrivals: { batchId: string; dup: boolean; batch: UplinkBatch }[] = [];
  alerts: AlertBatch[] = [];
  statuses: string[] = [];
  /** device presence messages (`.../devices`), never held */
  presence: DevicePresenceBatch[] = [];
  hold = false;
  #held: (() => void)[] = [];
  #broker: Aedes | undefined;
  #server: net.Server | tls.Server | undefined;
  #sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly secret = 'edge-secret',
    private readonly wantedPort = 0,
    /** serve MQTT over TLS with this key and certificate */
    private readonly tlsOptions?: { key: Buffer; cert: Buffer },
  ) {}

  get heldCount(): number {
    return this.#held.length;
  }

  release(): void {
    for (const f of this.#held.splice(0)) f();
  }

  async start(port = this.wantedPort || this.port): Promise<void> {
    this.#broker = await Aedes.createBroker({
      authenticate: (_c, username, password, cb) => {
        const ok = username === EDGE_ID && password?.toString() === this.secret;
        if (ok) cb(null, true);
        else {
          const e = new Error('no') as Error & { returnCode: number };
          e.returnCode = 5;
          cb(e as never, false);
        }
      },
      authorizePublish: (_c, packet, cb) => {
        const b = packet.topic.endsWith('/batch') ? decodeBatch(packet.payload as Buffer) : undefined;
        if (b) this.arrivals.push({ batchId: b.batchId, dup: packet.dup === true, batch: b });
        const record = () => {
          if (b) {
            if (!this.batches.some((x) => x.batchId === b.batchId)) this.batches.push(b);
          } else if (packet.topic.endsWith('/alerts')) {
            this.alerts.push(JSON.parse(packet.payload.toString()) as AlertBatch);
          } else if (packet.topic.endsWith('/status')) {
            this.statuses.push(packet.payload.toString());
          } else if (packet.topic.endsWith('/devices')) {
            this.presence.push(JSON.parse(packet.payload.toString()) as DevicePresenceBatch);
          }
          cb(null);
        };
        if (this.hold && !packet.topic.endsWith('/status') && !packet.topic.endsWith('/devices'))
          this.#held.push(record);
        else record();
      },
    });
    const onSocket = (s: net.Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
      this.#broker?.handle(s);
    };
    const server = this.tlsOptions
      ? tls.createServer(this.tlsOptions, onSocket).on('tlsClientError', () => {})
      : net.createServer(onSocket);
    this.port = await listen(server, port, '127.0.0.1');
    this.#server = server;
  }

  get readings() {
    return this.batches.flatMap((b) => b.readings);
  }

  async stop(): Promise<void> {
    this.#held = [];
    const server = this.#server;
    const broker = this.#broker;
    this.#server = undefined;
    this.#broker = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (broker) await new Promise<void>((r) => broker.close(() => r()));
  }
}
