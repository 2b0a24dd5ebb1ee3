/**
 * Ingestion benchmark: `npm run bench:ingest [-- --only edge,gateway,victoria,latency,store,backlog] [--quick]
 * [--cpu-prof DIR]`. Measures every number of the ingestion issue on this machine and prints ONE JSON summary to
 * stdout (progress goes to stderr); the same JSON is written to bench/results/ingest-<time>.json.
 * Not a test: numbers are reported against their targets, nothing fails on a slow machine. See docs/benchmarks.md.
 */

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EDGE_NODE_OPTIONS as EDGE_NODE_OPTIONS_DEFAULT } from '@lumbung/cli';
import { DuckDbStore, VICTORIA_METRICS_BIN, VictoriaMetricsProcess, VictoriaMetricsStore } from '@lumbung/store';
import { backlogRun } from './lib/backlog.ts';
import { edgeLoad } from './lib/edge-load.ts';
import { gatewayLoad } from './lib/gateway-load.ts';
import { latencyRun } from './lib/latency.ts';
import { killAllChildren, load, machine, Resources, round, say } from './lib/util.ts';
import { benchStore } from './store.ts';

const SECTIONS = ['edge', 'gateway', 'victoria', 'latency', 'store', 'backlog'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    /** Section edge: unacknowledged publishes per device (default 8) and device worker processes (default 2). */
    'edge-window': { type: 'string', default: '8' },
    'edge-workers': { type: 'string', default: '2' },
    /** Node options for every `lumbung edge` process instead of the launcher's heap caps (space separated). */
    'edge-node-flags': { type: 'string', default: '' },
  },
});
const quick = values.quick ?? false;
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
for (const s of only)
  if (!(SECTIONS as readonly string[]).includes(s)) {
    console.error(`--only: unknown section ${s} (sections: ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
const profDir = values['cpu-prof'];
if (profDir) await mkdir(profDir, { recursive: true });
/** Node options for the `lumbung edge` processes: a CPU profile each when --cpu-prof is given. */
const edgeNodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
// --edge-node-flags replaces the launcher's heap settings for the village box (LUMBUNG_EDGE_NODE_OPTIONS).
if (values['edge-node-flags']) process.env.LUMBUNG_EDGE_NODE_OPTIONS = values['edge-node-flags'];
const edgeNodeOptions = process.env.LUMBUNG_EDGE_NODE_OPTIONS ?? EDGE_NODE_OPTIONS_DEFAULT;

let current: Resources | undefined;
const interrupted = (sig: string) => {
  say(`${sig}: cleaning up`);
  killAllChildren();
  void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once('SIGINT', () => interrupted('SIGINT'));
process.once('SIGTERM', () => interrupted('SIGTERM'));

async function run(name: Section, fn: (res: Resources) => Promise<Record<string, unknown>>) {
  const res = new Resources();
  current = res;
  const t = performance.now();
  say(`== ${name}`);
  try {
    const out = await fn(res);
    return { ...out, sectionSeconds: round((performance.now() - t) / 1000, 1) };
  } catch (err) {
    say(`${name} failed: ${(err as Error).stack ?? err}`);
    return { met: false, error: (err as Error).message, sectionSeconds: round((performance.now() - t) / 1000, 1) };
  } finally {
    await res.close();
    current = undefined;
  }
}

const gwLoad = quick
  ? { edges: 4, batchesPerEdge: 10, batchSize: 5000, inflight: 4, devicesPerEdge: 100 }
  : { edges: 8, batchesPerEdge: 32, batchSize: 5000, inflight: 4, devicesPerEdge: 100 };

const sections: Record<string, unknown> = {};
const startedAt = new Date();
const loadStart = load();
say(`ingest benchmark${quick ? ' (quick)' : ''}: ${only.join(', ')}; load average ${loadStart.join(' ')}`);

for (const name of SECTIONS) {
  if (!only.includes(name)) continue;
  switch (name) {
    case 'edge':
      sections[name] = await run(name, (res) =>
        edgeLoad({
          res,
          devices: quick ? 100 : 500,
          workers: Number(values['edge-workers']),
          window: Number(values['edge-window']),
          warmupSeconds: quick ? 2 : 5,
          seconds: quick ? 4 : 15,
          edgeNodeArgs,
        }),
      );
      break;
    case 'gateway':
      sections[name] = await run(name, async (res) => {
        const dir = await res.tempDir('duckdb');
        const store = new DuckDbStore({ path: join(dir, 'tsdb.duckdb') });
        await store.start();
        res.add('duckdb store', () => store.stop());
        return gatewayLoad({
          res,
          store,
          storeSetup: {
            kind: 'DuckDbStore (embedded), default options, file in a temp dir',
            note: 'DuckDB works in threads of the bench process: benchProcess CPU includes them',
          },
          target: 200_000,
          ...gwLoad,
        });
      });
      break;
    case 'victoria':
      if (!existsSync(VICTORIA_METRICS_BIN)) {
        sections[name] = {
          skipped: `${VICTORIA_METRICS_BIN} missing (apt-get install -y victoria-metrics)`,
          target: '>= 100,000 readings/s',
          met: null,
        };
        break;
      }
      sections[name] = await run(name, async (res) => {
        const dir = await res.tempDir('vm');
        const vm = new VictoriaMetricsProcess({ dataDir: join(dir, 'vm') });
        await vm.start();
        res.add('victoria-metrics', () => vm.stop());
        const store = new VictoriaMetricsStore({ url: vm.url });
        await store.start();
        res.add('victoria store', () => store.stop());
        return gatewayLoad({
          res,
          store,
          storeSetup: {
            kind: 'VictoriaMetricsStore (default options) -> VictoriaMetricsProcess',
            server: `${VICTORIA_METRICS_BIN} on 127.0.0.1:${vm.port}, data in a temp dir`,
          },
          target: 100_000,
          cpuPids: { victoriaMetrics: vm.pid ?? 0 },
          ...gwLoad,
        });
      });
      break;
    case 'latency':
      sections[name] = await run(name, (res) =>
        latencyRun({
          res,
          devices: 200,
          perSecond: 10,
          warmupSeconds: quick ? 2 : 5,
          seconds: quick ? 5 : 30,
          edgeNodeArgs,
        }),
      );
      break;
    case 'store':
      sections[name] = await run(name, async () => {
        const r = await benchStore({
          log: (m) => say(`store: ${m}`),
          vmReadings: 0,
          ...(quick
            ? { writeReadings: 150_000, sizeSeries: 60, sizeDays: 3, queryRuns: 5 }
            : { writeReadings: 1_000_000, queryRuns: 30 }),
        });
        const size = r['duckdbSize'] as { bytesPerReading: number; readings: number; days: number; series: number };
        const q = r['duckdbYearHourlyQueryMs'] as { median: number; p99: number; min: number; runs: number };
        const bytesOk = size.bytesPerReading <= 4;
        const queryOk = q.median <= 50;
        return {
          value: size.bytesPerReading,
          unit: 'bytes/reading',
          target: '<= 4 bytes/reading and a 1-year hourly query <= 50 ms',
          met: bytesOk && queryOk,
          targets: {
            bytesPerReading: { value: size.bytesPerReading, target: 4, met: bytesOk },
            yearHourlyQueryMedianMs: { value: q.median, target: 50, met: queryOk, p99: q.p99 },
          },
          setup: {
            how: 'benchStore() from bench/store.ts (VictoriaMetrics part off: section victoria measures it)',
            size: `${size.series} series × ${size.days} days of simulated 1-minute sensor data (0.1 resolution, ±100 ms jitter), file size after stop() (compaction + checkpoint)`,
            query: 'one year of one 1-minute series, hourly avg/min/max buckets, after a restart; median of runs',
          },
          benchStore: r,
        };
      });
      break;
    case 'backlog':
      sections[name] = await run(name, (res) =>
        backlogRun({
          res,
          devices: quick ? 20 : 200,
          messages: quick ? 360 : 1440,
          liveDevices: 5,
          liveIntervalMs: 1000,
          window: 16,
          edgeNodeArgs,
        }),
      );
      break;
  }
}

const finishedAt = new Date();
const summary = {
  benchmark: 'ingest',
  quick,
  startedAt: startedAt.toISOString(),
  finishedAt: finishedAt.toISOString(),
  durationSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
  machine: machine(),
  edgeNodeOptions,
  loadAverage: {
    start: loadStart,
    end: load(),
    note: '1/5/15-minute load averages; other work on the machine skews the numbers',
  },
  allMet: Object.values(sections).every((s) => (s as { met?: boolean | null }).met !== false),
  sections,
};
const json = JSON.stringify(summary, null, 2);
if (!values['no-write']) {
  const dir = new URL('./results/', import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  const file = join(dir, `ingest-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${json}\n`);
  say(`written to ${file}`);
}
console.log(json);
killAllChildren();
process.exit(0);
