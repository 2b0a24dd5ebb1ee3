import { edgeTopic } from '@lumbung/schemas';
import { afterEach, describe, expect, it } from 'vitest';
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
  until,
} from './helpers.ts';

const A = edge('box-a', 'desa-a');
const B = edge('box-b', 'desa-b');
const REVOKED = edge('box-r', 'desa-a', { revoked: true });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('authentication and topic ACL', () => {
  it('refuses an edge with a wrong secret, an unknown edge and a revoked edge (CONNACK not authorized)', async () => {
    h = await startHarness([A, B, REVOKED]);
    await expect(h.connect({ ...A, secret: 'wrong' })).rejects.toThrow(/Not authorized/i);
    await expect(h.connect(edge('box-x', 'desa-a'))).rejects.toThrow(/Not authorized/i);
    await expect(h.connect(REVOKED)).rejects.toThrow(/Not authorized/i);
    const ok = await h.connect(A);
    expect(ok.connected).toBe(true);
    expect(await metricValue(h.gateway, 'lumbung_gateway_connect_refused_total', { reason: 'bad_secret' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_connect_refused_total', { reason: 'unknown_edge' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_connect_refused_total', { reason: 'revoked' })).toBe(1);
  });

  it('refuses a publish under another village (disconnects, stores nothing) and under another edge id', async () => {
    h = await startHarness([A, B]);
    const a = await h.connect(A);
    const wasClosed = closed(a);
    const { payload } = makeBatch(A.edgeId, 10);
    // No PUBACK ever comes for a refused publish: the broker closes the connection.
    void publish(a, edgeTopic('desa-b', A.edgeId, 'batch'), payload).catch(() => {});
    await wasClosed;
    const a2 = await h.connect(A);
    const closed2 = closed(a2);
    void publish(a2, edgeTopic('desa-a', 'box-other', 'batch'), payload).catch(() => {});
    await closed2;
    const a3 = await h.connect(A);
    const closed3 = closed(a3);
    void publish(a3, 'lumbung/v1/desa-a/dev-1/up', '{}').catch(() => {});
    await closed3;
    expect(await h.count('desa-b')).toBe(0);
    expect(await h.count('desa-a')).toBe(0);
    expect(await metricValue(h.gateway, 'lumbung_gateway_publish_refused_total', { reason: 'other_village' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_publish_refused_total', { reason: 'other_edge' })).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_publish_refused_total', { reason: 'topic' })).toBe(1);
  });

  it('grants subscriptions only below the edge its own subtree', async () => {
    h = await startHarness([A, B]);
    const a = await h.connect(A);
    const own = await a.subscribeAsync(`lumbung/v1/desa-a/edges/box-a/#`, { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    // mqtt.js turns a SUBACK failure (0x80) into an error.
    await expect(a.subscribeAsync(`lumbung/v1/desa-b/edges/box-b/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(a.subscribeAsync(`lumbung/v1/+/edges/box-a/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(await metricValue(h.gateway, 'lumbung_gateway_subscribe_refused_total')).toBe(2);
  });

  it('does not echo batches back to an edge subscribed to its own subtree', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    await a.subscribeAsync('lumbung/v1/desa-a/edges/box-a/#', { qos: 1 });
    const got: string[] = [];
    a.on('message', (topic) => got.push(topic));
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 5).payload);
    await sleep(100);
    expect(got).toEqual([]);
    expect(await h.count('desa-a')).toBe(5);
  });

  it('disconnects a connected edge when setProvisioning revokes it, and refuses it afterwards', async () => {
    h = await startHarness([A, B]);
    const a = await h.connect(A);
    const b = await h.connect(B);
    const aClosed = closed(a);
    h.gateway.setProvisioning({ edges: [{ ...A, revoked: true }, B] });
    await aClosed;
    expect(b.connected).toBe(true);
    await expect(h.connect(A)).rejects.toThrow(/Not authorized/i);
    h.gateway.setProvisioning({ edges: [A] });
    await closed(b);
  });
});

describe('acknowledgement after a durable write', () => {
  it('holds the PUBACK until store.write() has resolved', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    h.store.hold();
    let acked = false;
    const { payload } = makeBatch(A.edgeId, 100);
    const p = publish(a, batchTopic(A), payload).then(() => {
      acked = true;
    });
    await until(() => h!.store.holding === 1);
    // The real store has written, but its write() has not resolved: no PUBACK yet.
    await sleep(200);
    expect(acked).toBe(false);
    expect(h.gateway.pendingReadings).toBe(100);
    h.store.release();
    await p;
    expect(acked).toBe(true);
    expect(await h.count('desa-a')).toBe(100);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_acked_total')).toBe(1);
    expect(await metricValue(h.gateway, 'lumbung_gateway_readings_stored_total')).toBe(100);
  });

  it('keeps other edges flowing while one batch is held, in one group write', async () => {
    h = await startHarness([A, B]);
    const a = await h.connect(A);
    const b = await h.connect(B);
    h.store.hold();
    const pa = publish(a, batchTopic(A), makeBatch(A.edgeId, 50).payload);
    await until(() => h!.store.holding === 1);
    // B's batch arrives while A's write is in flight: it waits for the next write, not for A's connection.
    const pb = publish(b, batchTopic(B), makeBatch(B.edgeId, 70).payload);
    await until(() => h!.gateway.pendingReadings === 120);
    h.store.release();
    await Promise.all([pa, pb]);
    expect(await h.count('desa-a')).toBe(50);
    expect(await h.count('desa-b')).toBe(70);
  });

  it('retries a failed store write while holding the ack, then acknowledges', async () => {
    h = await startHarness([A], { write: { retries: 3, backoffMs: 10 } });
    const a = await h.connect(A);
    h.store.failNext = 2;
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 20).payload);
    expect(h.store.writes.length).toBe(3);
    expect(await h.count('desa-a')).toBe(20);
    expect(await metricValue(h.gateway, 'lumbung_gateway_store_errors_total')).toBe(2);
    expect((await fetchJson(h, '/health')).status).toBe('ok');
  });

  it('after the retry limit disconnects the edge without PUBACK; the resend is stored once', async () => {
    h = await startHarness([A], { write: { retries: 1, backoffMs: 10 } });
    const a = await h.connect(A);
    h.store.failNext = 2;
    const batch = makeBatch(A.edgeId, 30);
    let acked = false;
    const wasClosed = closed(a);
    void publish(a, batchTopic(A), batch.payload)
      .then(() => (acked = true))
      .catch(() => {});
    await wasClosed;
    expect(acked).toBe(false);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_failed_total')).toBe(1);
    const health = await fetchJson(h, '/health');
    expect(health.status).toBe('degraded');
    const a2 = await h.connect(A);
    await publish(a2, batchTopic(A), batch.payload);
    expect(await h.count('desa-a')).toBe(30);
    expect((await fetchJson(h, '/health')).status).toBe('ok');
  });
});

