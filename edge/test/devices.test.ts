import net from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterEach,
  connectDevice,
  endClient,
  makeProvisioning,
  newEdge,
  publish,
  tempDir,
  upTopic,
  VILLAGE,
  waitFor,
} from './helpers.ts';

const cleanups = cleanupAfterEach();

async function startEdge(n = 3) {
  const t = tempDir();
  const p = makeProvisioning(n);
  const edge = newEdge(t.dir, p.provisioning);
  await edge.start();
  cleanups.push(t.cleanup, () => edge.stop());
  return { edge, dir: t.dir, ...p };
}

const good = (seq: number, extra: object = {}) =>
  JSON.stringify({ seq, ts: Date.now() - 1000, readings: { air_temperature: 25 + (seq % 10) }, ...extra });

function queueRows(dir: string) {
  const db = new Database(join(dir, 'edge.db'), { readonly: true });
  try {
    return db.prepare('SELECT device, seq, ts, src, body FROM queue ORDER BY id').all() as {
      device: string;
      seq: number;
      ts: number;
      src: number;
      body: string;
    }[];
  } finally {
    db.close();
  }
}

describe('device authentication', () => {
  it('refuses a wrong secret, an unknown device, a mismatched client id and a revoked device', async () => {
    const { edge, devices, provisioning } = await startEdge(2);
    const port = edge.mqttPort;
    const d1 = devices[0]!;
    await expect(connectDevice(port, { deviceId: d1.deviceId, secret: 'wrong' })).rejects.toThrow(/Not authorized/i);
    await expect(connectDevice(port, { deviceId: 'dev-999', secret: d1.secret })).rejects.toThrow(/Not authorized/i);
    await expect(connectDevice(port, d1, { clientId: `${d1.deviceId}-x` })).rejects.toThrow(/Identifier rejected/i);
    const ok = await connectDevice(port, d1);
    await waitFor(() => edge.counters.connectedDevices === 1, 5000, 'device registered');
    // revoke dev-1 at run time: it is disconnected and cannot come back
    const closed = new Promise<void>((r) => ok.once('close', () => r()));
    const res = edge.setProvisioning({
      ...provisioning,
      devices: provisioning.devices.map((d) => (d.deviceId === d1.deviceId ? { ...d, revoked: true } : d)),
    });
    expect(res.disconnected).toEqual([d1.deviceId]);
    await closed;
    await endClient(ok);
    await expect(connectDevice(port, d1)).rejects.toThrow(/Not authorized/i);
    const text = await (await fetch(`http://127.0.0.1:${edge.opsPort}/metrics`)).text();
    expect(text).toMatch(/lumbung_edge_auth_failures_total\{reason="bad_secret"\} 1/);
    expect(text).toMatch(/lumbung_edge_auth_failures_total\{reason="unknown_device"\} 1/);
    expect(text).toMatch(/lumbung_edge_auth_failures_total\{reason="client_id_mismatch"\} 1/);
    expect(text).toMatch(/lumbung_edge_auth_failures_total\{reason="revoked"\} 1/);
  });
});

