/**
 * Section 4: publish -> queryable latency through the whole pipeline at a steady rate:
 * devices (child process) -> `lumbung edge` (child process) -> Gateway (this process) -> DuckDbStore.
 * A reading's latency = the moment the gateway's 'batch-stored' event fired (its store write resolved, so queries see
 * it) minus the device timestamp, set to Date.now() when the device published (same machine clock).
 */
import { join } from 'node:path';
import { DuckDbStore } from '@lumbung/store';
import { edgeProvisioning, makeDevices, readingsPerMessage } from './devices.ts';
import { startDeviceWorkers, startEdgeProcess, statsOf, sumStats } from './edge-load.ts';
import { benchGateway, load, percentiles, type Resources, round, say, sleep, waitFor } from './util.ts';

export interface LatencyOptions {
  devices: number;
  /** Messages per device per second. */
  perSecond: number;
  warmupSeconds: number;
  seconds: number;
  res: Resources;
  edgeNodeArgs?: string[];
}

const TARGET_P99_MS = 2000;
const TARGET_RATE = 10_000;

export async function latencyRun(o: LatencyOptions) {
  const { res } = o;
  const dir = await res.tempDir('latency');
  const villageId = 'desa-bench';
  const edgeId = 'box-latency';
  const edgeSecret = 'bench-edge-secret-latency';
  const store = new DuckDbStore({ path: join(dir, 'gateway', 'tsdb.duckdb') });
  await store.start();
  res.add('duckdb store', () => store.stop());
  const gateway = benchGateway({ res, store, dir, edges: [{ edgeId, villageId, secret: edgeSecret }] });
  await gateway.start();

  // Window of device timestamps whose readings are measured; set after the warm-up.
  let from = Number.POSITIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  const lat: number[] = [];
  let storedAll = 0;
  let storedInWindow = 0;
  let batches = 0;
  const batchReadings: number[] = [];
  const checks: { found: boolean; queryMs: number }[] = [];
  let lastCheck = 0;
  gateway.events.on('batch-stored', (e) => {
    const now = Date.now();
    batches++;
    batchReadings.push(e.readings.length);
    storedAll += e.readings.length;
    for (const r of e.readings) {
      if (r.ts >= from && r.ts < to) {
        lat.push(now - r.ts);
        storedInWindow++;
      }
    }
    // "Queries see every resolved write": query one reading of this batch right after the event (a few times).
    const r = e.readings[e.readings.length - 1];
    if (r && r.ts >= from && checks.length < 5 && now - lastCheck > 4000) {
      lastCheck = now;
      const t = performance.now();
      void store
        .queryRaw({ villageId: r.villageId, deviceId: r.deviceId, metric: r.metric, from: r.ts, to: r.ts + 1 })
        .then((pts) => {
          checks.push({
            found: pts.length === 1 && pts[0]?.value === r.value,
            queryMs: round(performance.now() - t, 1),
          });
        });
    }
  });

  const devices = makeDevices(o.devices, 'weather');
  const { edge, mqttPort } = await startEdgeProcess(
    res,
    dir,
    edgeProvisioning(villageId, edgeId, devices),
    { LUMBUNG_UPLINK_URL: `mqtt://127.0.0.1:${gateway.mqttPort}`, LUMBUNG_EDGE_SECRET: edgeSecret },
    o.edgeNodeArgs,
  );
  await waitFor('edge connected to gateway', () => gateway.edges().some((x) => x.connections > 0), 30_000);
  say(`latency: lumbung edge pid ${edge.pid} connected to the gateway; connecting ${o.devices} devices`);
  const ws = await startDeviceWorkers(res, mqttPort, villageId, devices, 1, 50);
  const intervalMs = 1000 / o.perSecond;
  for (const w of ws) w.send({ cmd: 'steady', intervalMs });
  say(`latency: ${o.devices} devices × ${o.perSecond} msg/s; warm-up ${o.warmupSeconds} s, then ${o.seconds} s`);
  await sleep(o.warmupSeconds * 1000);
  const loadStart = load();
  const a = sumStats(await statsOf(ws));
  from = Date.now();
  const ta = performance.now();
  await sleep(o.seconds * 1000);
  to = Date.now();
  const seconds = (performance.now() - ta) / 1000;
  const loadEnd = load();
  // Stop the devices at the end of the window and let everything they got acknowledged reach the store.
  const stopped = sumStats(
    (await Promise.all(ws.map((w) => w.ask({ cmd: 'stop' }, 'stopped', 30_000)))).map((r) => r.stats),
  );
  await waitFor('acknowledged readings stored', () => storedAll >= stopped.ackedReadings || undefined, 30_000).catch(
    () => say(`latency: only ${storedAll} of ${stopped.ackedReadings} acknowledged readings stored after 30 s`),
  );
  for (const w of ws) await w.ask({ cmd: 'close' }, 'closed', 30_000).catch(() => undefined);
  const p = percentiles(lat, [0.5, 0.95, 0.99]);
  const p99 = p['p99'] ?? Number.NaN;
  const achieved = storedInWindow / seconds;
  return {
    value: p99,
    unit: 'ms (p99 publish -> queryable)',
    target: `p99 <= ${TARGET_P99_MS} ms at ${TARGET_RATE.toLocaleString('en')} readings/s`,
    met: p99 <= TARGET_P99_MS && achieved >= TARGET_RATE * 0.97 && checks.every((c) => c.found),
    setup: {
      devices: `${o.devices} mqtt.js clients in 1 child process × ${o.perSecond} msg/s × ${readingsPerMessage('weather')} readings (weather station), QoS 1, device ts = Date.now() at publish`,
      edge: 'separate `cli/bin/lumbung edge` process (the launcher, with its heap caps), default settings (synchronous=full, batches of up to 5,000 readings or 250 ms, 8 in flight)',
      gateway: 'Gateway in the bench process, default write options, DuckDbStore in a temp dir',
      latency: "gateway 'batch-stored' event time (store write resolved) minus device ts",
      warmupSeconds: o.warmupSeconds,
      measuredSeconds: round(seconds, 2),
    },
    latencyMs: p,
    latencyMeanMs: round(lat.reduce((x, y) => x + y, 0) / Math.max(1, lat.length), 1),
    readingsMeasured: lat.length,
    achievedReadingsPerSecond: Math.round(achieved),
    devicePublishesPerSecond: Math.round((stopped.sent - a.sent) / seconds),
    readingsAcknowledgedByEdge: stopped.ackedReadings,
    readingsStoredByGateway: storedAll,
    devicePublishesSkipped: stopped.skipped,
    deviceErrors: stopped.errors,
    uplinkBatches: { count: batches, meanReadings: Math.round(storedAll / Math.max(1, batches)) },
    queryableCheck: checks,
    loadAverage: { start: loadStart, end: loadEnd },
  };
}