describe('de-duplication', () => {
  it('stores a re-sent batch (same id) once and acknowledges the resend from the ledger', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    const batch = makeBatch(A.edgeId, 200);
    await publish(a, batchTopic(A), batch.payload);
    await publish(a, batchTopic(A), batch.payload);
    expect(h.store.writes).toEqual([200]);
    expect(await h.count('desa-a')).toBe(200);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
  });

  it('remembers acknowledged batch ids across a restart of the gateway', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    const batch = makeBatch(A.edgeId, 10);
    await publish(a, batchTopic(A), batch.payload);
    const { dataDir, store } = h;
    await a.endAsync();
    await h.gateway.stop();
    const h2 = await startHarness([A], {}, { dir: dataDir, store });
    try {
      const a2 = await h2.connect(A);
      await publish(a2, batchTopic(A), batch.payload);
      expect(store.writes).toEqual([10]);
      expect(await metricValue(h2.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'ledger' })).toBe(1);
    } finally {
      await h2.close();
    }
    // h's own close stops the store and removes the dir; its gateway is already stopped (stop is idempotent).
  });

  it('re-sent batch while the first copy is still being written: written once, both acknowledged', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    const a2 = await h.connect(A);
    const batch = makeBatch(A.edgeId, 40);
    h.store.hold();
    const p1 = publish(a, batchTopic(A), batch.payload);
    await until(() => h!.store.holding === 1);
    const p2 = publish(a2, batchTopic(A), batch.payload);
    await sleep(50);
    h.store.release();
    await Promise.all([p1, p2]);
    expect(h.store.writes).toEqual([40]);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_duplicate_total', { layer: 'in_flight' })).toBe(1);
  });

  it('stores readings repeated in a different batch once', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 100, { batchId: 'first' }).payload);
    // Same readings, new batch id (e.g. an edge that lost its queue bookkeeping), plus 50 new ones.
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 150, { batchId: 'second' }).payload);
    expect(await h.count('desa-a')).toBe(150);
    expect(h.store.writes).toEqual([100, 50]);
    expect(await metricValue(h.gateway, 'lumbung_gateway_readings_duplicate_total', { layer: 'window' })).toBe(100);
  });

  it('falls back on the store when the window has forgotten (window 0): still stored once', async () => {
    h = await startHarness([A], { dedupWindow: 0 });
    const a = await h.connect(A);
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 100, { batchId: 'x1' }).payload);
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 100, { batchId: 'x2' }).payload);
    expect(await h.count('desa-a')).toBe(100);
    expect(await metricValue(h.gateway, 'lumbung_gateway_readings_duplicate_total', { layer: 'store' })).toBe(100);
  });

  it('keeps new readings of a rebooted device whose seq restarted at 0', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 10, { start: T0 }).payload);
    // Same device, seq 0..9 again, later timestamps.
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 10, { start: T0 + 3_600_000 }).payload);
    expect(await h.count('desa-a')).toBe(20);
  });
});

