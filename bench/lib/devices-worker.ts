/**
 * Child process of the ingestion benchmark: simulated devices, each its own mqtt.js connection with its own
 * credentials, publishing QoS 1 `up` messages to a village box. Driven over IPC (see DeviceCommand); counts what
 * was acknowledged (PUBACK), which at the village box means "on disk".
 */
import { deviceTopic } from '@lumbung/schemas';
import mqtt, { type MqttClient } from 'mqtt';
import { type BenchDevice, readingsPerMessage, upPayload } from './devices.ts';

export interface DeviceJob {
  port: number;
  villageId: string;
  devices: BenchDevice[];
  /** Index of devices[0] in the whole fleet (for values). */
  firstIndex: number;
  /** Most unacknowledged publishes per device. */
  window: number;
}

export type DeviceCommand =
  /** Every device publishes as fast as its window allows, device ts = now, until `stop`. */
  | { cmd: 'flood' }
  /** The first `devices` devices (default all) publish one message every `intervalMs`, device ts = now. */
  | { cmd: 'steady'; intervalMs: number; devices?: number }
  /** Every device publishes `messages` messages with ts = tsStart + k * stepMs + phase, as fast as acknowledged. */
  | { cmd: 'backlog'; messages: number; tsStart: number; stepMs: number }
  | { cmd: 'stats' }
  /** Start (or stop) recording publish -> PUBACK latencies. */
  | { cmd: 'record'; on: boolean }
  /** Stop publishing, wait (bounded) for outstanding acknowledgements, reply with stats. */
  | { cmd: 'stop' }
  | { cmd: 'close' };

export interface DeviceStats {
  at: number;
  sent: number;
  acked: number;
  ackedReadings: number;
  errors: number;
  /** Steady mode: messages not published because the device's window was full. */
  skipped: number;
  inflight: number;
  /** Acknowledged messages per device. */
  perDevice: number[];
  /** Backlog: acknowledged messages per device that were part of the backlog. */
  backlogPerDevice: number[];
  ackMs?: { p50: number; p99: number; max: number; n: number };
  firstError?: string;
}

export type DeviceReply =
  | { type: 'ready'; connectMs: number }
  | { type: 'stats'; stats: DeviceStats }
  | { type: 'backlog-done'; stats: DeviceStats; seconds: number }
  | { type: 'stopped'; stats: DeviceStats }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const send = (m: DeviceReply) => process.send?.(m);

