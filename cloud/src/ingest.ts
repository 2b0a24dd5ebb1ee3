import type { Logger } from '@lumbung/runtime';
import type { Alert, PresenceState } from '@lumbung/schemas';
import type { StoredReading } from '@lumbung/store';
import type { LiveHub } from './live.ts';
import type { Registry } from './registry/port.ts';
import type { Telemetry } from './telemetry.ts';

/**
 * The gateway events the cloud consumes (a structural subset of the gateway's event map: the cloud may
 * not import the gateway, STYLE.md "The house").
 */
export type IngestEvents = {
  'batch-stored': { villageId: string; readings: readonly StoredReading[] };
  alert: { alert: Alert; edgeId: string };
  'device-presence': {
    villageId: string;
    edgeId: string;
    devices: readonly { deviceId: string; state: 'online' | 'offline'; ts: number }[];
    at: number;
  };
  'edge-status': {
    edgeId: string;
    villageId: string;
    kind: 'connected' | 'disconnected' | 'status';
    status?: { state: 'online' | 'offline' } | undefined;
    at: number;
  };
};

export type Subscribe = <K extends keyof IngestEvents>(event: K, listener: (p: IngestEvents[K]) => void) => () => void;

const DIRECTORY_TTL_MS = 30_000;

/**
 * Feeds what the gateway stores and receives into the cloud: readings into the latest values and the
 * live stream, alerts and presence into the registry (and the live stream). Registry writes run one at a
 * time in arrival order, so an alert's clear never overtakes its raise.
 */
export class IngestBridge {
  #offs: (() => void)[] = [];
  #chain: Promise<void> = Promise.resolve();
  readonly #sites = new Map<string, { at: number; siteOf: Map<string, string | null> }>();
  readonly #loadingDir = new Set<string>();
  failures = 0;

  constructor(
    private readonly d: {
      subscribe: Subscribe;
      registry: Registry;
      telemetry: Telemetry;
      live: LiveHub;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  start(): Promise<void> {
    const { subscribe, telemetry } = this.d;
    telemetry.setLive(true);
    this.#offs = [
      subscribe('batch-stored', (e) => this.#onReadings(e.villageId, e.readings)),
      subscribe('alert', (e) => this.#serial('alert', () => this.#onAlert(e.alert))),
      subscribe('device-presence', (e) => this.#serial('device presence', () => this.#onDevicePresence(e))),
      subscribe('edge-status', (e) => this.#serial('edge status', () => this.#onEdgeStatus(e))),
    ];
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    for (const off of this.#offs) off();
    this.#offs = [];
    this.d.telemetry.setLive(false);
    await this.#chain;
  }

  /** Resolves when every event received so far has been applied (tests, shutdown). */
  settled(): Promise<void> {
    return this.#chain;
  }

  #serial(what: string, fn: () => Promise<void>): void {
    this.#chain = this.#chain.then(fn).catch((err: unknown) => {
      this.failures++;
      this.d.logger.error({ err, what }, 'applying a gateway event failed');
    });
  }

  #onReadings(villageId: string, readings: readonly StoredReading[]): void {
    this.d.telemetry.observe(villageId, readings);
    const dir = this.#directory(villageId);
    this.d.live.readings(
      villageId,
      this.d.telemetry.liveReadings(readings, (id) => dir.get(id) ?? null),
    );
  }

  async #onAlert(alert: Alert): Promise<void> {
    const record = await this.d.registry.recordAlert(alert);
    if (record) this.d.live.alert(record.villageId, record);
  }

  async #onDevicePresence(e: IngestEvents['device-presence']): Promise<void> {
    // An edge speaks only for the devices of its own village. A device registered a moment ago is not in
    // the cached directory yet: look again once before calling it foreign.
    let dir = await this.#loadDirectory(e.villageId);
    const now = this.d.now?.() ?? Date.now();
    // At most one extra reload every 5 s per village, so a box sending foreign ids cannot load the database.
    if (e.devices.some((d) => !dir.has(d.deviceId)) && now - (this.#sites.get(e.villageId)?.at ?? 0) > 5000)
      dir = await this.#loadDirectory(e.villageId, true);
    const mine = e.devices.filter((d) => dir.has(d.deviceId));
    if (mine.length < e.devices.length)
      this.d.logger.warn(
        { edgeId: e.edgeId, ignored: e.devices.length - mine.length },
        'presence for devices outside the village',
      );
    if (mine.length === 0) return;
    await this.d.registry.setPresence(
      'device',
      mine.map((d) => ({ id: d.deviceId, state: d.state as PresenceState, at: d.ts })),
    );
    const health = await this.d.telemetry.deviceHealth(e.villageId);
    const changed = new Set(mine.map((d) => d.deviceId));
    for (const h of health) if (changed.has(h.deviceId)) this.d.live.device(e.villageId, h);
  }

  async #onEdgeStatus(e: IngestEvents['edge-status']): Promise<void> {
    const state: PresenceState =
      e.kind === 'status' ? (e.status?.state ?? 'unknown') : e.kind === 'connected' ? 'online' : 'offline';
    await this.d.registry.setPresence('edge', [{ id: e.edgeId, state, at: e.at }]);
  }

  /** Device → site of a village, refreshed in the background; never blocks the readings path. */
  #directory(villageId: string): Map<string, string | null> {
    const have = this.#sites.get(villageId);
    const now = this.d.now?.() ?? Date.now();
    if ((!have || now - have.at > DIRECTORY_TTL_MS) && !this.#loadingDir.has(villageId)) {
      this.#loadingDir.add(villageId);
      void this.#loadDirectory(villageId).finally(() => this.#loadingDir.delete(villageId));
    }
    return have?.siteOf ?? new Map();
  }

  async #loadDirectory(villageId: string, fresh = false): Promise<Map<string, string | null>> {
    const now = this.d.now?.() ?? Date.now();
    const have = this.#sites.get(villageId);
    if (have && !fresh && now - have.at <= DIRECTORY_TTL_MS) return have.siteOf;
    try {
      const devices = await this.d.registry.listDevices(villageId);
      const entry = { at: now, siteOf: new Map(devices.map((d) => [d.id, d.siteId])) };
      this.#sites.set(villageId, entry);
      return entry.siteOf;
    } catch (err) {
      this.d.logger.warn({ err, villageId }, 'device directory not loaded');
      return have?.siteOf ?? new Map();
    }
  }
}