describe('ACL', () => {
  it("refuses a publish to another device's topic: disconnected, counted, dead-lettered, nothing stored", async () => {
    const { edge, devices, dir } = await startEdge(2);
    const [a, b] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const ca = await connectDevice(edge.mqttPort, a);
    cleanups.push(() => endClient(ca));
    const closed = new Promise<void>((r) => ca.once('close', () => r()));
    ca.publish(upTopic(b.deviceId), good(1), { qos: 1 });
    await closed;
    await waitFor(() => edge.listDeadLetters().length === 1, 5000, 'dead letter');
    expect(edge.listDeadLetters()[0]).toMatchObject({
      reason: 'forbidden_topic',
      deviceId: a.deviceId,
      topic: upTopic(b.deviceId),
    });
    expect(edge.counters.refused).toBe(1);
    expect(queueRows(dir)).toEqual([]);
  });

  it('closes the connection of a device sending an abusively large payload, and keeps the evidence', async () => {
    const { edge, devices, dir } = await startEdge(1);
    const d = devices[0]!;
    const c = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(c));
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(upTopic(d.deviceId), Buffer.alloc(100_000, 0x20), { qos: 1 });
    await closed;
    await waitFor(() => edge.listDeadLetters().length === 1, 5000, 'dead letter');
    expect(edge.listDeadLetters()[0]).toMatchObject({ reason: 'too_large', rawBytes: 4096 });
    const m = await (await fetch(`http://127.0.0.1:${edge.opsPort}/metrics`)).text();
    expect(m).toContain('lumbung_edge_publish_refused_total{reason="payload_too_large"} 1');
    expect(queueRows(dir)).toEqual([]);
  });

  it('cuts off a packet announcing 100 MB at its header, and keeps serving other devices', async () => {
    const { edge, devices } = await startEdge(2);
    const good = await connectDevice(edge.mqttPort, devices[1]!);
    cleanups.push(() => endClient(good));
    const socket = net.connect(edge.mqttPort, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise((r) => socket.once('close', r));
    // A PUBLISH fixed header announcing 100,000,000 bytes; no body follows.
    socket.write(Buffer.from([0x32, 0x80, 0xc2, 0xd7, 0x2f]));
    await closed;
    const m = await (await fetch(`http://127.0.0.1:${edge.opsPort}/metrics`)).text();
    expect(m).toContain('lumbung_edge_publish_refused_total{reason="packet_too_large"} 1');
    await publish(good, upTopic(devices[1]!.deviceId), JSON.stringify({ seq: 1, readings: { air_temperature: 25 } }));
    expect(edge.counters.messagesAccepted).toBe(1);
  });

  it('grants a subscription only to its own down topic', async () => {
    const { edge, devices } = await startEdge(2);
    const [a, b] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const ca = await connectDevice(edge.mqttPort, a);
    cleanups.push(() => endClient(ca));
    const topics = [`lumbung/v1/${VILLAGE}/${a.deviceId}/down`, `lumbung/v1/${VILLAGE}/${b.deviceId}/down`, '#'];
    // read the SUBACK return codes off the wire (mqtt.js turns a 0x80 grant into an error)
    const granted = new Promise<number[]>((resolve) =>
      ca.on('packetreceive', (p) => {
        if (p.cmd === 'suback') resolve(p.granted as number[]);
      }),
    );
    ca.subscribe(topics, { qos: 1 }, () => {});
    expect(await granted).toEqual([1, 128, 128]);
  });
});

describe('validation and dead letters', () => {
  it('dead-letters every malformed case with its reason while another device keeps working', async () => {
    const { edge, devices, dir } = await startEdge(2);
    const [bad, ok] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const cb = await connectDevice(edge.mqttPort, bad);
    const cg = await connectDevice(edge.mqttPort, ok);
    cleanups.push(
      () => endClient(cb),
      () => endClient(cg),
    );
    const cases: [string, string][] = [
      ['{"seq":1,', 'bad_json'],
      ['{"seq":"x","readings":{"air_temperature":1}}', 'invalid_schema'],
      ['{"seq":2,"readings":{"banana":1}}', 'unknown_metric'],
      ['{"seq":3,"readings":{"air_temperature":"NaN"}}', 'not_finite'],
      ['{"seq":4,"readings":{"air_temperature":1e999}}', 'not_finite'],
      ['{"seq":5,"readings":{"air_temperature":99}}', 'out_of_range'],
      [JSON.stringify({ seq: 6, readings: { air_temperature: 1 }, pad: 'x'.repeat(5000) }), 'too_large'],
      [JSON.stringify({ seq: 7, ts: Date.now() + 3_600_000, readings: { air_temperature: 1 } }), 'ts_future'],
      [JSON.stringify({ seq: 8, ts: 1_000_000, readings: { air_temperature: 1 } }), 'ts_too_old'],
    ];
    // the bad device and the good device publish at the same time
    await Promise.all([
      ...cases.map(([payload]) => publish(cb, upTopic(bad.deviceId), payload)),
      ...Array.from({ length: 50 }, (_, i) => publish(cg, upTopic(ok.deviceId), good(i))),
    ]);
    // status with garbage is dead-lettered too
    await publish(cb, `lumbung/v1/${VILLAGE}/${bad.deviceId}/status`, 'sleepy');
    expect(cb.connected).toBe(true); // acknowledged, not disconnected
    const dl = edge.listDeadLetters(100);
    expect(dl.map((d) => d.reason).sort()).toEqual([...cases.map((c) => c[1]), 'invalid_status'].sort());
    const oversized = dl.find((d) => d.reason === 'too_large')!;
    expect(oversized.rawBytes).toBe(4096); // raw kept, truncated
    expect(dl.find((d) => d.reason === 'bad_json')!.raw).toBe('{"seq":1,');
    const rows = queueRows(dir);
    expect(rows.length).toBe(50);
    expect(new Set(rows.map((r) => r.device))).toEqual(new Set([ok.deviceId]));
    const metrics = await (await fetch(`http://127.0.0.1:${edge.opsPort}/metrics`)).text();
    for (const reason of [
      'bad_json',
      'invalid_schema',
      'unknown_metric',
      'out_of_range',
      'too_large',
      'ts_future',
      'ts_too_old',
    ]) {
      expect(metrics).toContain(`lumbung_edge_dead_letters_total{reason="${reason}"} 1`);
    }
    expect(metrics).toContain('lumbung_edge_dead_letters_total{reason="not_finite"} 2');
    const http = (await (
      await fetch(`http://127.0.0.1:${edge.opsPort}/dead-letters?reason=not_finite`)
    ).json()) as unknown[];
    expect(http).toHaveLength(2);
  });

  it('keeps the good readings of a partly bad message', async () => {
    const { edge, devices, dir } = await startEdge(1);
    const c = await connectDevice(edge.mqttPort, devices[0]!);
    cleanups.push(() => endClient(c));
    await publish(
      c,
      upTopic(devices[0]!.deviceId),
      '{"seq":1,"readings":{"air_temperature":21.5,"relative_humidity":180},"battery":3.9,"rssi":-71}',
    );
    const rows = queueRows(dir);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.body)).toEqual({ air_temperature: 21.5, battery: 3.9, rssi: -71 });
    expect(rows[0]!.src).toBe(1); // no device ts: edge time
    expect(edge.listDeadLetters()[0]).toMatchObject({
      reason: 'out_of_range',
      detail: 'rejected readings: relative_humidity',
    });
    const dev = edge.devices().find((d) => d.deviceId === devices[0]!.deviceId)!;
    expect(dev).toMatchObject({ connected: true, battery: 3.9, rssi: -71, messages: 1 });
  });

  it('bounds the dead-letter table to the newest deadLetterMax rows', async () => {
    const t = tempDir();
    const p = makeProvisioning(1);
    const edge = newEdge(t.dir, p.provisioning, { deadLetterMax: 5 });
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    const c = await connectDevice(edge.mqttPort, p.devices[0]!);
    cleanups.push(() => endClient(c));
    for (let i = 0; i < 12; i++) await publish(c, upTopic(p.devices[0]!.deviceId), `bad ${i}`);
    const dl = edge.listDeadLetters(100);
    expect(dl.map((d) => d.raw)).toEqual(['bad 11', 'bad 10', 'bad 9', 'bad 8', 'bad 7']);
    expect(edge.counters.deadLetters).toBe(12);
  });
});

