import { EventBus, freePort } from '@lumbung/runtime';
import { type DevicePresenceBatch, deviceTopic, MAX_PRESENCE_DEVICES } from '@lumbung/schemas';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { EdgeEvents } from '../src/index.ts';
import { PresenceForwarder } from '../src/presence.ts';
import {
  cleanupAfterEach,
  connectDevice,
  endClient,
  FakeGateway,
  makeProvisioning,
  newEdge,
  publish,
  tempDir,
  VILLAGE,
  waitFor,
} from './helpers.ts';

const SECRET = 'edge-secret';
const cleanups = cleanupAfterEach();

async function setup(n: number, o: { gatewayPort?: number; presenceDelayMs?: number } = {}) {
  const gw = new FakeGateway(SECRET, o.gatewayPort ?? 0);
  await gw.start();
  cleanups.push(() => gw.stop());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const p = makeProvisioning(n);
  const edge = newEdge(t.dir, p.provisioning, {
    uplink: { url: `mqtt://127.0.0.1:${gw.port}`, password: SECRET, reconnectMinMs: 50, reconnectMaxMs: 100 },
    presenceDelayMs: o.presenceDelayMs ?? 150,
  });
  await edge.start();
  cleanups.push(() => edge.stop());
  return { gw, edge, p };
}

/** Every device state the gateway got, flattened, in arrival order. */
const states = (gw: FakeGateway) => gw.presence.flatMap((b) => b.devices.map((d) => `${d.deviceId}:${d.state}`));

describe('device presence forwarded to the gateway', () => {
  it('a snapshot of every provisioned device on connect, then changes: online on connect, offline on an ungraceful loss', async () => {
    const { gw, edge, p } = await setup(3);
    await waitFor(() => gw.presence.length === 1, 5000, 'the snapshot');
    expect(states(gw)).toEqual(['dev-1:offline', 'dev-2:offline', 'dev-3:offline']);

    const before = Date.now();
    const d = p.devices[1]!;
    const c = await connectDevice(edge.mqttPort, d, {
      will: { topic: deviceTopic(VILLAGE, d.deviceId, 'status'), payload: Buffer.from('{"state":"offline"}'), qos: 1 },
    });
    await publish(c, deviceTopic(VILLAGE, d.deviceId, 'status'), '{"state":"online"}');
    await waitFor(() => gw.presence.length === 2, 5000, 'online');
    // The connection and the status message within the coalescing window are one message, one state.
    expect(gw.presence[1]).toEqual({ devices: [{ deviceId: 'dev-2', state: 'online', ts: expect.any(Number) }] });
    expect(gw.presence[1]!.devices[0]!.ts).toBeGreaterThanOrEqual(before);

    c.stream.destroy(); // no DISCONNECT: the broker publishes the will
    await waitFor(() => gw.presence.length === 3, 5000, 'offline');
    expect(gw.presence[2]).toEqual({ devices: [{ deviceId: 'dev-2', state: 'offline', ts: expect.any(Number) }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(gw.presence).toHaveLength(3); // the will and the disconnect are one change
    expect(await edge.metrics.registry.getSingleMetricAsString('lumbung_edge_presence_forwarded_total')).toMatch(
      /lumbung_edge_presence_forwarded_total 5$/,
    );
  });

  it('coalesces a burst of connections into one message', async () => {
    const { gw, edge, p } = await setup(6, { presenceDelayMs: 400 });
    await waitFor(() => gw.presence.length === 1, 5000, 'the snapshot');
    const clients = await Promise.all(p.devices.map((d) => connectDevice(edge.mqttPort, d)));
    cleanups.push(() => Promise.all(clients.map(endClient)).then(() => {}));
    await waitFor(() => gw.presence.length === 2, 5000, 'the burst');
    await new Promise((r) => setTimeout(r, 500));
    expect(gw.presence).toHaveLength(2);
    expect(states(gw).slice(6).sort()).toEqual(p.devices.map((d) => `${d.deviceId}:online`).sort());
  });

  it('while the uplink is down keeps only the newest state, and the snapshot on reconnect carries it', async () => {
    const port = await freePort();
    const { gw, edge, p } = await setup(2, { gatewayPort: port });
    await waitFor(() => gw.presence.length === 1, 5000, 'the snapshot');
    await gw.stop();
    await waitFor(() => edge.uplinkState === 'offline', 5000, 'uplink down');

    const [d1, d2] = [p.devices[0]!, p.devices[1]!];
    const c1 = await connectDevice(edge.mqttPort, d1);
    await endClient(c1); // online, then offline again: only the last counts
    const c2 = await connectDevice(edge.mqttPort, d2);
    cleanups.push(() => endClient(c2));
    await new Promise((r) => setTimeout(r, 300)); // past the coalescing window: nothing could be sent

    gw.presence = [];
    await gw.start(port);
    await waitFor(() => gw.presence.length >= 1, 5000, 'the snapshot after reconnecting');
    await new Promise((r) => setTimeout(r, 300));
    expect(gw.presence).toHaveLength(1);
    expect(states(gw)).toEqual(['dev-1:offline', 'dev-2:online']);
  });

  it('reports the devices offline when the box stops', async () => {
    const { gw, edge, p } = await setup(1);
    await waitFor(() => gw.presence.length === 1, 5000, 'the snapshot');
    const c = await connectDevice(edge.mqttPort, p.devices[0]!);
    cleanups.push(() => endClient(c));
    await waitFor(() => gw.presence.length === 2, 5000, 'online');
    await edge.stop();
    // sent before the uplink closed, without waiting for the coalescing window
    expect(states(gw)).toEqual(['dev-1:offline', 'dev-1:online', 'dev-1:offline']);
  });

  it('a takeover by the same device id is not an offline', async () => {
    const { gw, edge, p } = await setup(1);
    await waitFor(() => gw.presence.length === 1, 5000, 'the snapshot');
    const d = p.devices[0]!;
    const first = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(first));
    await waitFor(() => gw.presence.length === 2, 5000, 'online');
    const again = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(again));
    await new Promise((r) => setTimeout(r, 400));
    expect(states(gw)).toEqual(['dev-1:offline', 'dev-1:online']);
    expect(edge.devices()[0]).toMatchObject({ connected: true });
  });
});

describe('PresenceForwarder', () => {
  it(`splits a snapshot into messages of at most ${MAX_PRESENCE_DEVICES} devices`, () => {
    const events = new EventBus<EdgeEvents>();
    const sent: DevicePresenceBatch[] = [];
    const devices = Array.from({ length: MAX_PRESENCE_DEVICES + 1 }, (_, i) => ({ deviceId: `d-${i}` }));
    const f = new PresenceForwarder({
      events,
      presence: new Map(),
      devices: () => devices,
      send: (b) => sent.push(b) > 0,
      now: () => 1_700_000_000_000,
      delayMs: 1000,
      logger: pino({ level: 'silent' }),
    });
    f.start();
    events.emit('uplink-state', { state: 'online' });
    f.stop();
    expect(sent.map((b) => b.devices.length)).toEqual([MAX_PRESENCE_DEVICES, 1]);
    expect(events.listenerCount()).toBe(0);
  });
});
