import type {
  DeviceHealth,
  DeviceRecord,
  LatestReading,
  MetricCatalogue,
  PresenceState,
  ReadingsResponse,
  SeriesRecord,
} from '@lumbung/schemas';
import { MAX_API_POINTS } from '@lumbung/schemas';
import type { Aggregation, LatestPoint, StoredReading, TimeSeriesStore } from '@lumbung/store';
import { ApiFailure } from './errors.ts';
import type { Registry } from './registry/port.ts';

/** A device counts as stale (and offline) after this many missed reporting intervals. */
export const STALE_INTERVALS = 3;

interface VillageLatest {
  points: Map<string, LatestPoint>;
  loadedAt: number;
}

/**
 * Telemetry reads for the API: series, readings, latest values and device health, joining the registry
 * (which site a device is on, its interval and presence) with the time-series store.
 *
 * Latest values are served from memory: loaded from the store once per village, then kept current by the
 * readings the gateway stores in this process (`observe`). Without a gateway in the process (the cloud on
 * its own, reading VictoriaMetrics), a village's copy is reloaded when older than `latestTtlMs`.
 */
export class Telemetry {
  readonly #latest = new Map<string, VillageLatest>();
  readonly #loading = new Map<string, Promise<VillageLatest>>();
  #live = false;

  constructor(
    private readonly registry: Registry,
    private readonly store: TimeSeriesStore,
    private readonly catalogue: MetricCatalogue,
    private readonly opts: { latestTtlMs?: number; now?: () => number } = {},
  ) {}

  /** Called once a live source of stored readings feeds `observe`: the in-memory latest values never expire. */
  setLive(live: boolean): void {
    this.#live = live;
  }

  /** Readings that became durable in the store (the gateway's `batch-stored`). */
  observe(villageId: string, readings: readonly StoredReading[]): void {
    const v = this.#latest.get(villageId);
    if (!v) return;
    for (const r of readings) {
      const key = `${r.deviceId}\u0000${r.metric}`;
      const prev = v.points.get(key);
      if (!prev || prev.ts < r.ts) v.points.set(key, r);
    }
  }

  unit(metric: string): string {
    return this.catalogue.get(metric)?.unit ?? '';
  }