describe('bad input', () => {
  it('dead-letters bad batches and bad readings with reasons, acknowledges them, and keeps other edges flowing', async () => {
    h = await startHarness([A, B]);
    const a = await h.connect(A);
    const b = await h.connect(B);
    // Whole batches.
    await publish(a, batchTopic(A), Buffer.from([0xc1, 0xc1, 0xff, 0x00]));
    await publish(a, batchTopic(A), Buffer.from(JSON.stringify({ hello: 'world' })));
    const { Packr } = await import('msgpackr');
    await publish(a, batchTopic(A), new Packr({ useRecords: false }).pack({ hello: 'world' }));
    await publish(
      a,
      batchTopic(A),
      new Packr({ useRecords: false }).pack({
        v: 1,
        id: 'bad',
        edge: 'box-a',
        at: 1,
        dev: ['d'],
        met: ['m'],
        r: [[0, 0, 1]],
      }),
    );
    await publish(a, batchTopic(A), makeBatch('box-b', 5).payload); // says it is another edge
    // Readings: 10 good, plus unknown metric, NaN, out of range, far future, before 2020.
    const now = Date.now();
    const readings = makeBatch(A.edgeId, 10, { start: now - 60_000 }).readings;
    const bad = [
      { metric: 'moon_phase', value: 1, ts: now - 1000 },
      { metric: 'air_temperature', value: Number.NaN, ts: now - 2000 },
      { metric: 'air_temperature', value: Number.POSITIVE_INFINITY, ts: now - 2500 },
      { metric: 'air_temperature', value: 99, ts: now - 3000 },
      { metric: 'air_temperature', value: 25, ts: now + 3_600_000 },
      { metric: 'air_temperature', value: 25, ts: Date.UTC(2019, 5, 1) },
    ];
    for (const x of bad) readings.push({ deviceId: 'dev-9', tsSource: 'device', seq: 1, ...x });
    const { encodeBatch } = await import('@lumbung/schemas');
    await publish(a, batchTopic(A), encodeBatch({ batchId: 'mixed', edgeId: A.edgeId, createdAt: now, readings }));
    // B is unaffected.
    await publish(b, batchTopic(B), makeBatch(B.edgeId, 25).payload);

    expect(await h.count('desa-a')).toBe(10);
    expect(await h.count('desa-b')).toBe(25);
    const reasons = (r: string, labels = 'batches') =>
      metricValue(h!.gateway, `lumbung_gateway_${labels}_dead_lettered_total`, { reason: r });
    expect(await reasons('bad_encoding')).toBe(2);
    expect(await reasons('invalid_batch')).toBe(2);
    expect(await reasons('edge_mismatch')).toBe(1);
    expect(await reasons('unknown_metric', 'readings')).toBe(1);
    expect(await reasons('not_finite', 'readings')).toBe(2);
    expect(await reasons('out_of_range', 'readings')).toBe(1);
    expect(await reasons('future_ts', 'readings')).toBe(1);
    expect(await reasons('ts_before_2020', 'readings')).toBe(1);
    const dl = (await fetchJson(h, '/dead-letters')).deadLetters as Record<string, unknown>[];
    expect(dl.map((d) => d.reason).sort()).toEqual(
      [
        'bad_encoding',
        'bad_encoding',
        'edge_mismatch',
        'future_ts',
        'invalid_batch',
        'invalid_batch',
        'not_finite',
        'out_of_range',
        'ts_before_2020',
        'unknown_metric',
      ].sort(),
    );
    const enc = dl.findLast((d) => d.reason === 'bad_encoding')!;
    expect(enc).toMatchObject({ edgeId: 'box-a', villageId: 'desa-a', rawSize: 4, topic: batchTopic(A) });
    expect(Buffer.from(enc.sample as string, 'base64')).toEqual(Buffer.from([0xc1, 0xc1, 0xff, 0x00]));
    const nf = dl.find((d) => d.reason === 'not_finite')!;
    expect(nf).toMatchObject({ batchId: 'mixed', count: 2 });
    expect(nf.sample).toContain('NaN');
    const onlyFuture = (await fetchJson(h, '/dead-letters?reason=future_ts')).deadLetters as unknown[];
    expect(onlyFuture).toHaveLength(1);
    expect(a.connected).toBe(true);
  });

  it('keeps the dead-letter table bounded', async () => {
    h = await startHarness([A], { deadLetterMax: 3 });
    const a = await h.connect(A);
    for (let i = 0; i < 6; i++) await publish(a, batchTopic(A), Buffer.from([0xc1, i]));
    expect(h.gateway.deadLetters()).toHaveLength(3);
  });
});

