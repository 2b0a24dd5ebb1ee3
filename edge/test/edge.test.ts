import { join } from 'node:path';
import { freePort, loadConfig } from '@lumbung/runtime';
import type { Alert } from '@lumbung/schemas';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { edgeOptionsFromConfig, edgeSettings } from '../src/index.ts';
import {
  cleanupAfterEach,
  connectDevice,
  EDGE_ID,
  endClient,
  FakeGateway,
  makeProvisioning,
  newEdge,
  publish,
  tempDir,
  upTopic,
  VILLAGE,
  waitFor,
} from './helpers.ts';

const cleanups = cleanupAfterEach();

describe('disk budget', () => {
  it('drops the oldest readings when the queue is full, with a counter, an event and a system alert', async () => {
    const t = tempDir();
    const p = makeProvisioning(1);
    const edge = newEdge(t.dir, p.provisioning, { queueBudgetBytes: 20_000 });
    const dropped: number[] = [];
    cleanups.push(edge.events.on('readings-dropped', (d) => dropped.push(d.readings)));
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    const d = p.devices[0]!;
    const c = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(c));
    for (let seq = 0; seq < 400; seq++) {
      await publish(
        c,
        upTopic(d.deviceId),
        JSON.stringify({ seq, readings: { air_temperature: 20, relative_humidity: 70 } }),
      );
    }
    const q = edge.queueStats();
    expect(q.bytes).toBeLessThanOrEqual(20_000);
    expect(q.readings).toBeGreaterThan(0);
    const total = dropped.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(q.readings + total).toBe(800); // nothing vanished silently: kept + dropped = received
    expect(edge.counters.droppedReadings).toBe(total);
    // the oldest went: what is left is the newest, contiguous run of seqs
    const db = new Database(join(t.dir, 'edge.db'), { readonly: true });
    const seqs = db.prepare('SELECT seq FROM queue ORDER BY id').pluck().all() as number[];
    db.close();
    expect(seqs.at(-1)).toBe(399);
    expect(seqs[0]).toBe(400 - seqs.length);
    const alerts = edge.recentAlerts();
    expect(alerts.filter((a) => a.source === 'system' && a.state === 'raised')).toHaveLength(1); // raised once, not per drop
    expect(alerts[0]).toMatchObject({ key: `system:queue-full:${EDGE_ID}`, severity: 'critical', forwarded: false });
    const m = await (await fetch(`http://127.0.0.1:${edge.opsPort}/metrics`)).text();
    expect(m).toContain(`lumbung_edge_dropped_readings_total ${total}`);
    expect(m).toContain('lumbung_edge_alerts_total{source="system",state="raised"} 1');

    // after a restart the condition is still known to be raised: more drops raise nothing new
    await endClient(c);
    await edge.stop();
    const again = newEdge(t.dir, p.provisioning, { queueBudgetBytes: 20_000 });
    await again.start();
    cleanups.push(() => again.stop());
    const c2 = await connectDevice(again.mqttPort, d);
    cleanups.push(() => endClient(c2));
    for (let seq = 400; seq < 450; seq++) {
      await publish(
        c2,
        upTopic(d.deviceId),
        JSON.stringify({ seq, readings: { air_temperature: 20, relative_humidity: 70 } }),
      );
    }
    expect(again.counters.droppedReadings).toBeGreaterThan(0);
    expect(again.recentAlerts().filter((a) => a.state === 'raised')).toHaveLength(1);
  });
});

describe('threshold rules', () => {
  it('raises and clears an alert while offline (device timestamps) and forwards both when the link returns', async () => {
    const port = await freePort(); // nothing listens here yet: the edge is offline
    const t = tempDir();
    const p = makeProvisioning(1, [
      {
        id: 'cold-room',
        siteId: 'gudang-1',
        metric: 'air_temperature',
        min: 2,
        max: 8,
        forSeconds: 600,
        severity: 'critical',
      },
    ]);
    const edge = newEdge(t.dir, p.provisioning, {
      uplink: {
        url: `mqtt://127.0.0.1:${port}`,
        password: 'edge-secret',
        batchMaxDelayMs: 20,
        reconnectMinMs: 50,
        reconnectMaxMs: 100,
      },
    });
    const seen: Alert[] = [];
    cleanups.push(edge.events.on('alert', (a) => seen.push(a)));
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    const d = p.devices[0]!;
    const c = await connectDevice(edge.mqttPort, d);
    cleanups.push(() => endClient(c));
    const t0 = Date.now() - 3_600_000;
    const send = (seq: number, minutes: number, temp: number) =>
      publish(
        c,
        upTopic(d.deviceId),
        JSON.stringify({ seq, ts: t0 + minutes * 60_000, readings: { air_temperature: temp } }),
      );
    await send(1, 0, 5); // in range
    await send(2, 1, 10); // outside since minute 1
    await send(3, 6, 11); // 5 min: not yet
    expect(seen).toHaveLength(0);
    await send(4, 11, 12); // 10 min: raise
    await send(5, 12, 13); // still raised, no second alert
    await send(6, 13, 6); // back in range: clear
    expect(seen.map((a) => [a.state, a.ts, a.value])).toEqual([
      ['raised', t0 + 11 * 60_000, 12],
      ['cleared', t0 + 13 * 60_000, 6],
    ]);
    expect(seen[0]).toMatchObject({
      key: `rule:cold-room:${d.deviceId}`,
      ruleId: 'cold-room',
      siteId: 'gudang-1',
      severity: 'critical',
      villageId: VILLAGE,
    });
    expect(seen[0]!.message.id).toContain('di luar batas');
    expect(edge.uplinkState).not.toBe('online');
    const logged = (await (await fetch(`http://127.0.0.1:${edge.opsPort}/alerts`)).json()) as { forwarded: boolean }[];
    expect(logged.map((a) => a.forwarded)).toEqual([false, false]);

    const gw = new FakeGateway('edge-secret', port);
    await gw.start();
    cleanups.push(() => gw.stop());
    await waitFor(() => gw.alerts.flatMap((b) => b.alerts).length === 2, 10_000, 'alerts forwarded');
    expect(gw.alerts.flatMap((b) => b.alerts).map((a) => a.state)).toEqual(['raised', 'cleared']);
    await waitFor(() => edge.recentAlerts().every((a) => a.forwarded), 5000, 'alerts marked forwarded');
    await waitFor(() => gw.readings.length === 6, 5000, 'readings forwarded');
  });
});

