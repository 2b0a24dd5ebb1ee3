/**
 * Quick throughput measurement of the gateway (not a timed test): edges in child processes publish pre-encoded
 * 5,000-reading batches, several in flight each, into a Gateway writing to the embedded DuckDB store.
 *
 *   node --import tsx gateway/bench/ingest.ts [--edges 8] [--batches 30] [--size 5000] [--inflight 4] [--delay 0]
 *     [--max-readings 50000] [--interval-ms 0] [--workers 1]
 * Latency at a steady rate, e.g. 10,000 readings/s: --edges 10 --size 1000 --batches 30 --interval-ms 1000.
 * Publish -> PUBACK is publish -> queryable: the PUBACK follows the store write, and the store's queries see every
 * resolved write.
 *
 * Prints a JSON summary. The store is taken from @lumbung/store (DuckDbStore); set LUMBUNG_BENCH_STORE=memory to
 * measure the gateway alone against a store that only counts.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hashSecret } from '@lumbung/runtime';
import { edgeTopic, encodeBatch, type UplinkReading } from '@lumbung/schemas';
import type { StoredReading, TimeSeriesStore } from '@lumbung/store';
import * as storeModule from '@lumbung/store';
import mqtt from 'mqtt';
import { Gateway } from '../src/index.ts';

interface Job {
  port: number;
  edges: string[];
  batches: number;
  size: number;
  inflight: number;
  /** Pace: each edge publishes one batch every intervalMs (0 = as fast as acks allow). */
  intervalMs: number;
}

const START = Date.now() - 20 * 86_400_000;

