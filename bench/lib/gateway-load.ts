import type { TimeSeriesStore } from '@lumbung/store';
import type { EdgesCommand, EdgesJob, EdgesReply } from './edges-worker.ts';
import { benchGateway, cpuMeter, load, percentiles, type Resources, RssSampler, round, say } from './util.ts';
import { Worker } from './worker.ts';

export interface GatewayLoadOptions {
  /** Other processes whose CPU use is reported (e.g. the VictoriaMetrics server). */
  cpuPids?: Record<string, number>;
  store: TimeSeriesStore;
  storeSetup: Record<string, unknown>;
  edges: number;
  batchesPerEdge: number;
  batchSize: number;
  inflight: number;
  devicesPerEdge: number;
  target: number;
  res: Resources;
}

export async function gatewayLoad(o: GatewayLoadOptions) {
  const { res, store } = o;
  const dir = await res.tempDir(`gw-${store.name}`);
  const villageId = 'desa-bench';
  const edges = Array.from({ length: o.edges }, (_, i) => ({ id: `box-${i}`, secret: `bench-edge-secret-${i}` }));
  const gateway = benchGateway({
    res,
    store,
    dir,
    edges: edges.map((e) => ({ edgeId: e.id, villageId, secret: e.secret })),
  });
  await gateway.start();
  const writes: { ms: number; readings: number }[] = [];
  gateway.events.on('write', (w) => writes.push({ ms: w.durationMs, readings: w.readings }));
  let deadLetters = 0;
  gateway.events.on('dead-letter', (d) => (deadLetters += d.count));

  const job: EdgesJob = {
    port: gateway.mqttPort,
    villageId,
    edges,
    batches: o.batchesPerEdge,
    size: o.batchSize,
    inflight: o.inflight,
    devicesPerEdge: o.devicesPerEdge,
    tsStart: Date.now() - 30 * 86_400_000,
  };
  const worker = new Worker<EdgesCommand, EdgesReply>(
    new URL('./edges-worker.ts', import.meta.url),
    'LUMBUNG_BENCH_EDGES_JOB',
    job,
  );
  res.add('edges worker', () => worker.kill());
  const ready = await worker.next('ready', 180_000);
  say(
    `${store.name}: ${o.edges} edges ready (${ready.readings.toLocaleString()} readings pre-encoded in ${ready.encodeMs} ms), publishing`,
  );
  const loadStart = load();
  const rss = new RssSampler(process.pid, 500);
  rss.start();
  const cpu = cpuMeter({ benchProcess: process.pid, edgesWorker: worker.pid, ...o.cpuPids });
  const done = worker.next('done', 600_000);
  worker.send({ cmd: 'go' });
  const progress = setInterval(() => {
    void worker
      .ask({ cmd: 'progress' }, 'progress', 5000)
      .then((p) => say(`${store.name}: ${p.ackedReadings.toLocaleString()} readings acknowledged`))
      .catch(() => undefined);
  }, 5000);
  const d = await done.finally(() => clearInterval(progress));
  const cpuCores = cpu();
  const mem = rss.stop();
  const rate = d.ackedReadings / d.seconds;
  const storedMetric = await gateway.metrics.registry.getSingleMetric('lumbung_gateway_readings_stored_total')?.get();
  const stored = storedMetric?.values[0]?.value ?? Number.NaN;
  const writeMs = percentiles(writes.map((w) => w.ms));
  return {
    value: Math.round(rate),
    unit: 'readings/s',
    target: `>= ${o.target.toLocaleString('en')} readings/s`,
    met: rate >= o.target && d.errors === 0,
    setup: {
      store: o.storeSetup,
      gateway: 'Gateway in the bench process, default write options (group commit up to 50,000 readings, no delay)',
      load: `${o.edges} edges (one mqtt.js connection each, in 1 child process) × ${o.batchesPerEdge} pre-encoded batches × ${o.batchSize.toLocaleString('en')} readings, ${o.inflight} in flight per edge, QoS 1`,
      devicesPerEdge: o.devicesPerEdge,
      data: '1-minute messages of 4-6 readings per device (soil/room/weather mix), one month ago',
      counted: 'readings in batches whose PUBACK arrived (PUBACK is sent only after the store write resolved)',
    },
    readingsAcknowledged: d.ackedReadings,
    readingsStoredByGateway: stored,
    seconds: round(d.seconds, 2),
    errors: d.errors,
    ...(d.firstError ? { firstError: d.firstError } : {}),
    deadLetters,
    batchPublishToAckMs: d.publishToAckMs,
    storeWrites: {
      count: writes.length,
      meanReadings: Math.round(d.ackedReadings / Math.max(1, writes.length)),
      ms: writeMs,
    },
    payloadBytesPerReading: round(ready.payloadBytes / ready.readings, 1),
    cpuCoresDuringRun: cpuCores,
    benchProcessRss: { maxMb: mem.rssMaxMb, vmHwmMb: mem.vmHwmMb },
    loadAverage: { start: loadStart, end: load() },
  };
}
