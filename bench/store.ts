import { mulberry32 } from '@lumbung/firmware-sim';
/**
 * Time-series store benchmark: `node --import tsx bench/store.ts [--quick] [--no-vm]`.
 * Prints a JSON summary. Not a test: numbers depend on the machine (targets in docs/decisions/0001).
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Aggregation,
  DuckDbStore,
  type StoredReading,
  type TimeSeriesStore,
  VICTORIA_METRICS_BIN,
  VictoriaMetricsProcess,
  VictoriaMetricsStore,
} from '@lumbung/store';

export interface BenchStoreOptions {
  /** Devices in the write benchmark (3 metrics each). Default 500. */
  devices?: number;
  /** Readings per write() call. Default 15,000. */
  batchSize?: number;
  /** Readings written in the embedded write benchmark. Default 3,000,000. */
  writeReadings?: number;
  /** Series and days of 1-minute data for the size measurement. Default 300 series × 30 days. */
  sizeSeries?: number;
  sizeDays?: number;
  /** Query repetitions for median/p99. Default 30. */
  queryRuns?: number;
  /** Readings written to VictoriaMetrics. Default 600,000. Set 0 to skip VictoriaMetrics. */
  vmReadings?: number;
  /** Timestamp jitter, ms (uniform 0..jitter) around the fixed reporting interval. Default 100. */
  jitterMs?: number;
  log?: (msg: string) => void;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const METRICS = ['air_temperature', 'relative_humidity', 'soil_moisture'] as const;

/**
 * Simulated field sensors: each device reports every minute at its own phase with a little jitter;
 * temperature follows a diurnal curve (UTC+7) plus a random walk, humidity mirrors it, soil moisture dries slowly
 * and jumps after "rain". Values are rounded to 0.1 like real sensors report them.
 */
class SensorSim {
  readonly #rand: () => number;
  readonly #walk: Float64Array;
  readonly #soil: Float64Array;
  constructor(
    readonly devices: number,
    readonly jitterMs: number,
    seed = 42,
  ) {
    this.#rand = mulberry32(seed);
    this.#walk = new Float64Array(devices);
    this.#soil = new Float64Array(devices).map(() => 25 + this.#rand() * 15);
  }