async function main(job: DeviceJob): Promise<void> {
  const n = job.devices.length;
  const seq = new Uint32Array(n);
  const inflight = new Uint32Array(n);
  const perDevice = new Array<number>(n).fill(0);
  const backlogPerDevice = new Array<number>(n).fill(0);
  const rpm = job.devices.map((d) => readingsPerMessage(d.family));
  const topics = job.devices.map((d) => deviceTopic(job.villageId, d.id, 'up'));
  let sent = 0;
  let acked = 0;
  let ackedReadings = 0;
  let errors = 0;
  let skipped = 0;
  let firstError: string | undefined;
  let recording = false;
  let lat: number[] = [];
  let running = false;
  let steadyTimer: NodeJS.Timeout | undefined;

  const t0 = performance.now();
  const clients: MqttClient[] = await Promise.all(
    job.devices.map((d) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${job.port}`, {
        clientId: d.id,
        username: d.id,
        password: d.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        keepalive: 120,
      }),
    ),
  );
  for (const c of clients)
    c.on('error', (err) => {
      errors++;
      firstError ??= err.message;
    });
  send({ type: 'ready', connectMs: Math.round(performance.now() - t0) });

  const stats = (): DeviceStats => {
    let inf = 0;
    for (let i = 0; i < n; i++) inf += inflight[i] ?? 0;
    const s: DeviceStats = {
      at: Date.now(),
      sent,
      acked,
      ackedReadings,
      errors,
      skipped,
      inflight: inf,
      perDevice,
      backlogPerDevice,
    };
    if (lat.length > 0) {
      const sorted = Float64Array.from(lat).sort();
      const q = (p: number) =>
        Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0) * 10) / 10;
      s.ackMs = { p50: q(0.5), p99: q(0.99), max: q(1), n: sorted.length };
    }
    if (firstError) s.firstError = firstError;
    return s;
  };

  /** Publishes one message of device i; `onAcked` runs after its PUBACK. */
  const publish = (i: number, ts: number, backlog: boolean, onAcked?: () => void) => {
    const d = job.devices[i] as BenchDevice;
    const k = seq[i] as number;
    seq[i] = k + 1;
    const body = JSON.stringify(upPayload(d.family, job.firstIndex + i, k, ts));
    inflight[i] = (inflight[i] as number) + 1;
    sent++;
    const started = recording ? performance.now() : 0;
    (clients[i] as MqttClient).publish(topics[i] as string, body, { qos: 1 }, (err) => {
      inflight[i] = (inflight[i] as number) - 1;
      if (err) {
        errors++;
        firstError ??= err.message;
      } else {
        acked++;
        ackedReadings += rpm[i] as number;
        perDevice[i] = (perDevice[i] as number) + 1;
        if (backlog) backlogPerDevice[i] = (backlogPerDevice[i] as number) + 1;
        if (started > 0 && recording) lat.push(performance.now() - started);
      }
      onAcked?.();
    });
  };

  const flood = () => {
    running = true;
    const pump = (i: number) => {
      while (running && (inflight[i] as number) < job.window) publish(i, Date.now(), false, () => pump(i));
    };
    for (let i = 0; i < n; i++) pump(i);
  };

  const steady = (intervalMs: number, count: number) => {
    running = true;
    const start = performance.now();
    // Each device has its own phase within the interval; one timer drives them all.
    const next = Array.from({ length: count }, (_, i) => start + (intervalMs * i) / count);
    const tick = () => {
      if (!running) return;
      const now = performance.now();
      for (let i = 0; i < count; i++) {
        let due = next[i] as number;
        while (due <= now) {
          if ((inflight[i] as number) < job.window) publish(i, Date.now(), false);
          else skipped++;
          due += intervalMs;
        }
        next[i] = due;
      }
    };
    steadyTimer = setInterval(tick, Math.max(1, Math.min(10, intervalMs / 4)));
  };

  const backlog = (messages: number, tsStart: number, stepMs: number) =>
    new Promise<number>((resolve) => {
      running = true;
      const started = performance.now();
      const left = new Array<number>(n).fill(messages);
      let devicesLeft = n;
      const pump = (i: number) => {
        while (running && (left[i] as number) > 0 && (inflight[i] as number) < job.window) {
          const k = messages - (left[i] as number);
          left[i] = (left[i] as number) - 1;
          const phase = ((job.firstIndex + i) * 997) % stepMs;
          publish(i, tsStart + k * stepMs + phase, true, () => pump(i));
        }
        if ((left[i] as number) === 0 && (inflight[i] as number) === 0) {
          left[i] = -1;
          if (--devicesLeft === 0) {
            running = false;
            resolve((performance.now() - started) / 1000);
          }
        }
      };
      for (let i = 0; i < n; i++) pump(i);
    });

  const settle = async () => {
    running = false;
    clearInterval(steadyTimer);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      let inf = 0;
      for (let i = 0; i < n; i++) inf += inflight[i] ?? 0;
      if (inf === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  process.on('message', (raw) => {
    const m = raw as DeviceCommand;
    switch (m.cmd) {
      case 'flood':
        flood();
        break;
      case 'steady':
        steady(m.intervalMs, Math.min(n, m.devices ?? n));
        break;
      case 'backlog':
        void backlog(m.messages, m.tsStart, m.stepMs).then((seconds) =>
          send({ type: 'backlog-done', stats: stats(), seconds }),
        );
        break;
      case 'stats':
        send({ type: 'stats', stats: stats() });
        break;
      case 'record':
        recording = m.on;
        if (m.on) lat = [];
        break;
      case 'stop':
        void settle().then(() => send({ type: 'stopped', stats: stats() }));
        break;
      case 'close':
        void settle()
          .then(() => Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined))))
          .then(() => {
            send({ type: 'closed' });
            process.disconnect?.();
            setTimeout(() => process.exit(0), 100).unref();
          });
        break;
    }
  });
}

const job = process.env.LUMBUNG_BENCH_DEVICE_JOB;
if (job) {
  process.on('disconnect', () => process.exit(0));
  main(JSON.parse(job) as DeviceJob).catch((err: Error) => {
    send({ type: 'error', message: err.message });
    process.exit(1);
  });
}