describe('alerts and presence', () => {
  const alert = (id: string, villageId = 'desa-a') => ({
    id,
    key: `rule-1:site-1`,
    villageId,
    edgeId: 'box-a',
    source: 'rule',
    state: 'raised',
    severity: 'warning',
    ts: T0,
    message: { id: 'Suhu terlalu tinggi', en: 'Temperature too high' },
  });

  it('stores alerts idempotently by id, emits each once, refuses other villages', async () => {
    h = await startHarness([A]);
    const seen: string[] = [];
    const off = h.gateway.events.on('alert', (e) => seen.push(e.alert.id));
    const a = await h.connect(A);
    const topic = edgeTopic('desa-a', 'box-a', 'alerts');
    await publish(a, topic, JSON.stringify({ alerts: [alert('al-1'), alert('al-2')] }));
    await publish(a, topic, JSON.stringify({ alerts: [alert('al-2'), alert('al-3'), alert('al-x', 'desa-b')] }));
    await publish(a, topic, 'not json');
    off();
    expect(seen).toEqual(['al-1', 'al-2', 'al-3']);
    const body = await fetchJson(h, '/alerts?village=desa-a');
    expect((body.alerts as { id: string }[]).map((x) => x.id)).toEqual(['al-3', 'al-2', 'al-1']);
    expect(await metricValue(h.gateway, 'lumbung_gateway_alerts_received_total', { result: 'duplicate' })).toBe(1);
    expect(
      h.gateway
        .deadLetters()
        .map((d) => d.reason)
        .sort(),
    ).toEqual(['alert_other_village', 'bad_encoding']);
  });

  it('tracks edge presence from connections, status messages and the will', async () => {
    h = await startHarness([A, B]);
    const statusTopic = edgeTopic('desa-a', 'box-a', 'status');
    const a = await h.connect(A, {
      will: { topic: statusTopic, payload: Buffer.from(JSON.stringify({ state: 'offline' })), qos: 1, retain: true },
    });
    await publish(a, statusTopic, JSON.stringify({ state: 'online', ts: T0, queueDepth: 7 }));
    let edges = (await fetchJson(h, '/edges')).edges as Record<string, unknown>[];
    const ea = edges.find((e) => e.edgeId === 'box-a')!;
    expect(ea).toMatchObject({ connections: 1, villageId: 'desa-a', status: { state: 'online', queueDepth: 7 } });
    expect(edges.find((e) => e.edgeId === 'box-b')).toMatchObject({ connections: 0, status: null });
    // An unclean loss of the connection publishes the will.
    a.stream.destroy();
    await until(async () => {
      edges = (await fetchJson(h!, '/edges')).edges as Record<string, unknown>[];
      const e = edges.find((x) => x.edgeId === 'box-a')!;
      return e.connections === 0 && (e.status as { state: string }).state === 'offline';
    });
  });
});

