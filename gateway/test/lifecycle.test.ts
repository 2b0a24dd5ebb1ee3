import { hashSecret } from '@lumbung/runtime';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  batchTopic,
  closed,
  edge,
  type Harness,
  makeBatch,
  metricValue,
  publish,
  sleep,
  startHarness,
  T0,
  type TestEdge,
  until,
} from './helpers.ts';

const A = edge('box-a', 'desa-a');
const B = edge('box-b', 'desa-b');
const C = edge('box-c', 'desa-a');
const DAY = 24 * 3_600_000;

let h: Harness | undefined;
const extra: Harness[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  // A failed test may leave a write held; stop() would wait for it forever.
  h?.store.release();
  for (const x of extra.splice(0)) await x.close();
  await h?.close();
  h = undefined;
});

/** Publishes and records what became of it: PUBACK, an error, or nothing yet. */
function tracked(client: MqttClient, topic: string, payload: Buffer, log: string[], name: string) {
  const state = { value: 'pending' as 'pending' | 'acked' | 'error' };
  void publish(client, topic, payload).then(
    () => {
      state.value = 'acked';
      log.push(`puback ${name}`);
    },
    () => {
      state.value = 'error';
      log.push(`error ${name}`);
    },
  );
  return state;
}

function logClose(client: MqttClient, log: string[], name: string): void {
  client.once('close', () => log.push(`close ${name}`));
}

