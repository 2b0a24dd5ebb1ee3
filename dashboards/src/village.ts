import type {
  AlertRecord,
  AlertStatus,
  DeviceHealth,
  LatestReading,
  MetricDefinition,
  SiteRecord,
  StreamReadings,
  VillageSummary,
} from '@lumbung/schemas';
import { type Api, type ApiError, qs, toApiError } from './api.ts';

export type StreamState = 'off' | 'connecting' | 'live' | 'lost';
export type LoadState = { status: 'idle' | 'loading' | 'ready' } | { status: 'error'; error: ApiError };

/** One series' key in the latest-readings map. */
export const seriesKey = (deviceId: string, metric: string): string => `${deviceId}\u0000${metric}`;

/** The alerts the village keeps (and the overview lists): the ones not resolved yet. */
const ACTIVE: readonly AlertStatus[] = ['open', 'acknowledged'];
/** First wait before reopening a refused or expired stream (the server's own `retry:` is 5 s), then doubling. */
const STREAM_RETRY_MS = 1000;
const STREAM_RETRY_MAX_MS = 60_000;

/**
 * What the dashboard knows about one village: its record, sites, newest readings, active alerts and device
 * health, kept current by the server-sent event stream. Pages read it and re-render on `subscribe`.
 * start() loads and opens the stream; stop() closes it.
 */
export class VillageData {
  summary: VillageSummary | undefined;
  sites: SiteRecord[] = [];
  metrics = new Map<string, MetricDefinition>();
  latest = new Map<string, LatestReading>();
  /** Open and acknowledged alerts, newest first. */
  alerts: AlertRecord[] = [];
  health: DeviceHealth[] | undefined;
  load: LoadState = { status: 'idle' };
  stream: StreamState = 'off';
  /** When the newest data arrived (load or stream), epoch ms. */
  updatedAt = 0;
  /** Bumped on every change; pages compare it to re-render. */
  version = 0;

