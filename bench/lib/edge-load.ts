/**
 * Section 1: device messages into a village box. The box is a real `lumbung edge` process without an uplink (it only
 * queues, durably: SQLite synchronous=full, PUBACK after the group commit); the devices are mqtt.js clients in
 * child processes, each its own connection and credentials, with a bounded window of unacknowledged publishes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@lumbung/runtime';
import { edgeProvisioning, makeDevices, readingsPerMessage } from './devices.ts';
import type { DeviceCommand, DeviceJob, DeviceReply, DeviceStats } from './devices-worker.ts';
import {
  cpuMeter,
  getJson,
  LumbungProcess,
  load,
  procMemory,
  type Resources,
  RssSampler,
  round,
  say,
  sleep,
} from './util.ts';
import { Worker } from './worker.ts';

export interface EdgeLoadOptions {
  devices: number;
  workers: number;
  window: number;
  warmupSeconds: number;
  seconds: number;
  res: Resources;
  /** Extra node flags for the edge process (e.g. --cpu-prof). */
  edgeNodeArgs?: string[];
}

export type DeviceWorker = Worker<DeviceCommand, DeviceReply>;

/** Starts `workers` device workers for `devices` (split evenly) and waits until every device is connected. */
export async function startDeviceWorkers(
  res: Resources,
  port: number,
  villageId: string,
  devices: ReturnType<typeof makeDevices>,
  workers: number,
  window: number,
): Promise<DeviceWorker[]> {
  const per = Math.ceil(devices.length / workers);
  const ws: DeviceWorker[] = [];
  for (let w = 0; w < workers; w++) {
    const mine = devices.slice(w * per, (w + 1) * per);
    if (mine.length === 0) continue;
    const job: DeviceJob = { port, villageId, devices: mine, firstIndex: w * per, window };
    const worker: DeviceWorker = new Worker(
      new URL('./devices-worker.ts', import.meta.url),
      'LUMBUNG_BENCH_DEVICE_JOB',
      job,
    );
    res.add('device worker', () => worker.kill());
    ws.push(worker);
  }
  await Promise.all(ws.map((w) => w.next('ready', 120_000)));
  return ws;
}

export const sumStats = (all: DeviceStats[]) => ({
  sent: all.reduce((a, s) => a + s.sent, 0),
  acked: all.reduce((a, s) => a + s.acked, 0),
  ackedReadings: all.reduce((a, s) => a + s.ackedReadings, 0),
  errors: all.reduce((a, s) => a + s.errors, 0),
  skipped: all.reduce((a, s) => a + s.skipped, 0),
  firstError: all.find((s) => s.firstError)?.firstError,
});

export async function statsOf(ws: DeviceWorker[]): Promise<DeviceStats[]> {
  return (await Promise.all(ws.map((w) => w.ask({ cmd: 'stats' }, 'stats', 10_000)))).map((r) => r.stats);
}

/** A `lumbung edge` process with its own data dir, provisioning file and free ports. */
export async function startEdgeProcess(
  res: Resources,
  dir: string,
  prov: ReturnType<typeof edgeProvisioning>,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
) {
  const [mqttPort, opsPort] = [await freePort(), await freePort()];
  const provFile = join(dir, 'edge-provisioning.json');
  await writeFile(provFile, JSON.stringify(prov));
  const edge = new LumbungProcess(
    'edge',
    {
      LUMBUNG_DATA_DIR: join(dir, 'data'),
      LUMBUNG_EDGE_PROVISIONING: provFile,
      LUMBUNG_MQTT_HOST: '127.0.0.1',
      LUMBUNG_MQTT_PORT: String(mqttPort),
      LUMBUNG_EDGE_OPS_HOST: '127.0.0.1',
      LUMBUNG_EDGE_OPS_PORT: String(opsPort),
      ...env,
    },
    `http://127.0.0.1:${opsPort}/health`,
    nodeArgs,
  );
  res.add('lumbung edge', () => edge.stop());
  await edge.start();
  const queue = () => {
    const c = edge.child;
    if (!c || c.exitCode !== null || c.signalCode !== null)
      throw new Error(`lumbung edge exited (${c?.exitCode ?? c?.signalCode}): ${edge.output.slice(-1500)}`);
    return getJson<{ rows: number; readings: number; unassignedReadings: number; openBatches: number; bytes: number }>(
      `http://127.0.0.1:${opsPort}/queue`,
    );
  };
  return { edge, mqttPort, opsPort, queue };
}

