/**
 * Section 6: a 24 h backlog drained after the link returns. A `lumbung edge` process whose uplink points at a port
 * where no gateway listens takes 24 h of 1-minute messages from its devices (device ts spread over the last 24 h,
 * published as fast as acknowledged); then a Gateway (this process, DuckDbStore) starts on that port and we time
 * until the edge's queue holds no backlog and the store holds every backlog reading, while a few devices keep
 * publishing live messages.
 */
import { join } from 'node:path';
import { freePort } from '@lumbung/runtime';
import { DuckDbStore } from '@lumbung/store';
import { edgeProvisioning, familyMetrics, makeDevices } from './devices.ts';
import { type DeviceWorker, startDeviceWorkers, startEdgeProcess, statsOf, sumStats } from './edge-load.ts';
import { benchGateway, load, percentiles, type Resources, round, say, sleep, waitFor } from './util.ts';

export interface BacklogOptions {
  devices: number;
  /** 1-minute messages per device (1440 = 24 h). */
  messages: number;
  liveDevices: number;
  liveIntervalMs: number;
  window: number;
  res: Resources;
  edgeNodeArgs?: string[];
}

const TARGET_SECONDS = 120;
const MINUTE = 60_000;

export async function backlogRun(o: BacklogOptions) {
  const { res } = o;
  const dir = await res.tempDir('backlog');
  const villageId = 'desa-bench';
  const edgeId = 'box-backlog';
  const edgeSecret = 'bench-edge-secret-backlog';
  const gwPort = await freePort();
  const devices = makeDevices(o.devices);
  const { edge, mqttPort, queue } = await startEdgeProcess(
    res,
    dir,
    edgeProvisioning(villageId, edgeId, devices),
    { LUMBUNG_UPLINK_URL: `mqtt://127.0.0.1:${gwPort}`, LUMBUNG_EDGE_SECRET: edgeSecret },
    o.edgeNodeArgs,
  );
  say(`backlog: lumbung edge pid ${edge.pid}, uplink -> 127.0.0.1:${gwPort} (nothing listens yet)`);
  const ws: DeviceWorker[] = await startDeviceWorkers(res, mqttPort, villageId, devices, 2, o.window);

  // 1. The outage: 24 h of 1-minute messages per device, device ts over the last 24 h.
  const tsStart = Math.floor(Date.now() / MINUTE) * MINUTE - o.messages * MINUTE;
  const loadStart = load();
  const tp = performance.now();
  const backlogDone = await Promise.all(
    ws.map((w) => w.ask({ cmd: 'backlog', messages: o.messages, tsStart, stepMs: MINUTE }, 'backlog-done', 600_000)),
  );
  const publishSeconds = (performance.now() - tp) / 1000;
  const pub = sumStats(backlogDone.map((d) => d.stats));
  const backlogPerDevice = backlogDone.flatMap((d) => d.stats.backlogPerDevice);
  const backlogReadings = pub.ackedReadings;
  const q0 = await queue();
  say(
    `backlog: ${pub.acked.toLocaleString()} messages / ${backlogReadings.toLocaleString()} readings acknowledged in ${round(publishSeconds, 1)} s; edge queue holds ${q0.readings.toLocaleString()} readings`,
  );

  // 2. Live devices keep publishing (ts = now) from here on; everything with ts >= liveFrom is live.
  const liveFrom = Date.now();
  (ws[0] as DeviceWorker).send({ cmd: 'steady', intervalMs: o.liveIntervalMs, devices: o.liveDevices });
  await sleep(1000);

  // 3. The link returns: a gateway on the port the edge points at.
  const store = new DuckDbStore({ path: join(dir, 'gateway', 'tsdb.duckdb') });
  await store.start();
  res.add('duckdb store', () => store.stop());
  const gateway = benchGateway({ res, store, dir, edges: [{ edgeId, villageId, secret: edgeSecret }], port: gwPort });
  let backlogStored = 0;
  let liveStored = 0;
  let backlogStoredAt = 0;
  let firstBatchAt = 0;
  let connectedAt = 0;
  let orderViolations = 0;
  const lastTs = new Map<string, number>();
  const liveLatency: number[] = [];
  /** Live readings published after the edge reconnected (the others waited for the link). */
  const liveLatencyAfterReconnect: number[] = [];
  let connectedWall = Number.POSITIVE_INFINITY;
  let liveStoredDuringDrain = 0;
  let drained = false;
  gateway.events.on('edge-status', (s) => {
    if (s.kind === 'connected' && connectedAt === 0) {
      connectedAt = performance.now();
      connectedWall = Date.now();
    }
  });
  gateway.events.on('batch-stored', (e) => {
    const now = Date.now();
    if (firstBatchAt === 0) firstBatchAt = performance.now();
    for (const r of e.readings) {
      if (r.ts < liveFrom) {
        backlogStored++;
        // Oldest first, per device: a device's backlog readings must arrive in device-ts order.
        const prev = lastTs.get(r.deviceId) ?? 0;
        if (r.ts < prev) orderViolations++;
        else lastTs.set(r.deviceId, r.ts);
      } else {
        liveStored++;
        if (!drained) {
          liveStoredDuringDrain++;
          liveLatency.push(now - r.ts);
          if (r.ts >= connectedWall) liveLatencyAfterReconnect.push(now - r.ts);
        }
      }
    }
    if (backlogStored >= backlogReadings && backlogStoredAt === 0) backlogStoredAt = performance.now();
  });
  const tg = performance.now();
  await gateway.start();
  const gatewayStartMs = performance.now() - tg;
  say('backlog: gateway up; draining');

  // 4. Drained = the store holds every backlog reading and the edge queue holds no backlog (only the few live
  // readings waiting for their 250 ms batch).
  // A few seconds of live traffic, far below one 5,000-reading batch.
  const liveAllowance = 500;
  let queueDrainedAt = 0;
  let queueAtDrain = 0;
  const queueSamples: { s: number; readings: number }[] = [];
  let lastSay = 0;
  await waitFor(
    'backlog drained',
    async () => {
      const q = await queue();
      const t = performance.now();
      queueSamples.push({ s: round((t - tg) / 1000, 1), readings: q.readings });
      if (queueDrainedAt === 0 && q.readings <= liveAllowance) {
        queueDrainedAt = t;
        queueAtDrain = q.readings;
      }
      if (t - lastSay > 5000) {
        lastSay = t;
        say(`backlog: queue ${q.readings.toLocaleString()} readings, stored ${backlogStored.toLocaleString()}`);
      }
      return backlogStoredAt > 0 && queueDrainedAt > 0;
    },
    Math.max(300_000, TARGET_SECONDS * 2000),
    200,
  );
  drained = true;
  const doneAt = Math.max(backlogStoredAt, queueDrainedAt);
  const drainSeconds = (doneAt - tg) / 1000;
  const liveAcked = sumStats(await statsOf(ws));
  say(`backlog: drained in ${round(drainSeconds, 1)} s; verifying with queries`);

  // 5. Stop the live devices, let the queue empty, then count what the store holds with queries.
  const stopped = sumStats(
    (await Promise.all(ws.map((w) => w.ask({ cmd: 'stop' }, 'stopped', 30_000)))).map((r) => r.stats),
  );
  const liveReadings = stopped.ackedReadings - backlogReadings;
  await waitFor('edge queue empty', async () => (await queue()).readings === 0, 30_000).catch(() => undefined);
  const qEnd = await queue();
  const tq = performance.now();
  let queriedBacklog = 0;
  let queriedLive = 0;
  let seriesWrong = 0;
  const span = liveFrom - tsStart;
  const until = Date.now() + 1;
  await Promise.all(
    devices.map(async (d, i) => {
      for (const metric of familyMetrics(d.family)) {
        const base = { villageId, deviceId: d.id, metric };
        const [b] = await store.queryBuckets({
          ...base,
          from: tsStart,
          to: liveFrom,
          step: span,
          offset: tsStart % span,
          aggs: ['count'],
        });
        const n = b?.values.count ?? 0;
        queriedBacklog += n;
        if (n !== backlogPerDevice[i]) seriesWrong++;
        if (i < o.liveDevices) {
          // (await first: `x += await y` would read x before the await and lose concurrent additions)
          const got = (await store.queryRaw({ ...base, from: liveFrom, to: until })).length;
          queriedLive += got;
        }
      }
    }),
  );
  // Original timestamps: one device's stored backlog is exactly the timestamps it sent.
  const d0 = devices[0] as (typeof devices)[number];
  const pts = await store.queryRaw({
    villageId,
    deviceId: d0.id,
    metric: familyMetrics(d0.family)[0] as string,
    from: tsStart,
    to: liveFrom,
  });
  const tsExact = pts.length === o.messages && pts.every((p, k) => p.ts === tsStart + k * MINUTE);
  const queryMs = performance.now() - tq;
  const loadEnd = load();
  for (const w of ws) await w.ask({ cmd: 'close' }, 'closed', 30_000).catch(() => undefined);
  const met = drainSeconds <= TARGET_SECONDS && queriedBacklog === backlogReadings && liveStoredDuringDrain > 0;
  return {
    value: round(drainSeconds, 1),
    unit: 's (gateway start -> backlog stored and edge queue drained)',
    target: `<= ${TARGET_SECONDS} s`,
    met,
    setup: {
      edge: 'separate `cli/bin/lumbung edge` process (the launcher, with its heap caps), default settings; LUMBUNG_UPLINK_URL points at a free port where nothing listens until the gateway starts',
      devices: `${o.devices} mqtt.js clients in 2 child processes, ${o.messages} one-minute messages each (device ts over the last ${round((o.messages * MINUTE) / 3_600_000, 1)} h), 4-6 readings a message, at most ${o.window} unacknowledged per device`,
      live: `${o.liveDevices} of those devices keep publishing one message every ${o.liveIntervalMs} ms (ts = now) while the backlog drains`,
      gateway:
        'Gateway in the bench process on the port the edge points at, default options, DuckDbStore in a temp dir',
      drained: `store holds every backlog reading (counted from 'batch-stored' events, then verified with queries) and the edge /queue holds <= ${liveAllowance} readings (the live ones waiting for a batch)`,
    },
    backlog: {
      messages: pub.acked,
      readings: backlogReadings,
      publishSeconds: round(publishSeconds, 1),
      publishMessagesPerSecond: Math.round(pub.acked / publishSeconds),
      edgeQueueBeforeGateway: {
        readings: q0.readings,
        bytes: q0.bytes,
        matchesAcknowledged: q0.readings === backlogReadings,
      },
      publishErrors: pub.errors,
    },
    drain: {
      seconds: round(drainSeconds, 1),
      readingsPerSecond: Math.round(backlogReadings / drainSeconds),
      gatewayStartMs: Math.round(gatewayStartMs),
      edgeReconnectSeconds: connectedAt ? round((connectedAt - tg) / 1000, 1) : null,
      firstBatchStoredSeconds: firstBatchAt ? round((firstBatchAt - tg) / 1000, 1) : null,
      drainAfterReconnectSeconds: connectedAt ? round((doneAt - connectedAt) / 1000, 1) : null,
      backlogStoredSeconds: round((backlogStoredAt - tg) / 1000, 1),
      queueDrainedSeconds: round((queueDrainedAt - tg) / 1000, 1),
      queueReadingsAtDrain: queueAtDrain,
      queueSamples: queueSamples.filter((_, i) => i % 10 === 0),
      perDeviceOrderViolations: orderViolations,
    },
    live: {
      readingsPublished: liveReadings,
      liveDevicesAckedSoFar: liveAcked.ackedReadings - backlogReadings,
      storedDuringDrain: liveStoredDuringDrain,
      storedTotal: liveStored,
      latencyDuringDrainMs: percentiles(liveLatency, [0.5, 0.99]),
      publishedAfterReconnect: {
        storedDuringDrain: liveLatencyAfterReconnect.length,
        latencyMs: percentiles(liveLatencyAfterReconnect, [0.5, 0.99]),
      },
      note: 'live readings published before the edge reconnected waited for the link; latency = batch-stored time - device ts',
    },
    verification: {
      queriedBacklogReadings: queriedBacklog,
      expectedBacklogReadings: backlogReadings,
      seriesWithWrongCount: seriesWrong,
      queriedLiveReadings: queriedLive,
      liveQueriedMatchesStored: queriedLive === liveStored,
      originalTimestampsExact: tsExact,
      edgeQueueAtEnd: qEnd.readings,
      queryMs: Math.round(queryMs),
    },
    loadAverage: { start: loadStart, end: loadEnd },
  };
}