describe('durability and duplicates', () => {
  it('stores a QoS 1 retry of the same seq once, but a rebooted device restarting seq at 0 is kept', async () => {
    const { edge, devices, dir } = await startEdge(1);
    const d = devices[0]!;
    const c = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(c));
    const ts = Date.now() - 5000;
    const msg = JSON.stringify({ seq: 0, ts, readings: { air_temperature: 20 } });
    await publish(c, upTopic(d.deviceId), msg);
    // the retry: same packet again (as mqtt.js resends after a reconnect when the PUBACK was lost)
    await new Promise<void>((resolve, reject) =>
      c.publish(upTopic(d.deviceId), msg, { qos: 1, dup: true }, (err) => (err ? reject(err) : resolve())),
    );
    // a reboot: seq starts again at 0, with a new timestamp
    await publish(
      c,
      upTopic(d.deviceId),
      JSON.stringify({ seq: 0, ts: ts + 60_000, readings: { air_temperature: 21 } }),
    );
    const rows = queueRows(dir);
    expect(rows.map((r) => [r.seq, r.ts])).toEqual([
      [0, ts],
      [0, ts + 60_000],
    ]);
    expect(edge.counters.duplicates).toBe(1);
  });

  it('recognises retries across an edge restart', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const p = makeProvisioning(1);
    const d = p.devices[0]!;
    const msg = JSON.stringify({ seq: 42, ts: Date.now() - 1000, readings: { co2: 500 } });
    for (let round = 0; round < 2; round++) {
      const edge = newEdge(t.dir, p.provisioning);
      await edge.start();
      const c = await connectDevice(edge.mqttPort, d);
      await publish(c, upTopic(d.deviceId), msg);
      await endClient(c);
      if (round === 1) expect(edge.counters.duplicates).toBe(1);
      await edge.stop();
    }
    expect(queueRows(t.dir)).toHaveLength(1);
  });

  it('every acknowledged reading is on disk when the PUBACK arrives (read by a second connection to the file)', async () => {
    const { edge, devices, dir } = await startEdge(5);
    const clients = await Promise.all(devices.map((d) => connectDevice(edge.mqttPort, d)));
    cleanups.push(() => Promise.all(clients.map(endClient)).then(() => undefined));
    const acked: string[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        const d = devices[i]!;
        for (let s = 0; s < 40; s++) {
          await publish(c, upTopic(d.deviceId), good(s));
          acked.push(`${d.deviceId}:${s}`);
        }
      }),
    );
    // no stop(), no flush: another connection sees every acknowledged row, committed
    const stored = new Set(queueRows(dir).map((r) => `${r.device}:${r.seq}`));
    for (const a of acked) expect(stored.has(a)).toBe(true);
    expect(stored.size).toBe(200);
    expect(edge.counters.readingsQueued).toBe(200);
  });
});
