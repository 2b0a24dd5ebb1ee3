import { edgeTopic } from '@lumbung/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevicePresenceEvent } from '../src/index.ts';
import { closed, edge, type Harness, metricValue, publish, sleep, startHarness, until } from './helpers.ts';

const A = edge('box-a', 'desa-a');
const B = edge('box-b', 'desa-b');
const TS = Date.UTC(2026, 0, 1);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const devicesTopic = (e: typeof A) => edgeTopic(e.villageId, e.edgeId, 'devices');

function collect(harness: Harness) {
  const events: DevicePresenceEvent[] = [];
  harness.gateway.events.on('device-presence', (e) => events.push(e));
  return events;
}

describe('device presence from village boxes', () => {
  it("emits device-presence with the edge's village, acknowledges, and counts the states", async () => {
    h = await startHarness([A]);
    const events = collect(h);
    const a = await h.connect(A);
    const before = Date.now();
    const devices = [
      { deviceId: 'ws-1', state: 'online', ts: TS },
      { deviceId: 'gudang-t1', state: 'offline', ts: TS + 5 },
    ];
    await publish(a, devicesTopic(A), JSON.stringify({ devices })); // resolves on PUBACK
    expect(events).toEqual([{ villageId: 'desa-a', edgeId: 'box-a', devices, at: expect.any(Number) }]);
    expect(events[0]!.at).toBeGreaterThanOrEqual(before);
    expect(await metricValue(h.gateway, 'lumbung_gateway_device_presence_total', { state: 'online' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_device_presence_total', { state: 'offline' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_acked_total')).toBe(0); // not a batch
  });

  it.each([
    ['not JSON', '{"devices": ['],
    ['no devices', '{"devices": []}'],
    ['a state that is not online/offline', JSON.stringify({ devices: [{ deviceId: 'ws-1', state: 'up', ts: TS }] })],
    ['a device id outside the grammar', JSON.stringify({ devices: [{ deviceId: 'WS/1', state: 'online', ts: TS }] })],
  ])('dead-letters %s as invalid_presence, acknowledges it and emits nothing', async (_what, payload) => {
    h = await startHarness([A]);
    const events = collect(h);
    const a = await h.connect(A);
    await publish(a, devicesTopic(A), payload);
    expect(events).toEqual([]);
    expect(h.gateway.deadLetters({ reason: 'invalid_presence' })).toMatchObject([
      { reason: 'invalid_presence', edgeId: 'box-a', villageId: 'desa-a', topic: devicesTopic(A) },
    ]);
    expect(
      await metricValue(h.gateway, 'lumbung_gateway_batches_dead_lettered_total', { reason: 'invalid_presence' }),
    ).toBe(1);
    expect(a.connected).toBe(true);
  });

  it("refuses presence on another edge's topic (disconnects) and never forwards presence to subscribers", async () => {
    h = await startHarness([A, B]);
    const events = collect(h);
    const a = await h.connect(A);
    const got: string[] = [];
    a.on('message', (topic) => got.push(topic));
    await a.subscribeAsync(`lumbung/v1/desa-a/edges/box-a/#`, { qos: 1 });
    await publish(a, devicesTopic(A), JSON.stringify({ devices: [{ deviceId: 'ws-1', state: 'online', ts: TS }] }));
    await sleep(100);
    expect(got).toEqual([]);
    expect(events).toHaveLength(1);

    const b = await h.connect(B);
    const gone = closed(b);
    b.publish(devicesTopic(A), JSON.stringify({ devices: [{ deviceId: 'ws-1', state: 'offline', ts: TS }] }), {
      qos: 1,
    });
    await gone;
    await until(async () => (await metricValue(h!.gateway, 'lumbung_gateway_publish_refused_total')) === 1);
    expect(events).toHaveLength(1);
  });
});