  async #villageLatest(villageId: string): Promise<VillageLatest> {
    const now = this.#now();
    const have = this.#latest.get(villageId);
    if (have && (this.#live || now - have.loadedAt < (this.opts.latestTtlMs ?? 5000))) return have;
    let loading = this.#loading.get(villageId);
    if (!loading) {
      loading = this.store
        .latest({ villageId })
        .then((points) => {
          const v: VillageLatest = { points: new Map(), loadedAt: now };
          for (const p of points) v.points.set(`${p.deviceId}\u0000${p.metric}`, p);
          // Readings observed while loading are newer than or equal to what the query saw: keep the newest.
          const during = this.#latest.get(villageId);
          if (during)
            for (const [k, p] of during.points) {
              const q = v.points.get(k);
              if (!q || q.ts < p.ts) v.points.set(k, p);
            }
          this.#latest.set(villageId, v);
          return v;
        })
        .finally(() => this.#loading.delete(villageId));
      this.#loading.set(villageId, loading);
    }
    return loading;
  }

  async latest(villageId: string, filter: { siteId?: string; deviceId?: string } = {}): Promise<LatestReading[]> {
    const [devices, v] = await Promise.all([this.registry.listDevices(villageId), this.#villageLatest(villageId)]);
    const siteOf = new Map(devices.map((d) => [d.id, d.siteId]));
    const out: LatestReading[] = [];
    for (const p of v.points.values()) {
      if (filter.deviceId !== undefined && p.deviceId !== filter.deviceId) continue;
      const siteId = siteOf.get(p.deviceId) ?? null;
      if (filter.siteId !== undefined && siteId !== filter.siteId) continue;
      out.push({ deviceId: p.deviceId, siteId, metric: p.metric, unit: this.unit(p.metric), ts: p.ts, value: p.value });
    }
    return out.sort((a, b) => (a.deviceId === b.deviceId ? cmp(a.metric, b.metric) : cmp(a.deviceId, b.deviceId)));
  }

  /** Latest readings for the live stream, with the site of each device. */
  liveReadings(readings: readonly StoredReading[], siteOf: (deviceId: string) => string | null): LatestReading[] {
    return readings.map((r) => ({
      deviceId: r.deviceId,
      siteId: siteOf(r.deviceId),
      metric: r.metric,
      unit: this.unit(r.metric),
      ts: r.ts,
      value: r.value,
    }));
  }

  async series(
    villageId: string,
    filter: { siteId?: string; deviceId?: string; metric?: string },
  ): Promise<SeriesRecord[]> {
    const [devices, series] = await Promise.all([
      this.registry.listDevices(villageId),
      this.store.listSeries({ villageId, deviceId: filter.deviceId, metric: filter.metric }),
    ]);
    const siteOf = new Map(devices.map((d) => [d.id, d.siteId]));
    return series
      .map((s) => ({
        deviceId: s.deviceId,
        siteId: siteOf.get(s.deviceId) ?? null,
        metric: s.metric,
        unit: this.unit(s.metric),
        lastTs: s.lastTs,
      }))
      .filter((s) => filter.siteId === undefined || s.siteId === filter.siteId);
  }

  async deviceHealth(villageId: string, deviceId?: string): Promise<DeviceHealth[]> {
    const [devices, presence, v] = await Promise.all([
      this.registry.listDevices(villageId),
      this.registry.presence('device', villageId),
      this.#villageLatest(villageId),
    ]);
    const lastSeen = new Map<string, number>();
    const value = new Map<string, number>();
    for (const p of v.points.values()) {
      if (p.ts > (lastSeen.get(p.deviceId) ?? 0)) lastSeen.set(p.deviceId, p.ts);
      if (p.metric === 'battery' || p.metric === 'rssi') value.set(`${p.deviceId}\u0000${p.metric}`, p.value);
    }
    const now = this.#now();
    return devices
      .filter((d) => deviceId === undefined || d.id === deviceId)
      .map((d) => health(d, presence.get(d.id), lastSeen.get(d.id), value, now));
  }

  /**
   * Raw readings (no step) or buckets of one series. More than MAX_API_POINTS is an error, not a silent
   * cut: a chart that quietly loses its newest part would mislead.
   */
  async readings(
    villageId: string,
    q: { deviceId: string; metric: string; from: number; to: number; step?: number; aggs: Aggregation[] },
    offset: number,
  ): Promise<ReadingsResponse> {
    if (q.to <= q.from) throw new ApiFailure('LUMBUNG_ERR_TIME_RANGE');
    const base = {
      deviceId: q.deviceId,
      metric: q.metric,
      unit: this.unit(q.metric),
      from: q.from,
      to: q.to,
    };
    const key = { villageId, deviceId: q.deviceId, metric: q.metric, from: q.from, to: q.to };
    if (q.step === undefined) {
      const raw = await this.store.queryRaw({ ...key, limit: MAX_API_POINTS + 1 });
      if (raw.length > MAX_API_POINTS)
        throw new ApiFailure('LUMBUNG_ERR_TOO_MANY_POINTS', { points: `> ${MAX_API_POINTS}`, max: MAX_API_POINTS });
      return { ...base, step: null, aggs: ['value'], points: raw.map((p) => [p.ts, p.value]) };
    }
    const buckets = Math.ceil((q.to - q.from) / q.step);
    if (buckets > MAX_API_POINTS)
      throw new ApiFailure('LUMBUNG_ERR_TOO_MANY_POINTS', { points: buckets, max: MAX_API_POINTS });
    const rows = await this.store.queryBuckets({ ...key, step: q.step, aggs: q.aggs, offset });
    return {
      ...base,
      step: q.step,
      aggs: q.aggs,
      points: rows.map((b) => [b.ts, ...q.aggs.map((a) => b.values[a] ?? null)]),
    };
  }

  #now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}

function health(
  d: DeviceRecord,
  presence: { state: PresenceState; at: number } | undefined,
  lastSeen: number | undefined,
  values: Map<string, number>,
  now: number,
): DeviceHealth {
  const stale = lastSeen === undefined || now - lastSeen > STALE_INTERVALS * d.intervalSeconds * 1000;
  // A device that says it is online but has sent nothing for three intervals is not really there.
  const state: PresenceState = presence?.state === 'online' && stale ? 'offline' : (presence?.state ?? 'unknown');
  return {
    deviceId: d.id,
    siteId: d.siteId,
    family: d.family,
    revoked: d.revoked,
    state,
    stateAt: presence?.at ?? null,
    lastSeen: lastSeen ?? null,
    stale,
    battery: values.get(`${d.id}\u0000battery`) ?? null,
    rssi: values.get(`${d.id}\u0000rssi`) ?? null,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
