import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Edge, edgeOptionsFromConfig, edgeSettings } from '@lumbung/edge';
import {
  type DevicePresenceEvent,
  Gateway,
  type GatewayEvents,
  gatewayOptionsFromConfig,
  loadGatewayConfig,
} from '@lumbung/gateway';
import { EventBus, generateSecret, hashSecret, loadConfig, waitFor } from '@lumbung/runtime';
import { basicAuth, StandInCloud } from '@lumbung/runtime/testing';
import { deviceTopic, type EdgeProvisioning, type GatewayProvisioning } from '@lumbung/schemas';
import { openStore } from '@lumbung/store';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

// The village box and the gateway as `lumbung edge` and `lumbung gateway` build them from settings, both provisioned
// by a stand-in for the cloud API, with a real device client: what the cloud's registry says reaches the devices,
// and what the devices do reaches the cloud's event.

const VILLAGE = 'kel-uji';
const EDGE = 'box-uji';
const TOKEN = 'gateway-token';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function connectDevice(port: number, d: { id: string; secret: string }): Promise<MqttClient> {
  const status = deviceTopic(VILLAGE, d.id, 'status');
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: d.id,
    username: d.id,
    password: d.secret,
    reconnectPeriod: 0,
    will: { topic: status, payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
  });
}

describe('edge and gateway provisioned by the cloud, device presence back to it', () => {
  it('a device coming online and dropping off reaches device-presence; a revocation in the registry cuts it off', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lumbung-cloud-prov-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const edgeSecret = generateSecret();
    const devices = ['dev-a', 'dev-b'].map((id) => ({ id, secret: generateSecret() }));
    const edgeProv = (revoked: string[] = []): EdgeProvisioning => ({
      villageId: VILLAGE,
      edgeId: EDGE,
      devices: devices.map((d) => ({
        deviceId: d.id,
        villageId: VILLAGE,
        secretHash: hashSecret(d.secret),
        revoked: revoked.includes(d.id),
      })),
      rules: [],
    });
    const gwProv: GatewayProvisioning = {
      edges: [{ edgeId: EDGE, villageId: VILLAGE, secretHash: hashSecret(edgeSecret), revoked: false }],
    };
    const cloud = new StandInCloud();
    cloud.serve('/api/v1/provisioning/edge', edgeProv(), (a) => (a === basicAuth(EDGE, edgeSecret) ? 200 : 401));
    cloud.serve('/api/v1/provisioning/gateway', gwProv, (a) => (a === `Bearer ${TOKEN}` ? 200 : 401));
    await cloud.start();
    cleanups.push(() => cloud.stop());

    const store = openStore(path.join(dir, 'tsdb.duckdb'));
    await store.start();
    cleanups.push(() => store.stop());
    const events = new EventBus<GatewayEvents>();
    const presence: DevicePresenceEvent[] = [];
    cleanups.push(events.on('device-presence', (e) => presence.push(e)));
    const gateway = new Gateway(
      gatewayOptionsFromConfig(
        loadGatewayConfig({
          LUMBUNG_CLOUD_URL: cloud.url,
          LUMBUNG_GATEWAY_TOKEN: TOKEN,
          LUMBUNG_PROVISIONING_INTERVAL_S: '1',
          LUMBUNG_DATA_DIR: dir,
          LUMBUNG_GATEWAY_HOST: '127.0.0.1',
          LUMBUNG_GATEWAY_PORT: '0',
          LUMBUNG_GATEWAY_OPS_PORT: '0',
        }),
        { store, events },
      ),
    );
    await gateway.start();
    cleanups.push(() => gateway.stop());

    const edge = new Edge(
      edgeOptionsFromConfig(
        loadConfig(edgeSettings, {
          LUMBUNG_CLOUD_URL: cloud.url,
          LUMBUNG_EDGE_ID: EDGE,
          LUMBUNG_EDGE_SECRET: edgeSecret,
          LUMBUNG_PROVISIONING_INTERVAL_S: '1',
          LUMBUNG_DATA_DIR: dir,
          LUMBUNG_MQTT_HOST: '127.0.0.1',
          LUMBUNG_MQTT_PORT: '0',
          LUMBUNG_EDGE_OPS_PORT: '0',
          LUMBUNG_UPLINK_URL: `mqtt://127.0.0.1:${gateway.mqttPort}`,
          LUMBUNG_UPLINK_RECONNECT_MIN_MS: '50',
        }),
      ),
    );
    await edge.start();
    cleanups.push(() => edge.stop());

    const states = (deviceId: string) =>
      presence.flatMap((e) => e.devices.filter((d) => d.deviceId === deviceId).map((d) => d.state));
    // the snapshot after the uplink connected: nobody is online yet
    await waitFor('the snapshot', () => presence.length >= 1, 10_000);
    expect(presence[0]).toEqual({
      villageId: VILLAGE,
      edgeId: EDGE,
      devices: [
        { deviceId: 'dev-a', state: 'offline', ts: expect.any(Number) },
        { deviceId: 'dev-b', state: 'offline', ts: expect.any(Number) },
      ],
      at: expect.any(Number),
    });

    const a = await connectDevice(edge.mqttPort, devices[0]!);
    cleanups.push(() => a.endAsync(true));
    await a.publishAsync(deviceTopic(VILLAGE, 'dev-a', 'status'), '{"state":"online"}', { qos: 1, retain: true });
    await waitFor('dev-a online', () => states('dev-a').at(-1) === 'online', 10_000);

    a.stream.destroy(); // the device loses power: no DISCONNECT, its will is published
    await waitFor('dev-a offline', () => states('dev-a').at(-1) === 'offline', 10_000);
    expect(states('dev-a')).toEqual(['offline', 'online', 'offline']);

    // The registry revokes dev-b while it is connected: the box cuts it off at its next poll (1 s here, 15 s by
    // default), and the cloud hears it went offline.
    const b = await connectDevice(edge.mqttPort, devices[1]!);
    cleanups.push(() => b.endAsync(true));
    await waitFor('dev-b online', () => states('dev-b').at(-1) === 'online', 10_000);
    let bClosed = false;
    b.once('close', () => (bClosed = true));
    cloud.update('/api/v1/provisioning/edge', edgeProv(['dev-b']));
    await waitFor('dev-b cut off', () => bClosed, 10_000);
    await waitFor('dev-b offline', () => states('dev-b').at(-1) === 'offline', 10_000);
    await expect(connectDevice(edge.mqttPort, devices[1]!)).rejects.toThrow(/Not authorized/i);
  });
});
