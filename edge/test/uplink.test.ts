import { freePort } from '@lumbung/runtime';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { Edge } from '../src/index.ts';
import {
  cleanupAfterEach,
  connectDevice,
  endClient,
  FakeGateway,
  makeProvisioning,
  newEdge,
  publish,
  tempDir,
  upTopic,
  waitFor,
} from './helpers.ts';

const cleanups = cleanupAfterEach();

const SECRET = 'edge-secret';

async function setup(opts: { gatewayPort?: number; hold?: boolean } = {}) {
  const gw = new FakeGateway(SECRET, opts.gatewayPort ?? 0);
  gw.hold = opts.hold ?? false;
  await gw.start();
  cleanups.push(() => gw.stop());
  return gw;
}

function startEdge(
  dir: string,
  provisioning: ReturnType<typeof makeProvisioning>['provisioning'],
  port: number,
  batchMaxReadings = 100,
) {
  const edge = newEdge(dir, provisioning, {
    uplink: {
      url: `mqtt://127.0.0.1:${port}`,
      password: SECRET,
      batchMaxReadings,
      batchMaxDelayMs: 20,
      maxInflightBatches: 2,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    },
  });
  return edge;
}

async function sendReadings(c: MqttClient, deviceId: string, from: number, to: number, tsOf: (seq: number) => number) {
  for (let seq = from; seq < to; seq++) {
    await publish(
      c,
      upTopic(deviceId),
      JSON.stringify({ seq, ts: tsOf(seq), readings: { air_temperature: 20 + (seq % 10) } }),
    );
  }
}