describe('ops endpoint', () => {
  it('serves /health, /metrics, /devices and /queue', async () => {
    const t = tempDir();
    const p = makeProvisioning(2);
    const edge = newEdge(t.dir, p.provisioning);
    await edge.start();
    cleanups.push(t.cleanup, () => edge.stop());
    const d = p.devices[0]!;
    const c = await connectDevice(edge.mqttPort, d, {
      will: {
        topic: `lumbung/v1/${VILLAGE}/${d.deviceId}/status`,
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    cleanups.push(() => endClient(c));
    await publish(c, `lumbung/v1/${VILLAGE}/${d.deviceId}/status`, '{"state":"online","firmware":"1.0.3"}');
    await publish(
      c,
      upTopic(d.deviceId),
      JSON.stringify({ seq: 1, readings: { soil_moisture: 30 }, battery: 3.6, rssi: -80 }),
    );
    const base = `http://127.0.0.1:${edge.opsPort}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      uplink: 'disabled',
      devicesConnected: 1,
      devicesProvisioned: 2,
      queue: { readings: 3, rows: 1 },
    });
    const m = await (await fetch(`${base}/metrics`)).text();
    for (const line of [
      'lumbung_edge_messages_in_total{result="accepted"} 1',
      'lumbung_edge_messages_in_total{result="status"} 1',
      'lumbung_edge_readings_queued_total 3',
      'lumbung_edge_queue_rows 1',
      'lumbung_edge_queue_readings{state="unassigned"} 3',
      'lumbung_edge_uplink_connected 0',
      'lumbung_edge_devices_connected 1',
      'lumbung_edge_queue_budget_bytes 1073741824',
    ]) {
      expect(m).toContain(line);
    }
    expect(m).toMatch(/lumbung_edge_queue_bytes \d+/);
    const devices = (await (await fetch(`${base}/devices`)).json()) as Record<string, unknown>[];
    expect(devices).toHaveLength(2);
    expect(devices[0]).toMatchObject({
      deviceId: d.deviceId,
      connected: true,
      status: 'online',
      firmware: '1.0.3',
      battery: 3.6,
      rssi: -80,
    });
    expect(devices[1]).toMatchObject({ connected: false, messages: 0 });
    // the device drops off: its will marks it offline
    c.stream.destroy();
    await waitFor(() => edge.devices()[0]!.status === 'offline' && !edge.devices()[0]!.connected, 5000, 'will applied');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    await edge.stop();
    expect(edge.health().status).toBe('down');
  });
});

describe('settings', () => {
  it('maps LUMBUNG_* variables to edge options', () => {
    const p = makeProvisioning(1);
    const cfg = loadConfig(edgeSettings, {
      LUMBUNG_EDGE_ID: EDGE_ID,
      LUMBUNG_MQTT_PORT: '0',
      LUMBUNG_EDGE_OPS_PORT: '9999',
      LUMBUNG_UPLINK_URL: 'mqtts://gw.example:8883',
      LUMBUNG_EDGE_SECRET: 's3cret',
      LUMBUNG_EDGE_QUEUE_BUDGET_MB: '64',
      LUMBUNG_DATA_DIR: '/var/lib/lumbung/',
      LUMBUNG_EDGE_SYNC: 'normal',
      LUMBUNG_UPLINK_RECONNECT_MAX_MS: '5000',
    });
    const o = edgeOptionsFromConfig(cfg, p.provisioning);
    expect(o).toMatchObject({
      villageId: VILLAGE,
      edgeId: EDGE_ID,
      dataDir: '/var/lib/lumbung/edge',
      mqtt: { port: 0 },
      ops: { port: 9999 },
      uplink: {
        url: 'mqtts://gw.example:8883',
        username: EDGE_ID,
        password: 's3cret',
        batchMaxReadings: 5000,
        batchMaxDelayMs: 250,
        reconnectMinMs: 500,
        reconnectMaxMs: 5000,
      },
      queueBudgetBytes: 64 * 1024 * 1024,
      sync: 'normal',
    });
    expect(() => edgeOptionsFromConfig({ ...cfg, edgeId: 'other' }, p.provisioning)).toThrow(/LUMBUNG_EDGE_ID/);
    expect(() => loadConfig(edgeSettings, { LUMBUNG_MQTT_PORT: 'x' })).toThrow(/LUMBUNG_MQTT_PORT/);
  });
});