export async function edgeLoad(o: EdgeLoadOptions) {
  const { res } = o;
  const dir = await res.tempDir('edge');
  const villageId = 'desa-bench';
  const devices = makeDevices(o.devices);
  const { edge, mqttPort, queue } = await startEdgeProcess(
    res,
    dir,
    edgeProvisioning(villageId, 'box-bench', devices),
    {},
    o.edgeNodeArgs,
  );
  const rss = new RssSampler(edge.pid, 250);
  rss.start();
  const idleMb = procMemory(edge.pid)?.rssMb;
  say(`edge: lumbung edge pid ${edge.pid} up; connecting ${o.devices} devices in ${o.workers} worker(s)`);
  const t0 = performance.now();
  const ws = await startDeviceWorkers(res, mqttPort, villageId, devices, o.workers, o.window);
  const connectSeconds = (performance.now() - t0) / 1000;
  const connectedMb = procMemory(edge.pid)?.rssMb;
  for (const w of ws) w.send({ cmd: 'flood' });
  say(`edge: flooding; warm-up ${o.warmupSeconds} s, then measuring ${o.seconds} s`);
  await sleep(o.warmupSeconds * 1000);
  const loadStart = load();
  for (const w of ws) w.send({ cmd: 'record', on: true });
  const [a, qa] = await Promise.all([statsOf(ws), queue()]);
  const cpu = cpuMeter({
    edge: edge.pid,
    bench: process.pid,
    ...Object.fromEntries(ws.map((w, i) => [`devices${i}`, w.pid])),
  });
  const ta = performance.now();
  const perSecond: number[] = [];
  let prev = sumStats(a).acked;
  for (let s = 0; s < o.seconds; s++) {
    await sleep(1000);
    const now = sumStats(await statsOf(ws)).acked;
    perSecond.push(now - prev);
    prev = now;
  }
  const [b, qb] = await Promise.all([statsOf(ws), queue()]);
  const cpuCores = cpu();
  const tb = performance.now();
  const loadEnd = load();
  const stopped = (await Promise.all(ws.map((w) => w.ask({ cmd: 'stop' }, 'stopped', 30_000)))).map((r) => r.stats);
  const mem = rss.stop();
  const seconds = (tb - ta) / 1000;
  const A = sumStats(a);
  const B = sumStats(b);
  const msgRate = (B.acked - A.acked) / seconds;
  const readingRate = (B.ackedReadings - A.ackedReadings) / seconds;
  const queuedRate = (qb.readings - qa.readings) / seconds;
  const ack = b.map((s) => s.ackMs).filter((x) => x !== undefined);
  const total = sumStats(stopped);
  const finalQueue = await queue();
  const rssTarget = 150;
  const msgTarget = 20_000;
  const avgReadings = devices.reduce((x, d) => x + readingsPerMessage(d.family), 0) / devices.length;
  for (const w of ws) await w.ask({ cmd: 'close' }, 'closed', 30_000).catch(() => undefined);
  return {
    value: Math.round(msgRate),
    unit: 'messages/s',
    target: `>= ${msgTarget.toLocaleString('en')} messages/s and edge RSS <= ${rssTarget} MB`,
    met: msgRate >= msgTarget && mem.vmHwmMb <= rssTarget && B.errors === 0,
    targets: {
      messagesPerSecond: { value: Math.round(msgRate), target: msgTarget, met: msgRate >= msgTarget },
      edgeRssPeakMb: { value: mem.vmHwmMb, target: rssTarget, met: mem.vmHwmMb <= rssTarget },
    },
    setup: {
      edge: 'separate `cli/bin/lumbung edge` process (the launcher, with its heap caps), no LUMBUNG_UPLINK_URL (queues only), default settings (SQLite synchronous=full, group commit up to 2,000 messages, PUBACK after commit)',
      devices: `${o.devices} mqtt.js clients (own connection, client id and secret each) in ${ws.length} child process(es), QoS 1, at most ${o.window} unacknowledged publishes per device, device ts = Date.now()`,
      payload: `JSON, ${round(avgReadings, 2)} readings per message on average (soil probe 4, room sensor 4, weather 5, LoRa weather 6)`,
      warmupSeconds: o.warmupSeconds,
      measuredSeconds: round(seconds, 2),
      counted: 'PUBACKed messages between two snapshots of the device workers',
    },
    readingsPerSecond: Math.round(readingRate),
    readingsQueuedPerSecondAtEdge: Math.round(queuedRate),
    messagesPerSecondEachSecond: { min: Math.min(...perSecond), max: Math.max(...perSecond) },
    publishToPubackMs: ack[0] ? { perWorker: ack } : undefined,
    edgeMemory: {
      vmHwmMb: mem.vmHwmMb,
      rssMaxSampledMb: mem.rssMaxMb,
      rssMeanMb: mem.rssMeanMb,
      rssIdleMb: idleMb,
      rssAfterConnectMb: connectedMb,
      samples: mem.samples,
      note: 'VmHWM is the peak RSS of the edge process over its whole life (start-up, connect, warm-up and run)',
    },
    cpuCoresDuringRun: cpuCores,
    connectSeconds: round(connectSeconds, 2),
    totalAcked: total.acked,
    errors: total.errors,
    ...(total.firstError ? { firstError: total.firstError } : {}),
    edgeQueueAtEnd: { readings: finalQueue.readings, bytes: finalQueue.bytes },
    loadAverage: { start: loadStart, end: loadEnd },
  };
}