  /** Readings of minute `m` (since T0) for every device. */
  minute(m: number, village = 'bench', out: StoredReading[] = []): StoredReading[] {
    const localHour = ((m / 60 + 7) % 24) / 24;
    const diurnal = Math.sin(2 * Math.PI * (localHour - 0.375));
    for (let d = 0; d < this.devices; d++) {
      const w = (this.#walk[d] = (this.#walk[d] as number) * 0.995 + (this.#rand() - 0.5) * 0.3);
      let soil = (this.#soil[d] as number) - 0.0005;
      if (this.#rand() < 0.0002) soil += 8;
      this.#soil[d] = soil = Math.min(55, Math.max(8, soil));
      const ts = T0 + m * MIN + ((d * 997) % 60_000) + Math.floor(this.#rand() * this.jitterMs);
      const temp = 28 + 4 * diurnal + w;
      const deviceId = `dev-${d}`;
      out.push(
        { villageId: village, deviceId, metric: METRICS[0], ts, value: round1(temp), tsSource: 'device' },
        {
          villageId: village,
          deviceId,
          metric: METRICS[1],
          ts,
          value: round1(Math.min(100, 80 - 12 * diurnal - 2 * w)),
          tsSource: 'device',
        },
        { villageId: village, deviceId, metric: METRICS[2], ts, value: round1(soil), tsSource: 'device' },
      );
    }
    return out;
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: round2(at(0.5)), p99: round2(at(0.99)), min: round2(s[0] as number), runs: s.length };
}
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Writes `total` readings of `devices` devices in batches; returns readings/s over the whole run. */
async function writeRate(store: TimeSeriesStore, devices: number, batchSize: number, total: number, jitterMs: number) {
  const sim = new SensorSim(devices, jitterMs);
  let written = 0;
  let ms = 0;
  let m = 0;
  let batches = 0;
  while (written < total) {
    const batch: StoredReading[] = [];
    while (batch.length < batchSize) sim.minute(m++, 'bench', batch);
    const t = performance.now();
    const r = await store.write(batch);
    ms += performance.now() - t;
    written += r.written;
    batches++;
    if (r.duplicates !== 0) throw new Error(`unexpected duplicates: ${r.duplicates}`);
  }
  return {
    readings: written,
    batches,
    readingsPerSecond: Math.round(written / (ms / 1000)),
    seconds: round2(ms / 1000),
  };
}

/** One year of one 1-minute series, written in 20,000-reading batches. */
async function writeYear(store: TimeSeriesStore, jitterMs: number): Promise<number> {
  const rand = mulberry32(7);
  const n = 365 * 24 * 60;
  let batch: StoredReading[] = [];
  let w = 0;
  for (let i = 0; i < n; i++) {
    w = w * 0.995 + (rand() - 0.5) * 0.3;
    const diurnal = Math.sin(2 * Math.PI * (((i / 60 + 7) % 24) / 24 - 0.375));
    batch.push({
      villageId: 'year',
      deviceId: 'station',
      metric: 'air_temperature',
      ts: T0 + i * MIN + Math.floor(rand() * jitterMs),
      value: round1(28 + 4 * diurnal + w),
      tsSource: 'device',
    });
    if (batch.length === 20_000 || i === n - 1) {
      await store.write(batch);
      batch = [];
    }
  }
  return n;
}

async function queryYear(store: TimeSeriesStore, runs: number, aggs: Aggregation[] = ['avg', 'min', 'max']) {
  const q = {
    villageId: 'year',
    deviceId: 'station',
    metric: 'air_temperature',
    from: T0,
    to: T0 + 365 * 24 * HOUR,
    step: HOUR,
    aggs,
  };
  const first = await store.queryBuckets(q); // warm-up, and a sanity check
  if (first.length !== 365 * 24) throw new Error(`expected 8760 hourly buckets, got ${first.length}`);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await store.queryBuckets(q);
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

export async function benchStore(opts: BenchStoreOptions = {}): Promise<Record<string, unknown>> {
  const log = opts.log ?? (() => undefined);
  const devices = opts.devices ?? 500;
  const batchSize = opts.batchSize ?? 15_000;
  const jitterMs = opts.jitterMs ?? 100;
  const runs = opts.queryRuns ?? 30;
  const root = await mkdtemp(join(tmpdir(), 'lumbung-bench-store-'));
  const result: Record<string, unknown> = {
    machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg().map(round2) },
    data: { devices, metricsPerDevice: METRICS.length, batchSize, jitterMs, valueResolution: 0.1 },
  };
  try {
    // 1. Embedded: durable write throughput.
    {
      log('duckdb: write throughput');
      const store = new DuckDbStore({ path: join(root, 'write', 'tsdb.duckdb') });
      await store.start();
      result['duckdbWrite'] = await writeRate(store, devices, batchSize, opts.writeReadings ?? 3_000_000, jitterMs);
      await store.stop();
    }
    // 2. Embedded: bytes per reading after checkpoint, a month of 1-minute data.
    {
      const series = opts.sizeSeries ?? 300;
      const days = opts.sizeDays ?? 30;
      log(`duckdb: size of ${days} days × ${series} series`);
      const path = join(root, 'size', 'tsdb.duckdb');
      const store = new DuckDbStore({ path });
      await store.start();
      const sim = new SensorSim(Math.ceil(series / METRICS.length), jitterMs, 1);
      let batch: StoredReading[] = [];
      let total = 0;
      const t = performance.now();
      for (let m = 0; m < days * 24 * 60; m++) {
        sim.minute(m, 'bench', batch);
        if (batch.length >= batchSize) {
          total += (await store.write(batch)).written;
          batch = [];
        }
      }
      if (batch.length) total += (await store.write(batch)).written;
      const writeSeconds = (performance.now() - t) / 1000;
      await store.stop(); // compacts the tail and checkpoints
      const bytes = (await stat(path)).size;
      result['duckdbSize'] = {
        series: Math.ceil(series / METRICS.length) * METRICS.length,
        days,
        readings: total,
        fileBytes: bytes,
        bytesPerReading: round2(bytes / total),
        readingsPerSecond: Math.round(total / writeSeconds),
      };
    }
    // 3. Embedded: one year of one 1-minute series, hourly avg/min/max.
    {
      log('duckdb: one-year hourly query');
      const path = join(root, 'year', 'tsdb.duckdb');
      let store = new DuckDbStore({ path });
      await store.start();
      await writeYear(store, jitterMs);
      await store.stop();
      store = new DuckDbStore({ path });
      await store.start();
      result['duckdbYearHourlyQueryMs'] = await queryYear(store, runs);
      result['duckdbYearHourlyIncreaseMs'] = await queryYear(store, Math.min(runs, 10), ['increase']);
      await store.stop();
    }
    // 4. VictoriaMetrics.
    const vmReadings = opts.vmReadings ?? 600_000;
    if (vmReadings > 0 && existsSync(VICTORIA_METRICS_BIN)) {
      log('victoriametrics: write throughput and query');
      const vm = new VictoriaMetricsProcess({ dataDir: join(root, 'vm') });
      await vm.start();
      try {
        const store = new VictoriaMetricsStore({ url: vm.url });
        await store.start();
        result['victoriaMetricsWrite'] = await writeRate(store, devices, batchSize, vmReadings, jitterMs);
        await writeYear(store, jitterMs);
        result['victoriaMetricsYearHourlyQueryMs'] = await queryYear(store, Math.min(runs, 10));
        await store.stop();
      } finally {
        await vm.stop();
      }
    } else {
      result['victoriaMetrics'] =
        `skipped (${existsSync(VICTORIA_METRICS_BIN) ? 'vmReadings=0' : `${VICTORIA_METRICS_BIN} missing: apt-get install -y victoria-metrics`})`;
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  (result['machine'] as Record<string, unknown>)['loadAverageAtEnd'] = loadavg().map(round2);
  result['targets'] = {
    duckdbWriteReadingsPerSecond: '>= 250000',
    duckdbBytesPerReading: '<= 4',
    duckdbYearHourlyQueryMs: '<= 50',
    victoriaMetricsWriteReadingsPerSecond: '>= 100000',
  };
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const summary = await benchStore({
    log: (m) => process.stderr.write(`${m}\n`),
    ...(quick ? { writeReadings: 600_000, sizeDays: 7, queryRuns: 10, vmReadings: 150_000 } : {}),
    ...(process.argv.includes('--no-vm') ? { vmReadings: 0 } : {}),
  });
  console.log(JSON.stringify(summary, null, 2));
}
