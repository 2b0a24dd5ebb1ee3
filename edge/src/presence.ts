import type { EventBus, Logger } from '@lumbung/runtime';
import { type DevicePresenceBatch, type DevicePresenceUpdate, MAX_PRESENCE_DEVICES } from '@lumbung/schemas';
import type { EdgeEvents } from './events.ts';
import type { DevicePresence } from './ingest.ts';

type State = DevicePresenceUpdate['state'];

/**
 * Forwards the online/offline state of the village's devices to the cloud on `.../edges/{edgeId}/devices`.
 *
 * A device is online from its connection (or its `online` status) until its will, an `offline` status, or the
 * connection's end. Changes are coalesced for `delayMs`, so a power cut that drops 500 devices at once, or a device
 * flapping, is one message; only the newest state per device is kept. Nothing is queued on disk: after every uplink
 * connect the whole provisioned fleet is sent as a snapshot, which covers what was missed while the link (or the
 * box) was down.
 */
export class PresenceForwarder {
  /** The state of every device heard of since start, with the box time it began. */
  readonly #known = new Map<string, DevicePresenceUpdate>();
  readonly #pending = new Map<string, DevicePresenceUpdate>();
  /** The state the gateway was last told, so a blip inside the window (a takeover, a quick reconnect) sends nothing. */
  readonly #sent = new Map<string, State>();
  #timer: NodeJS.Timeout | undefined;
  readonly #off: (() => void)[] = [];

  constructor(
    private readonly o: {
      events: EventBus<EdgeEvents>;
      /** The broker's view of each device: tells a takeover (still connected) from a real disconnect. */
      presence: ReadonlyMap<string, DevicePresence>;
      /** The provisioned devices, for snapshots. */
      devices: () => readonly { deviceId: string }[];
      /** Publishes one message; false when the uplink is not connected. */
      send: (body: DevicePresenceBatch) => boolean;
      now: () => number;
      delayMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    const e = this.o.events;
    this.#off.push(
      e.on('device-connected', ({ deviceId }) => this.#set(deviceId, 'online')),
      e.on('device-status', ({ deviceId, state }) => this.#set(deviceId, state)),
      e.on('device-disconnected', ({ deviceId }) => {
        // On a takeover the old connection ends after the new one is registered: the device is still here.
        if (!this.o.presence.get(deviceId)?.connected) this.#set(deviceId, 'offline');
      }),
      e.on('uplink-state', ({ state }) => {
        if (state === 'online') this.#snapshot();
      }),
    );
  }

  /** Sends pending changes now (stop() of the box: devices it disconnected are reported before the uplink closes). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const changes = [...this.#pending.values()].filter((u) => this.#sent.get(u.deviceId) !== u.state);
    if (changes.length > 0 && !this.#send(changes)) return;
    this.#pending.clear();
  }

  stop(): void {
    for (const off of this.#off.splice(0)) off();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(deviceId: string, state: State): void {
    if (this.#known.get(deviceId)?.state === state) return;
    const update = { deviceId, state, ts: this.o.now() };
    this.#known.set(deviceId, update);
    this.#pending.set(deviceId, update);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.o.delayMs);
  }

  #snapshot(): void {
    const now = this.o.now();
    const all = this.o
      .devices()
      .map((d) => this.#known.get(d.deviceId) ?? { deviceId: d.deviceId, state: 'offline' as const, ts: now });
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The snapshot carries the newest state of every provisioned device; what was pending is in it.
    this.#pending.clear();
    if (all.length > 0) this.#send(all);
  }

  #send(updates: DevicePresenceUpdate[]): boolean {
    for (let i = 0; i < updates.length; i += MAX_PRESENCE_DEVICES) {
      const part = updates.slice(i, i + MAX_PRESENCE_DEVICES);
      if (!this.o.send({ devices: part })) return false;
      for (const u of part) this.#sent.set(u.deviceId, u.state);
    }
    this.o.logger.debug({ devices: updates.length }, 'device presence forwarded');
    return true;
  }
}
