import { InfluxDB } from '@influxdata/influxdb-client';
import type {
  Aggregation,
  Bucket,
  BucketQuery,
  LatestPoint,
  Point,
  RangeQuery,
  SeriesFilter,
  SeriesInfo,
  SeriesKey,
  StoredReading,
  TimeSeriesStore,
  WriteResult,
} from './port.ts';
import { bySeries, checkReadings, SerialQueue } from './util.ts';

export interface VictoriaMetricsStoreOptions {
  /** Base URL of a VictoriaMetrics single-node server, e.g. http://127.0.0.1:8428. */
  url: string;
  /** Line-protocol measurement; metric names become `<measurement>_<metric>` (default 'lumbung'). */
  measurement?: string;
  /**
   * Call /internal/force_flush after each write (default true). VictoriaMetrics keeps new samples in memory
   * for about a second before they reach disk and become searchable; without the flush, write() would resolve
   * before the readings are durable and visible, which the port forbids. Costs throughput.
   */
  flushEachWrite?: boolean;
  /** Sent as `Authorization: Token ...` (VictoriaMetrics ignores it unless configured behind a proxy). */
  token?: string;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
}

/** Metric holding the retention floors written by deleteBefore() (not under `<measurement>_`). */
const FLOOR_METRIC = 'lumbungmeta_delete_before';
/**
 * Oldest timestamp the adapter asks about: 2000-01-01. A lookbehind window reaching back to 0 makes
 * VictoriaMetrics 1.79 return nothing at all, and device timestamps before 2020 are rejected upstream anyway.
 */
const EPOCH_FLOOR = Date.UTC(2000, 0, 1);
/** query_range returns at most -search.maxPointsPerTimeseries (30,000) points per series: stay below. */
const MAX_POINTS = 10_000;

const AGG_FN: Record<Exclude<Aggregation, 'increase' | 'rate'>, string> = {
  avg: 'avg_over_time',
  min: 'min_over_time',
  max: 'max_over_time',
  sum: 'sum_over_time',
  count: 'count_over_time',
  last: 'last_over_time',
};

interface ExportLine {
  metric: Record<string, string>;
  values: (number | null)[];
  timestamps: number[];
}

interface Floor {
  villageId: string;
  deviceId: string;
  metric: string;
  before: number;
}

