/**
 * Child process of the ingestion benchmark: village boxes as the gateway sees them. Each edge is one mqtt.js
 * connection (persistent session, its own credentials) publishing PRE-ENCODED uplink batches (MessagePack, the wire
 * format of @lumbung/schemas) at QoS 1 with several batches in flight, so what is measured is the gateway and its
 * store, not the encoding. Adapted from the gateway author's throughput script (formerly gateway/bench/ingest.ts).
 */
import { edgeTopic, encodeBatch, type UplinkReading } from '@lumbung/schemas';
import mqtt from 'mqtt';
import { type Family, familyMetrics, mixedFamily, upPayload } from './devices.ts';

export interface EdgesJob {
  port: number;
  villageId: string;
  edges: { id: string; secret: string }[];
  /** Batches per edge. */
  batches: number;
  /** Readings per batch. */
  size: number;
  /** Batches in flight per edge. */
  inflight: number;
  /** Devices behind each edge. */
  devicesPerEdge: number;
  /** Device ts of the first message (epoch ms); messages are one minute apart. */
  tsStart: number;
}

export type EdgesCommand = { cmd: 'go' } | { cmd: 'progress' };

export type EdgesReply =
  | { type: 'ready'; encodeMs: number; payloadBytes: number; readings: number }
  | { type: 'progress'; ackedReadings: number }
  | {
      type: 'done';
      seconds: number;
      ackedReadings: number;
      ackedBatches: number;
      errors: number;
      firstError?: string;
      publishToAckMs: { p50: number; p99: number; max: number };
    }
  | { type: 'error'; message: string };

const send = (m: EdgesReply) => process.send?.(m);

/** The readings of one edge, in the order its box would send them: message by message, device by device. */
function* edgeReadings(job: EdgesJob, e: number): Generator<UplinkReading> {
  const fams: Family[] = Array.from({ length: job.devicesPerEdge }, (_, d) => mixedFamily(d + e));
  const mets = fams.map(familyMetrics);
  for (let k = 0; ; k++) {
    for (let d = 0; d < job.devicesPerEdge; d++) {
      const fam = fams[d] as Family;
      const ts = job.tsStart + k * 60_000 + ((d * 997) % 60_000);
      const p = upPayload(fam, e * 1000 + d, k, ts);
      const deviceId = `e${e}-dev-${d}`;
      for (const metric of mets[d] as string[]) {
        const value = metric === 'battery' ? p.battery : metric === 'rssi' ? p.rssi : p.readings[metric];
        yield { deviceId, metric, ts, tsSource: 'device', value: value as number, seq: k };
      }
    }
  }
}

async function main(job: EdgesJob): Promise<void> {
  const t0 = performance.now();
  let bytes = 0;
  const plans = job.edges.map((edge, e) => {
    const gen = edgeReadings(job, e);
    const payloads: Buffer[] = [];
    for (let b = 0; b < job.batches; b++) {
      const readings: UplinkReading[] = new Array(job.size);
      for (let i = 0; i < job.size; i++) readings[i] = gen.next().value as UplinkReading;
      const payload = encodeBatch({ batchId: `${edge.id}-${b}`, edgeId: edge.id, createdAt: Date.now(), readings });
      bytes += payload.length;
      payloads.push(payload);
    }
    return { edge, payloads };
  });
  const encodeMs = Math.round(performance.now() - t0);
  const clients = await Promise.all(
    plans.map((p) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${job.port}`, {
        username: p.edge.id,
        password: p.edge.secret,
        clientId: `edge-${p.edge.id}`,
        clean: false,
        reconnectPeriod: 0,
        protocolVersion: 4,
        connectTimeout: 30_000,
      }),
    ),
  );
  let acked = 0;
  let ackedBatches = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (const c of clients)
    c.on('error', (err) => {
      errors++;
      firstError ??= err.message;
    });
  const total = job.edges.length * job.batches * job.size;
  const latencies: number[] = [];
  process.on('message', (raw) => {
    const m = raw as EdgesCommand;
    if (m.cmd === 'progress') send({ type: 'progress', ackedReadings: acked });
    if (m.cmd !== 'go') return;
    const start = performance.now();
    void Promise.all(
      plans.map(async (p, i) => {
        const c = clients[i] as mqtt.MqttClient;
        const topic = edgeTopic(job.villageId, p.edge.id, 'batch');
        let next = 0;
        const lane = async () => {
          while (next < p.payloads.length) {
            const payload = p.payloads[next++] as Buffer;
            const sent = performance.now();
            try {
              await c.publishAsync(topic, payload, { qos: 1 });
              acked += job.size;
              ackedBatches++;
              latencies.push(performance.now() - sent);
            } catch (err) {
              errors++;
              firstError ??= (err as Error).message;
              return;
            }
          }
        };
        await Promise.all(Array.from({ length: job.inflight }, lane));
      }),
    ).then(async () => {
      const seconds = (performance.now() - start) / 1000;
      await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
      const s = Float64Array.from(latencies).sort();
      const q = (x: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(x * s.length) - 1)] ?? 0);
      send({
        type: 'done',
        seconds,
        ackedReadings: acked,
        ackedBatches,
        errors,
        ...(firstError ? { firstError } : {}),
        publishToAckMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
      });
      process.disconnect?.();
    });
  });
  send({ type: 'ready', encodeMs, payloadBytes: bytes, readings: total });
}

const job = process.env.LUMBUNG_BENCH_EDGES_JOB;
if (job) {
  process.on('disconnect', () => process.exit(0));
  main(JSON.parse(job) as EdgesJob).catch((err: Error) => {
    send({ type: 'error', message: err.message });
    process.exit(1);
  });
}