async function edgeWorker(job: Job): Promise<void> {
  const latencies: number[] = [];
  // Encode first, so the measurement is the gateway's work, not the edges'.
  const plans = job.edges.map((edgeId, e) => {
    const payloads: Buffer[] = [];
    for (let b = 0; b < job.batches; b++) {
      const readings: UplinkReading[] = new Array(job.size);
      for (let i = 0; i < job.size; i++) {
        const k = b * job.size + i;
        readings[i] = {
          deviceId: `dev-${e}-${k % 25}`,
          metric: k % 2 ? 'air_temperature' : 'relative_humidity',
          ts: START + Math.floor(k / 50) * 60_000,
          tsSource: 'device',
          value: 20 + (k % 37) / 3,
          seq: Math.floor(k / 50),
        };
      }
      payloads.push(encodeBatch({ batchId: `${edgeId}-${b}`, edgeId, createdAt: Date.now(), readings }));
    }
    return { edgeId, payloads };
  });
  const clients = await Promise.all(
    plans.map((p) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${job.port}`, {
        username: p.edgeId,
        password: `s-${p.edgeId}`,
        clientId: p.edgeId,
        clean: false,
        reconnectPeriod: 0,
      }),
    ),
  );
  process.send!({ ready: true });
  await new Promise<void>((r) => process.once('message', () => r()));
  await Promise.all(
    plans.map(async (p, i) => {
      const c = clients[i]!;
      const topic = edgeTopic('desa-bench', p.edgeId, 'batch');
      let next = 0;
      const t0 = Date.now();
      const lane = async () => {
        while (next < p.payloads.length) {
          const k = next++;
          const payload = p.payloads[k]!;
          if (job.intervalMs > 0)
            await new Promise((r) => setTimeout(r, Math.max(0, t0 + k * job.intervalMs - Date.now())));
          const sent = performance.now();
          await c.publishAsync(topic, payload, { qos: 1 });
          latencies.push(performance.now() - sent);
        }
      };
      await Promise.all(Array.from({ length: job.inflight }, lane));
    }),
  );
  await Promise.all(clients.map((c) => c.endAsync()));
  process.send!({ done: true, latencies });
}

class CountingStore implements TimeSeriesStore {
  readonly name = 'counting';
  n = 0;
  async start() {}
  async stop() {}
  async write(r: readonly StoredReading[]) {
    this.n += r.length;
    return { written: r.length, duplicates: 0 };
  }
  async queryRaw() {
    return [];
  }
  async queryBuckets() {
    return [];
  }
  async latest() {
    return [];
  }
  async listSeries() {
    return [];
  }
  async deleteBefore() {}
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      edges: { type: 'string', default: '8' },
      batches: { type: 'string', default: '30' },
      size: { type: 'string', default: '5000' },
      inflight: { type: 'string', default: '4' },
      delay: { type: 'string', default: '0' },
      workers: { type: 'string', default: '1' },
      'max-readings': { type: 'string', default: '50000' },
      'interval-ms': { type: 'string', default: '0' },
    },
  });
  const edges = Number(values.edges);
  const batches = Number(values.batches);
  const size = Number(values.size);
  const dir = mkdtempSync(join(tmpdir(), 'lumbung-gw-bench-'));
  const DuckDbStore = (storeModule as Record<string, unknown>).DuckDbStore as
    | (new (o: {
        path: string;
      }) => TimeSeriesStore)
    | undefined;
  const store: TimeSeriesStore =
    process.env.LUMBUNG_BENCH_STORE === 'memory'
      ? new CountingStore()
      : new DuckDbStore({ path: join(dir, 'tsdb.duckdb') });
  await store.start();
  const ids = Array.from({ length: edges }, (_, i) => `edge-${i}`);
  const gateway = new Gateway({
    provisioning: {
      edges: ids.map((edgeId) => ({
        edgeId,
        villageId: 'desa-bench',
        secretHash: hashSecret(`s-${edgeId}`),
        revoked: false,
      })),
    },
    store,
    dataDir: join(dir, 'gateway'),
    mqtt: { port: 0 },
    ops: false,
    write: { maxReadings: Number(values['max-readings']), maxDelayMs: Number(values.delay) },
  });
  await gateway.start();
  const writes: number[] = [];
  gateway.events.on('write', (w) => writes.push(w.durationMs));
  const nWorkers = Math.max(1, Number(values.workers));
  const workers = Array.from({ length: nWorkers }, (_, w) => {
    const job: Job = {
      port: gateway.mqttPort,
      edges: ids.filter((_, i) => i % nWorkers === w),
      batches,
      size,
      inflight: Number(values.inflight),
      intervalMs: Number(values['interval-ms']),
    };
    return fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LUMBUNG_BENCH_JOB: JSON.stringify(job) },
    });
  });
  const next = (w: ChildProcess) => new Promise((r) => w.once('message', r));
  await Promise.all(workers.map(next));
  const t0 = performance.now();
  const done = Promise.all(workers.map(next)) as Promise<{ latencies: number[] }[]>;
  for (const w of workers) w.send('go');
  const latencies = (await done).flatMap((d) => d.latencies).sort((a, b) => a - b);
  const seconds = (performance.now() - t0) / 1000;
  for (const w of workers) w.kill();
  const total = edges * batches * size;
  const stored = await gateway.metrics.registry.getSingleMetric('lumbung_gateway_readings_stored_total')!.get();
  writes.sort((a, b) => a - b);
  const ack = await gateway.metrics.ackDelay.get();
  await gateway.stop();
  await store.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        store: store.name,
        edges,
        batchesPerEdge: batches,
        batchSize: size,
        inflight: Number(values.inflight),
        maxDelayMs: Number(values.delay),
        readings: total,
        stored: stored.values[0]?.value,
        seconds: Number(seconds.toFixed(3)),
        readingsPerSecond: Math.round(total / seconds),
        publishToAckMsP50: Number((latencies[Math.floor(latencies.length / 2)] ?? 0).toFixed(1)),
        publishToAckMsP99: Number((latencies[Math.floor(latencies.length * 0.99)] ?? 0).toFixed(1)),
        writes: writes.length,
        writeMsP50: Number((writes[Math.floor(writes.length / 2)] ?? 0).toFixed(1)),
        writeMsP99: Number((writes[Math.floor(writes.length * 0.99)] ?? 0).toFixed(1)),
        ackDelayMeanMs: Number(
          (
            (1000 * (ack.values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0)) /
            (ack.values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 1)
          ).toFixed(1),
        ),
      },
      null,
      2,
    ),
  );
}

const job = process.env.LUMBUNG_BENCH_JOB;
if (job) {
  await edgeWorker(JSON.parse(job) as Job);
  process.disconnect?.();
} else await main();