const escTag = (s: string): string => s.replace(/([ ,=\\])/g, '\\$1');
const escLabel = (s: string): string => s.replace(/(["\\])/g, '\\$1').replace(/\n/g, '\\n');
const escRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const secs = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * The server adapter: VictoriaMetrics (tested against 1.79) written through the InfluxDB line protocol
 * (`@influxdata/influxdb-client` → /api/v2/write; org and bucket are ignored by VictoriaMetrics).
 * Sample `lumbung,village=V,device=D <metric>=<value> <ts ms>` becomes series `lumbung_<metric>{village,device}`.
 *
 * What VictoriaMetrics cannot do, and what this adapter does instead (docs/decisions/0001-time-series-store.md):
 * - first-write-wins de-duplication: with -dedup.minScrapeInterval=1ms it keeps ONE of several samples with the
 *   same millisecond, but which one is not defined (1.79 kept the later value in one part and the earlier one
 *   after a merge). So write() first reads the batch's series over the batch's time range and sends only samples
 *   whose timestamp is not there yet; that makes `duplicates` exact for writes through one adapter instance
 *   (writes are serialised). Two instances racing on the same sample both send it; the server then keeps one.
 * - tsSource is not stored (VictoriaMetrics stores a float per timestamp; a tag would split the series and
 *   defeat de-duplication).
 * - deleting a time range inside a series: deleteBefore() records a retention floor as a sample of
 *   `lumbungmeta_delete_before`, and every query clamps to it; the data is removed physically by the
 *   server's -retentionPeriod.
 * - increase/rate: VictoriaMetrics' increase() counts the first sample of a series as an increase from 0, ours
 *   does not, so both are computed here from /api/v1/export. The other aggregations are MetricsQL rollups.
 */
export class VictoriaMetricsStore implements TimeSeriesStore {
  readonly name = 'victoriametrics';
  readonly #base: string;
  readonly #measurement: string;
  #influx: InfluxDB | undefined;
  readonly #queue = new SerialQueue();

  constructor(private readonly opts: VictoriaMetricsStoreOptions) {
    this.#base = opts.url.replace(/\/+$/, '');
    this.#measurement = opts.measurement ?? 'lumbung';
  }

  async start(): Promise<void> {
    const res = await this.#fetch('/health');
    if (!res.ok) throw new Error(`VictoriaMetrics at ${this.#base} is not healthy: HTTP ${res.status}`);
    await res.body?.cancel();
    this.#influx = new InfluxDB({
      url: this.#base,
      token: this.opts.token ?? '',
      timeout: this.opts.timeoutMs ?? 60_000,
    });
  }

  async stop(): Promise<void> {
    await this.#queue.idle();
    this.#influx = undefined;
  }

  async #fetch(
    path: string,
    params?: Record<string, string | string[]>,
    method: 'GET' | 'POST' = 'GET',
  ): Promise<Response> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {})) {
      for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    }
    const signal = AbortSignal.timeout(this.opts.timeoutMs ?? 60_000);
    // Selectors listing hundreds of devices make long query strings: queries go as POST forms.
    if (method === 'POST') return fetch(this.#base + path, { method, body: form, signal });
    const qs = form.toString();
    return fetch(this.#base + path + (qs ? `?${qs}` : ''), { signal });
  }

  async #json<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const res = await this.#fetch(path, params, 'POST');
    const text = await res.text();
    if (!res.ok) throw new Error(`VictoriaMetrics ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  async #export(match: string, start: number, end: number): Promise<ExportLine[]> {
    const res = await this.#fetch('/api/v1/export', { 'match[]': match, start: secs(start), end: secs(end) }, 'POST');
    const text = await res.text();
    if (!res.ok) throw new Error(`VictoriaMetrics /api/v1/export: HTTP ${res.status}: ${text.slice(0, 500)}`);
    const out: ExportLine[] = [];
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as ExportLine);
    return out;
  }

  #name(metric: string): string {
    return `${this.#measurement}_${metric}`;
  }

  #metricOf(name: string): string | undefined {
    const p = `${this.#measurement}_`;
    return name.startsWith(p) ? name.slice(p.length) : undefined;
  }

  /** Exact selector of one series; every part is an escaped label matcher, so no query argument can change the query. */
  #selector(k: SeriesKey): string {
    return `{__name__="${escLabel(this.#name(k.metric))}",village="${escLabel(k.villageId)}",device="${escLabel(k.deviceId)}"}`;
  }

  #filterSelector(f: SeriesFilter): string {
    const parts = [
      f.metric !== undefined
        ? `__name__="${escLabel(this.#name(f.metric))}"`
        : `__name__=~"${escLabel(escRegex(this.#measurement))}_.+"`,
    ];
    if (f.villageId !== undefined) parts.push(`village="${escLabel(f.villageId)}"`);
    if (f.deviceId !== undefined) parts.push(`device="${escLabel(f.deviceId)}"`);
    return `{${parts.join(',')}}`;
  }

  async #flush(): Promise<void> {
    if (this.opts.flushEachWrite === false) return;
    const res = await this.#fetch('/internal/force_flush');
    await res.body?.cancel();
    if (!res.ok) throw new Error(`VictoriaMetrics /internal/force_flush: HTTP ${res.status}`);
  }

  async #send(lines: string[]): Promise<void> {
    if (!this.#influx) throw new Error('VictoriaMetricsStore is not started');
    if (lines.length === 0) return;
    // One WriteApi per call, sized so that nothing is sent before close(): close() sends everything and
    // rejects if the server refused it (no retries hidden behind a resolved promise).
    const api = this.#influx.getWriteApi('lumbung', 'lumbung', 'ms', {
      batchSize: lines.length + 1,
      maxBufferLines: lines.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: 1_000_000_000,
    });
    api.writeRecords(lines);
    await api.close();
  }

  // ---- retention floors -------------------------------------------------------------------------------

  async #floors(): Promise<Floor[]> {
    const lines = await this.#export(`{__name__="${FLOOR_METRIC}"}`, EPOCH_FLOOR, Date.now() + 86_400_000);
    const out: Floor[] = [];
    for (const l of lines) {
      let before = Number.NEGATIVE_INFINITY;
      for (const v of l.values) if (typeof v === 'number' && v > before) before = v;
      out.push({
        villageId: l.metric['village'] ?? '*',
        deviceId: l.metric['device'] ?? '*',
        metric: l.metric['metric'] ?? '*',
        before,
      });
    }
    return out;
  }

  /** The retention floor that applies to a series (the newest of the matching deleteBefore calls). */
  static floorOf(floors: Floor[], k: SeriesKey): number {
    let f = EPOCH_FLOOR;
    for (const x of floors) {
      if (x.villageId !== '*' && x.villageId !== k.villageId) continue;
      if (x.deviceId !== '*' && x.deviceId !== k.deviceId) continue;
      if (x.metric !== '*' && x.metric !== k.metric) continue;
      if (x.before > f) f = x.before;
    }
    return f;
  }

  async #floorFor(k: SeriesKey): Promise<number> {
    return VictoriaMetricsStore.floorOf(await this.#floors(), k);
  }

  // ---- writes -------------------------------------------------------------------------------------------

  write(readings: readonly StoredReading[]): Promise<WriteResult> {
    if (readings.length === 0) return Promise.resolve({ written: 0, duplicates: 0 });
    return this.#queue.run(() => this.#write(readings));
  }

  async #write(readings: readonly StoredReading[]): Promise<WriteResult> {
    checkReadings(readings);
    // Group by village (one export request each), de-duplicating inside the call: the first one wins.
    const seen = new Set<string>();
    const byVillage = new Map<string, { readings: StoredReading[]; min: number; max: number }>();
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i] as StoredReading;
      const k = `${r.villageId}\u0000${r.deviceId}\u0000${r.metric}\u0000${r.ts}`;
      if (seen.has(k)) continue;
      seen.add(k);
      let g = byVillage.get(r.villageId);
      if (!g) byVillage.set(r.villageId, (g = { readings: [], min: r.ts, max: r.ts }));
      g.readings.push(r);
      if (r.ts < g.min) g.min = r.ts;
      if (r.ts > g.max) g.max = r.ts;
    }
    // What is already stored for these series in this time range.
    const existing = new Set<string>();
    await Promise.all(
      [...byVillage].map(async ([villageId, g]) => {
        const devices = [...new Set(g.readings.map((r) => r.deviceId))];
        const metrics = [...new Set(g.readings.map((r) => this.#name(r.metric)))];
        const sel =
          `{__name__=~"${escLabel(metrics.map(escRegex).join('|'))}",village="${escLabel(villageId)}",` +
          `device=~"${escLabel(devices.map(escRegex).join('|'))}"}`;
        for (const line of await this.#export(sel, g.min, g.max)) {
          const metric = this.#metricOf(line.metric['__name__'] ?? '');
          const prefix = `${line.metric['village']}\u0000${line.metric['device']}\u0000${metric}\u0000`;
          for (const ts of line.timestamps) existing.add(prefix + ts);
        }
      }),
    );
    const m = escTag(this.#measurement);
    const lines: string[] = [];
    for (const g of byVillage.values()) {
      for (const r of g.readings) {
        if (existing.has(`${r.villageId}\u0000${r.deviceId}\u0000${r.metric}\u0000${r.ts}`)) continue;
        lines.push(
          `${m},device=${escTag(r.deviceId)},village=${escTag(r.villageId)} ${escTag(r.metric)}=${r.value} ${r.ts}`,
        );
      }
    }
    await this.#send(lines);
    await this.#flush();
    return { written: lines.length, duplicates: readings.length - lines.length };
  }

  // ---- queries ------------------------------------------------------------------------------------------

  /** Raw samples of one series in [from, to), de-duplicated (first by export order) and sorted. */
  async #raw(k: SeriesKey, from: number, to: number): Promise<Point[]> {
    if (to <= from) return [];
    const lines = await this.#export(this.#selector(k), from, to - 1);
    const pts: Point[] = [];
    for (const l of lines) {
      for (let i = 0; i < l.timestamps.length; i++) {
        const ts = l.timestamps[i] as number;
        const v = l.values[i];
        if (ts >= from && ts < to && typeof v === 'number') pts.push({ ts, value: v });
      }
    }
    pts.sort((a, b) => a.ts - b.ts);
    const out: Point[] = [];
    for (const p of pts) if (out.length === 0 || out[out.length - 1]?.ts !== p.ts) out.push(p);
    return out;
  }

  async queryRaw(q: RangeQuery & { limit?: number }): Promise<Point[]> {
    const from = Math.max(q.from, await this.#floorFor(q));
    const pts = await this.#raw(q, from, q.to);
    return q.limit === undefined ? pts : pts.slice(0, Math.max(0, Math.floor(q.limit)));
  }

  async queryBuckets(q: BucketQuery): Promise<Bucket[]> {
    if (!Number.isInteger(q.step) || q.step < 1000) throw new RangeError('step must be an integer >= 1000 ms');
    const floor = await this.#floorFor(q);
    const from = Math.max(q.from, floor);
    const to = q.to;
    if (to <= from || q.aggs.length === 0) return [];
    const step = q.step;
    const offset = q.offset ?? 0;
    const startOf = (t: number) => Math.floor((t - offset) / step) * step + offset;
    const buckets = new Map<number, Bucket['values']>();
    const put = (start: number, agg: Aggregation, v: number) => {
      let b = buckets.get(start);
      if (!b) buckets.set(start, (b = {}));
      b[agg] = v;
    };

    const rollups = q.aggs.filter((a): a is keyof typeof AGG_FN => a in AGG_FN);
    if (rollups.length > 0) {
      // Bucket [s, e) is the rollup evaluated at e - 1 ms over a window of e - s: VictoriaMetrics' window is
      // (t - d, t], i.e. [s, e - 1] in whole milliseconds. Full buckets go through one query_range (nocache=1:
      // with its rollup cache VictoriaMetrics may align start to a multiple of step and miss backfilled data); the partial first and last buckets,
      // cut by from/to, are instant queries with a shorter window.
      const firstFull = startOf(from) === from ? from : startOf(from) + step;
      const lastFullEnd = startOf(to);
      const tasks: Promise<void>[] = [];
      const sel = this.#selector(q);
      for (const agg of rollups) {
        const fn = AGG_FN[agg];
        for (let s = firstFull; s < lastFullEnd; s += MAX_POINTS * step) {
          const e = Math.min(lastFullEnd, s + MAX_POINTS * step);
          tasks.push(
            this.#queryRange(`${fn}(${sel}[${step}ms])`, s + step - 1, e - 1, step).then((pts) => {
              for (const [t, v] of pts) put(t + 1 - step, agg, v);
            }),
          );
        }
        const edges: [number, number][] = [];
        if (from < firstFull) edges.push([from, Math.min(firstFull, to)]);
        if (lastFullEnd < to && lastFullEnd >= firstFull) edges.push([lastFullEnd, to]);
        for (const [a, b] of edges) {
          tasks.push(
            this.#instant(`${fn}(${sel}[${b - a}ms])`, b - 1).then((v) => {
              if (v !== undefined) put(startOf(a), agg, v);
            }),
          );
        }
      }
      await Promise.all(tasks);
    }

    if (q.aggs.includes('increase') || q.aggs.includes('rate')) {
      // Previous sample before `from` (not before the floor), then deltas client-side.
      const prev =
        from - 1 > floor
          ? await this.#instant(`last_over_time(${this.#selector(q)}[${from - floor}ms])`, from - 1)
          : undefined;
      const pts = await this.#raw(q, from, to);
      const inc = new Map<number, number>();
      let last = prev;
      for (const p of pts) {
        const b = startOf(p.ts);
        const d = last === undefined ? 0 : p.value >= last ? p.value - last : p.value;
        inc.set(b, (inc.get(b) ?? 0) + d);
        last = p.value;
      }
      for (const [b, v] of inc) {
        if (q.aggs.includes('increase')) put(b, 'increase', v);
        if (q.aggs.includes('rate')) put(b, 'rate', v / (step / 1000));
      }
    }

    return [...buckets]
      .sort((a, b) => a[0] - b[0])
      .map(([ts, values]) => {
        const ordered: Bucket['values'] = {};
        for (const a of q.aggs) if (values[a] !== undefined) ordered[a] = values[a];
        return { ts, values: ordered };
      });
  }

  async #queryRange(query: string, start: number, end: number, step: number): Promise<[number, number][]> {
    const body = await this.#json<{ data: { result: { values: [number, string][] }[] } }>('/api/v1/query_range', {
      query,
      start: secs(start),
      end: secs(end),
      step: `${step}ms`,
      nocache: '1',
    });
    const out: [number, number][] = [];
    for (const series of body.data.result) {
      for (const [t, v] of series.values) {
        const n = Number(v);
        if (Number.isFinite(n)) out.push([Math.round(t * 1000), n]);
      }
    }
    return out;
  }

  async #instant(query: string, time: number): Promise<number | undefined> {
    const r = await this.#vector(query, time);
    const v = r[0]?.value;
    return v === undefined ? undefined : v;
  }

  async #vector(query: string, time: number): Promise<{ metric: Record<string, string>; value: number }[]> {
    const body = await this.#json<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(
      '/api/v1/query',
      { query, time: secs(time), nocache: '1' },
    );
    return body.data.result
      .map((r) => ({ metric: r.metric, value: Number(r.value[1]) }))
      .filter((r) => Number.isFinite(r.value));
  }

  /** Newest sample (ts, value) of every series matching the filter, clamped to the retention floors. */
  async #newest(filter: SeriesFilter): Promise<LatestPoint[]> {
    const floors = await this.#floors();
    // Evaluate a day ahead (device clocks run ahead a little) over a window reaching back to the epoch.
    const at = Date.now() + 86_400_000;
    const win = `[${at - EPOCH_FLOOR}ms]`;
    const sel = this.#filterSelector(filter);
    const [times, values] = await Promise.all([
      this.#vector(`tlast_over_time(${sel}${win}) keep_metric_names`, at),
      this.#vector(`last_over_time(${sel}${win})`, at),
    ]);
    const id = (m: Record<string, string>) => `${m['__name__']}\u0000${m['village']}\u0000${m['device']}`;
    const valueById = new Map(values.map((v) => [id(v.metric), v.value]));
    const out: LatestPoint[] = [];
    for (const t of times) {
      const metric = this.#metricOf(t.metric['__name__'] ?? '');
      const villageId = t.metric['village'];
      const deviceId = t.metric['device'];
      const value = valueById.get(id(t.metric));
      if (metric === undefined || villageId === undefined || deviceId === undefined || value === undefined) continue;
      const k = { villageId, deviceId, metric };
      const ts = Math.round(t.value * 1000);
      if (ts < VictoriaMetricsStore.floorOf(floors, k)) continue;
      out.push({ ...k, ts, value });
    }
    return out.sort(bySeries);
  }

  latest(filter: SeriesFilter & { villageId: string }): Promise<LatestPoint[]> {
    return this.#newest(filter);
  }

  async listSeries(filter: SeriesFilter): Promise<SeriesInfo[]> {
    return (await this.#newest(filter)).map(({ villageId, deviceId, metric, ts }) => ({
      villageId,
      deviceId,
      metric,
      lastTs: ts,
    }));
  }

  deleteBefore(before: number, filter: SeriesFilter = {}): Promise<void> {
    return this.#queue.run(async () => {
      // The floor is itself a sample, so it is as durable as the data and shared by every adapter instance.
      const tags = [
        `device=${escTag(filter.deviceId ?? '*')}`,
        `metric=${escTag(filter.metric ?? '*')}`,
        `village=${escTag(filter.villageId ?? '*')}`,
      ].join(',');
      const [measurement, field] = FLOOR_METRIC.split(/_(.*)/s) as [string, string];
      await this.#send([`${measurement},${tags} ${field}=${before} ${Date.now()}`]);
      await this.#flush();
    });
  }
}