  readonly #listeners = new Set<() => void>();
  readonly #readingListeners = new Set<(r: LatestReading) => void>();
  #source: EventSource | undefined;
  #stopped = false;
  /** The stream broke since it last opened: reload when it opens again. */
  #lost = false;
  #backoff = STREAM_RETRY_MS;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly villageId: string,
    readonly api: Api,
  ) {}

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Every live reading as it arrives (the 24-hour chart appends them). */
  onReading(fn: (r: LatestReading) => void): () => void {
    this.#readingListeners.add(fn);
    return () => this.#readingListeners.delete(fn);
  }

  #changed(): void {
    this.version++;
    for (const fn of this.#listeners) fn();
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await this.reload();
    if (this.#stopped || this.load.status !== 'ready') return;
    // After the first data shows: device health and the stream (which keeps one connection open for good).
    void this.openStream();
    void this.loadHealth();
  }

  stop(): void {
    this.#stopped = true;
    this.#source?.close();
    this.#source = undefined;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.stream = 'off';
    this.#listeners.clear();
    this.#readingListeners.clear();
  }

  async reload(): Promise<void> {
    const v = `/villages/${this.villageId}`;
    // A refresh (after the stream reconnects) keeps showing the old data until the new arrives.
    if (this.load.status !== 'ready') {
      this.load = { status: 'loading' };
      this.#changed();
    }
    try {
      const [summary, sites, latest, alerts, metrics] = await Promise.all([
        this.api.get<VillageSummary>(v),
        this.api.get<SiteRecord[]>(`${v}/sites`),
        this.api.get<LatestReading[]>(`${v}/latest`),
        this.api.get<AlertRecord[]>(`${v}/alerts${qs({ status: ACTIVE.join(',') })}`),
        // The catalogue only names metrics: without it the page still shows readings under their code names.
        this.api.get<MetricDefinition[]>('/metrics').catch(() => [] as MetricDefinition[]),
      ]);
      if (this.#stopped) return;
      this.summary = summary;
      this.sites = sites;
      this.latest = new Map(latest.map((r) => [seriesKey(r.deviceId, r.metric), r]));
      this.alerts = sortAlerts(alerts);
      this.metrics = new Map(metrics.map((m) => [m.name, m]));
      this.updatedAt = Date.now();
      this.load = { status: 'ready' };
    } catch (err) {
      this.load = { status: 'error', error: toApiError(err) };
    }
    this.#changed();
  }

  async loadHealth(): Promise<void> {
    try {
      const health = await this.api.get<DeviceHealth[]>(`/villages/${this.villageId}/device-health`);
      if (this.#stopped) return;
      this.health = health;
      this.#changed();
    } catch {
      // Health is extra on the overview; the devices page shows its own error when it cannot load it.
    }
  }

  /**
   * Opens the live stream. EventSource cannot send headers, so the access token travels in the query; when the
   * stream breaks after the token ran out (the browser would retry with the stale one) or the server refused it
   * (readyState CLOSED), it is reopened with a fresh token, waiting longer after each failure in a row.
   */
  async openStream(): Promise<void> {
    if (this.#source || this.#stopped || typeof EventSource === 'undefined') return;
    let url: string;
    try {
      url = await this.api.streamUrl(`/villages/${this.villageId}/stream`);
    } catch {
      this.#retryStream();
      return;
    }
    if (this.#source || this.#stopped) return;
    const es = new EventSource(url);
    this.#source = es;
    if (this.stream !== 'lost') this.stream = 'connecting';
    es.onopen = () => {
      const wasLost = this.#lost;
      this.#lost = false;
      this.#backoff = STREAM_RETRY_MS;
      this.stream = 'live';
      this.#changed();
      // Whatever happened while the connection was down: fetch it once (EventSource has no replay here).
      if (wasLost) void this.reload().then(() => this.loadHealth());
    };
    es.onerror = () => {
      this.#lost = true;
      this.stream = 'lost';
      this.#changed();
      // The browser reconnects by itself with the same URL, unless the server refused (readyState CLOSED).
      if (es.readyState === EventSource.CLOSED || this.api.auth?.expired()) {
        es.close();
        if (this.#source === es) this.#source = undefined;
        this.#retryStream();
      }
    };
    es.addEventListener('readings', (e) => this.applyReadings(JSON.parse((e as MessageEvent<string>).data)));
    es.addEventListener('alert', (e) => this.applyAlert(JSON.parse((e as MessageEvent<string>).data)));
    es.addEventListener('device', (e) => this.applyDevice(JSON.parse((e as MessageEvent<string>).data)));
    this.#changed();
  }

  #retryStream(): void {
    if (this.#stopped || this.#retry) return;
    const wait = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, STREAM_RETRY_MAX_MS);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.openStream();
    }, wait);
  }

  applyReadings(msg: StreamReadings): void {
    let changed = false;
    for (const r of msg.readings) {
      const k = seriesKey(r.deviceId, r.metric);
      const old = this.latest.get(k);
      if (old && old.ts >= r.ts) continue;
      this.latest.set(k, r);
      changed = true;
      for (const fn of this.#readingListeners) fn(r);
    }
    if (changed) {
      this.updatedAt = Date.now();
      this.#changed();
    }
  }

  applyAlert(a: AlertRecord): void {
    const rest = this.alerts.filter((x) => x.id !== a.id);
    this.alerts = ACTIVE.includes(a.status) ? sortAlerts([a, ...rest]) : rest;
    this.#changed();
  }

  applyDevice(d: DeviceHealth): void {
    if (!this.health) return;
    const i = this.health.findIndex((x) => x.deviceId === d.deviceId);
    this.health = i < 0 ? [...this.health, d] : this.health.map((x, j) => (j === i ? d : x));
    this.#changed();
  }

  /** Devices online: from the health list once loaded (kept live), else the village summary. */
  devicesOnline(): { online: number; total: number } | undefined {
    if (this.health) {
      const active = this.health.filter((d) => !d.revoked);
      return { online: active.filter((d) => d.state === 'online' && !d.stale).length, total: active.length };
    }
    return this.summary ? { online: this.summary.devicesOnline, total: this.summary.devices } : undefined;
  }

  site(id: string): SiteRecord | undefined {
    return this.sites.find((s) => s.id === id);
  }

  readingsOf(siteId: string): LatestReading[] {
    return [...this.latest.values()].filter((r) => r.siteId === siteId);
  }

  async act(alertId: string, action: 'acknowledge' | 'resolve', by: string): Promise<AlertRecord> {
    const rec = await this.api.post<AlertRecord>(
      `/villages/${this.villageId}/alerts/${encodeURIComponent(alertId)}/${action}`,
      { by },
    );
    this.applyAlert(rec);
    return rec;
  }
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Open before acknowledged, then the most severe, then the newest. */
export function sortAlerts(alerts: AlertRecord[]): AlertRecord[] {
  return [...alerts].sort(
    (a, b) =>
      (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
      (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
      b.raisedAt - a.raisedAt,
  );
}