describe('stop() with a store write in flight', () => {
  it('waits for the held write, sends the PUBACKs of the written batches before closing, refuses new ones', async () => {
    h = await startHarness([A, B, C]);
    const a = await h.connect(A);
    const b = await h.connect(B);
    const c = await h.connect(C);
    const log: string[] = [];
    logClose(a, log, 'a');
    logClose(b, log, 'b');
    logClose(c, log, 'c');

    h.store.hold();
    const batchA = makeBatch(A.edgeId, 50);
    const batchB = makeBatch(B.edgeId, 70);
    const ackA = tracked(a, batchTopic(A), batchA.payload, log, 'a');
    await until(() => h!.store.holding === 1);
    // B's batch gathers for the next write, behind A's held one.
    const ackB = tracked(b, batchTopic(B), batchB.payload, log, 'b');
    await until(() => h!.gateway.pendingReadings === 120);

    let stopped = false;
    const stopping = h.gateway.stop().then(() => {
      stopped = true;
    });
    // A batch arriving while the gateway stops is refused: connection closed, no PUBACK, nothing written.
    const cClosed = closed(c);
    const ackC = tracked(c, batchTopic(C), makeBatch(C.edgeId, 5).payload, log, 'c');
    await cClosed;
    await sleep(200);
    expect(stopped).toBe(false);
    expect(ackA.value).toBe('pending');
    expect(ackB.value).toBe('pending');
    expect(a.connected && b.connected).toBe(true);

    h.store.release();
    await stopping;
    await until(() => log.includes('close a') && log.includes('close b'));
    expect(ackA.value).toBe('acked');
    expect(ackB.value).toBe('acked');
    expect(ackC.value).not.toBe('acked');
    expect(log.indexOf('puback a')).toBeLessThan(log.indexOf('close a'));
    expect(log.indexOf('puback b')).toBeLessThan(log.indexOf('close b'));
    expect(h.store.writes).toEqual([50, 70]);
    expect(await h.count('desa-a')).toBe(50);
    expect(await h.count('desa-b')).toBe(70);

    // After a restart on the same dataDir, a resend of the acknowledged batches (same ids) comes from the ledger.
    const h2 = await startHarness([A, B, C], {}, { dir: h.dataDir, store: h.store });
    extra.push(h2);
    const a2 = await h2.connect(A);
    const b2 = await h2.connect(B);
    await publish(a2, batchTopic(A), batchA.payload);
    await publish(b2, batchTopic(B), batchB.payload);
    expect(h.store.writes).toEqual([50, 70]);
    expect(await metricValue(h2.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(2);
  });
});

describe('setProvisioning() at run time', () => {
  it('disconnects a re-keyed edge (old secret refused, new one accepted) and a revoked one; others keep flowing', async () => {
    h = await startHarness([A, B, C]);
    const a = await h.connect(A);
    const b = await h.connect(B);
    const c = await h.connect(C);
    await publish(b, batchTopic(B), makeBatch(B.edgeId, 10, { start: T0 }).payload);

    // A is re-keyed while one of its batches is being written: the batch is written, the connection dropped.
    h.store.hold();
    const inFlight = makeBatch(A.edgeId, 30);
    const log: string[] = [];
    const ackA = tracked(a, batchTopic(A), inFlight.payload, log, 'a');
    await until(() => h!.store.holding === 1);
    const rekeyed: TestEdge = { ...A, secret: 'new-secret-of-box-a', secretHash: hashSecret('new-secret-of-box-a') };
    const aClosed = closed(a);
    h.gateway.setProvisioning({ edges: [rekeyed, B, C] });
    await aClosed;
    h.store.release();
    await until(() => h!.gateway.pendingReadings === 0);
    expect(ackA.value).not.toBe('acked');
    expect(b.connected && c.connected).toBe(true);

    await expect(h.connect(A)).rejects.toThrow(/Not authorized/i);
    expect(await metricValue(h.gateway, 'lumbung_gateway_connect_refused_total', { reason: 'bad_secret' })).toBe(1);
    const a2 = await h.connect(rekeyed);
    // The resend of the unacknowledged batch is recognised: written once.
    await publish(a2, batchTopic(A), inFlight.payload);
    await publish(a2, batchTopic(A), makeBatch(A.edgeId, 5, { start: T0 + DAY }).payload);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
    expect(await h.count('desa-a')).toBe(35);

    // Revoke C: disconnected, refused afterwards; A (new key) and B unaffected.
    const cClosed = closed(c);
    h.gateway.setProvisioning({ edges: [rekeyed, B, { ...C, revoked: true }] });
    await cClosed;
    await expect(h.connect(C)).rejects.toThrow(/Not authorized/i);
    expect(await metricValue(h.gateway, 'lumbung_gateway_connect_refused_total', { reason: 'revoked' })).toBe(1);
    expect(a2.connected && b.connected).toBe(true);
    await publish(b, batchTopic(B), makeBatch(B.edgeId, 10, { start: T0 + DAY }).payload);
    await publish(a2, batchTopic(A), makeBatch(A.edgeId, 5, { start: T0 + 2 * DAY }).payload);
    expect(await h.count('desa-b')).toBe(20);
    expect(await h.count('desa-a')).toBe(40);

    const byId = Object.fromEntries(h.gateway.edges().map((e) => [e.edgeId, e]));
    expect(byId['box-a']).toMatchObject({ connections: 1, revoked: false });
    expect(byId['box-b']).toMatchObject({ connections: 1 });
    expect(byId['box-c']).toMatchObject({ connections: 0, revoked: true });
    expect(h.gateway.health().connectedEdges).toBe(2);
  });
});

describe('ledger retention', () => {
  it('prunes acknowledged batch ids older than ledgerRetentionDays at start; younger ones survive a restart', async () => {
    let now = T0 + DAY;
    const clock = () => now;
    h = await startHarness([A], { now: clock, ledgerRetentionDays: 30 });
    const a = await h.connect(A);
    const old = makeBatch(A.edgeId, 10, { start: T0 });
    await publish(a, batchTopic(A), old.payload);
    now = T0 + 10 * DAY;
    const young = makeBatch(A.edgeId, 10, { start: T0 + 5 * DAY });
    await publish(a, batchTopic(A), young.payload);
    await a.endAsync();
    await h.gateway.stop();

    // 31 days after the old batch was acknowledged, 22 days after the young one.
    now = T0 + 32 * DAY;
    const h2 = await startHarness([A], { now: clock, ledgerRetentionDays: 30 }, { dir: h.dataDir, store: h.store });
    extra.push(h2);
    const a2 = await h2.connect(A);
    await publish(a2, batchTopic(A), young.payload);
    expect(await metricValue(h2.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
    expect(h.store.writes).toEqual([10, 10]);
    // The pruned id is no longer known: the resend goes to the store, which de-duplicates the readings exactly.
    await publish(a2, batchTopic(A), old.payload);
    expect(await metricValue(h2.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
    expect(h.store.writes).toEqual([10, 10, 10]);
    expect(await metricValue(h2.gateway, 'lumbung_gateway_readings_duplicate_total', { layer: 'store' })).toBe(10);
    expect(await h.count('desa-a')).toBe(20);
  });

  it('prunes hourly while running', async () => {
    // Only the gateway's hourly timer is driven by hand; the broker, clients and store keep real timers.
    const intervals = vi.spyOn(globalThis, 'setInterval');
    let now = T0 + DAY;
    h = await startHarness([A], { now: () => now, ledgerRetentionDays: 30, dedupWindow: 0 });
    const a = await h.connect(A);
    const old = makeBatch(A.edgeId, 10, { start: T0 });
    await publish(a, batchTopic(A), old.payload);
    now = T0 + 20 * DAY;
    const young = makeBatch(A.edgeId, 10, { start: T0 + 5 * DAY });
    await publish(a, batchTopic(A), young.payload);

    now = T0 + 32 * DAY;
    const hourly = intervals.mock.calls.filter(([, ms]) => ms === 3_600_000);
    expect(hourly).toHaveLength(1);
    (hourly[0]![0] as () => void)();
    await publish(a, batchTopic(A), young.payload);
    await publish(a, batchTopic(A), old.payload);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
    expect(h.store.writes).toEqual([10, 10, 10]);
    expect(await h.count('desa-a')).toBe(20);
  });
});