describe('ops endpoint', () => {
  it('serves /health and /metrics with the gateway metrics', async () => {
    h = await startHarness([A]);
    const a = await h.connect(A);
    await publish(a, batchTopic(A), makeBatch(A.edgeId, 12).payload);
    const health = await fetchJson(h, '/health');
    expect(health).toMatchObject({ status: 'ok', component: 'gateway', connectedEdges: 1, pendingReadings: 0 });
    expect(health.mqttPort).toBe(h.gateway.mqttPort);
    const res = await fetch(`http://127.0.0.1:${h.gateway.opsPort}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/^lumbung_gateway_readings_stored_total 12$/m);
    expect(text).toMatch(/^lumbung_gateway_batches_acked_total 1$/m);
    expect(text).toMatch(/^lumbung_gateway_connected_edges 1$/m);
    expect(text).toMatch(/^lumbung_gateway_write_duration_seconds_count 1$/m);
    expect(text).toContain('lumbung_gateway_pending_readings 0');
  });
});

describe('many edges', () => {
  it('stores everything exactly once when 12 edges publish concurrently (with resends)', async () => {
    const edges = Array.from({ length: 12 }, (_, i) => edge(`box-${i}`, `desa-${i % 4}`));
    h = await startHarness(edges, { write: { maxReadings: 3000 } });
    const stored: number[] = [];
    const off = h.gateway.events.on('batch-stored', (e) => stored.push(e.stored));
    const clients = await Promise.all(edges.map((e) => h!.connect(e)));
    await Promise.all(
      edges.map(async (e, i) => {
        const c = clients[i]!;
        const batches = Array.from({ length: 8 }, (_, k) =>
          makeBatch(e.edgeId, 500, { start: T0 + k * 10_000_000 + i, devices: 5 }),
        );
        // Several in flight per edge, and every batch sent twice.
        await Promise.all(batches.map((b) => publish(c, batchTopic(e), b.payload)));
        await Promise.all(batches.map((b) => publish(c, batchTopic(e), b.payload)));
      }),
    );
    off();
    // Devices have the same ids in every village, but the store keys include the village: 3 edges per village.
    for (let v = 0; v < 4; v++) expect(await h.count(`desa-${v}`)).toBe(3 * 8 * 500);
    expect(stored.reduce((x, y) => x + y, 0)).toBe(12 * 8 * 500);
    expect(await metricValue(h.gateway, 'lumbung_gateway_readings_stored_total')).toBe(12 * 8 * 500);
    expect(await metricValue(h.gateway, 'lumbung_gateway_batches_duplicate_total')).toBe(12 * 8);
    expect(Math.max(...h.store.writes)).toBeLessThanOrEqual(3000);
  });
});

async function fetchJson(h: Harness, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${h.gateway.opsPort}${path}`);
  return (await res.json()) as Record<string, unknown>;
}
