import type { AlertRecord, DeviceHealth, LatestReading } from '@lumbung/schemas';

/** What a live subscriber of one village receives (server-sent events, see routes/stream.ts). */
export type LiveMessage =
  | { event: 'readings'; data: { readings: LatestReading[] } }
  | { event: 'alert'; data: AlertRecord }
  | { event: 'device'; data: DeviceHealth };

type Listener = (m: LiveMessage) => void;

/**
 * Fan-out of new readings, alerts and device changes to the live views of a village. Readings are
 * coalesced: a dashboard needs the newest value of each series, not every sample, and a backfill or a
 * village box draining a day of backlog must not flood cheap phones. So readings are held per village and
 * flushed at most once per `flushMs` with the newest sample of each series.
 */
export class LiveHub {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #pending = new Map<string, Map<string, LatestReading>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { flushMs?: number; maxSubscribers?: number } = {}) {}

  start(): Promise<void> {
    this.#timer = setInterval(() => this.flush(), this.opts.flushMs ?? 1000);
    this.#timer.unref();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    this.#listeners.clear();
    return Promise.resolve();
  }

  get subscribers(): number {
    let n = 0;
    for (const s of this.#listeners.values()) n += s.size;
    return n;
  }

  /** Adds a listener for one village; returns the function that removes it, or undefined when full. */
  subscribe(villageId: string, listener: Listener): (() => void) | undefined {
    if (this.subscribers >= (this.opts.maxSubscribers ?? 2000)) return undefined;
    let set = this.#listeners.get(villageId);
    if (!set) this.#listeners.set(villageId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(villageId);
    };
  }

  /** Offers readings; only villages someone watches are kept, and only the newest sample per series. */
  readings(villageId: string, readings: Iterable<LatestReading>): void {
    if (!this.#listeners.has(villageId)) return;
    let pending = this.#pending.get(villageId);
    if (!pending) this.#pending.set(villageId, (pending = new Map()));
    for (const r of readings) {
      const key = `${r.deviceId}\u0000${r.metric}`;
      const prev = pending.get(key);
      if (!prev || prev.ts < r.ts) pending.set(key, r);
    }
  }

  alert(villageId: string, alert: AlertRecord): void {
    this.#send(villageId, { event: 'alert', data: alert });
  }

  device(villageId: string, health: DeviceHealth): void {
    this.#send(villageId, { event: 'device', data: health });
  }

  /** Sends the coalesced readings now (the timer calls it; tests may too). */
  flush(): void {
    for (const [villageId, pending] of this.#pending) {
      if (pending.size === 0) continue;
      this.#send(villageId, { event: 'readings', data: { readings: [...pending.values()] } });
    }
    this.#pending.clear();
  }

  #send(villageId: string, m: LiveMessage): void {
    const set = this.#listeners.get(villageId);
    if (!set) return;
    for (const l of set) {
      // One broken connection must not stop the others from getting the message.
      try {
        l(m);
      } catch {
        // the stream route removes its listener when the connection closes
      }
    }
  }
}