describe('uplink', () => {
  it('a batch leaves the queue only after the gateway acknowledges it', async () => {
    const gw = await setup({ hold: true });
    const t = tempDir();
    const p = makeProvisioning(1);
    const edge = startEdge(t.dir, p.provisioning, gw.port);
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    await waitFor(() => edge.uplinkState === 'online', 5000, 'uplink online');
    const d = p.devices[0]!;
    const c = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(c));
    const t0 = Date.now() - 60_000;
    await sendReadings(c, d.deviceId, 0, 150, (s) => t0 + s);
    await waitFor(() => gw.heldCount === 2, 5000, 'two batches at the gateway, unacknowledged');
    await new Promise((r) => setTimeout(r, 100));
    expect(edge.queueStats()).toMatchObject({ readings: 150, openBatches: 2 });
    expect(gw.heldCount).toBe(2); // maxInflightBatches
    gw.release();
    gw.hold = false;
    await waitFor(() => edge.queueStats().readings === 0, 5000, 'queue drained');
    expect(gw.readings.map((r) => r.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(gw.readings.every((r) => r.tsSource === 'device' && r.ts === t0 + r.seq)).toBe(true);
    expect(edge.counters.readingsUplinked).toBe(150);
  });

  it('survives a gateway outage: backlog drains oldest first with original timestamps, live keeps flowing, nothing twice', async () => {
    const port = await freePort();
    let gw = await setup({ gatewayPort: port });
    const t = tempDir();
    const p = makeProvisioning(2);
    const edge = startEdge(t.dir, p.provisioning, port, 50);
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    await waitFor(() => edge.uplinkState === 'online', 5000, 'uplink online');
    const [a, b] = p.devices as [(typeof p.devices)[0], (typeof p.devices)[0]];
    const ca = await connectDevice(edge.mqttPort, a);
    const cb = await connectDevice(edge.mqttPort, b);
    cleanups.push(
      () => endClient(ca),
      () => endClient(cb),
    );
    const t0 = Date.now() - 3_600_000;
    await sendReadings(ca, a.deviceId, 0, 100, (s) => t0 + s * 1000);
    await waitFor(() => gw.readings.length === 100, 5000, 'first 100 delivered');

    await gw.stop();
    await waitFor(() => edge.uplinkState !== 'online', 5000, 'uplink down');
    await sendReadings(ca, a.deviceId, 100, 600, (s) => t0 + s * 1000);
    expect(edge.queueStats().readings).toBe(500);
    expect(edge.health().status).toBe('degraded');

    const gw2 = new FakeGateway(SECRET, port);
    gw2.batches = gw.batches; // same "cloud": what arrived before the outage is already stored
    gw2.arrivals = gw.arrivals;
    gw2.hold = true; // a slow cloud: the backlog cannot drain before live readings arrive
    await gw2.start();
    cleanups.push(() => gw2.stop());
    gw = gw2;
    await waitFor(() => gw2.heldCount === 2, 5000, 'first backlog batches in flight');
    // live readings from device b while the backlog is being sent
    await sendReadings(cb, b.deviceId, 0, 100, () => Date.now());
    await new Promise((r) => setTimeout(r, 50)); // batchMaxDelayMs: the live range is due
    gw2.hold = false;
    while (gw2.heldCount > 0 || edge.queueStats().readings > 0) {
      gw2.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => edge.queueStats().readings === 0, 10_000, 'backlog drained');

    const all = gw.readings;
    const keys = all.map((r) => `${r.deviceId}:${r.seq}`);
    expect(new Set(keys).size).toBe(keys.length); // nothing twice
    expect(all.filter((r) => r.deviceId === a.deviceId).map((r) => r.seq)).toEqual(
      Array.from({ length: 600 }, (_, i) => i),
    );
    expect(all.filter((r) => r.deviceId === a.deviceId).every((r) => r.ts === t0 + r.seq * 1000)).toBe(true);
    expect(all.filter((r) => r.deviceId === b.deviceId)).toHaveLength(100);
    // live data did not wait for the whole backlog: some of b's readings arrived before a's last backlog reading
    const lastBacklog = keys.indexOf(`${a.deviceId}:599`);
    const firstLive = keys.findIndex((k) => k.startsWith(`${b.deviceId}:`));
    expect(firstLive).toBeGreaterThan(-1);
    expect(firstLive).toBeLessThan(lastBacklog);
  });

  it('after an edge crash the same batch (same id, same content) is resent and then removed', async () => {
    const gw = await setup({ hold: true });
    const t = tempDir();
    cleanups.push(t.cleanup);
    const p = makeProvisioning(1);
    const d = p.devices[0]!;
    let edge: Edge = startEdge(t.dir, p.provisioning, gw.port);
    await edge.start();
    await waitFor(() => edge.uplinkState === 'online', 5000, 'uplink online');
    const c = await connectDevice(edge.mqttPort, d);
    await sendReadings(c, d.deviceId, 0, 80, (s) => Date.now() - 100_000 + s);
    await waitFor(() => gw.heldCount === 2, 5000, 'batches held (maxInflightBatches)');
    await endClient(c);
    await edge.stop(); // the held batches are not acknowledged: they stay in the queue
    const firstSends = [...gw.arrivals];
    expect(firstSends.length).toBeGreaterThanOrEqual(1);

    gw.hold = false;
    edge = startEdge(t.dir, p.provisioning, gw.port);
    await edge.start();
    cleanups.push(() => edge.stop());
    expect(edge.queueStats()).toMatchObject({ readings: 80, openBatches: 2 });
    await waitFor(() => edge.queueStats().readings === 0, 5000, 'resent batches acknowledged');
    for (const first of firstSends) {
      const again = gw.arrivals.filter((x) => x.batchId === first.batchId).slice(1);
      expect(again.length).toBeGreaterThanOrEqual(1);
      expect(again.every((x) => x.dup)).toBe(true);
      expect(again[0]!.batch).toEqual(first.batch); // same id, same content
    }
    expect(gw.readings.map((r) => r.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it('reconnects with a growing backoff while the gateway refuses the login', async () => {
    const gw = new FakeGateway('another-secret');
    await gw.start();
    cleanups.push(() => gw.stop());
    const t = tempDir();
    const p = makeProvisioning(1);
    const edge = startEdge(t.dir, p.provisioning, gw.port);
    const states: string[] = [];
    const off = edge.events.on('uplink-state', (s) => states.push(s.state));
    cleanups.push(off);
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    await new Promise((r) => setTimeout(r, 1000));
    // 50, 100, 200, 200 ... ms: about 5-8 attempts in one second, not 20 (fixed 50 ms)
    const attempts = states.filter((s) => s === 'connecting').length;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(10);
    expect(edge.uplinkState).not.toBe('online');
  });
});
