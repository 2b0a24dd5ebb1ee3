import type { Fault, UpPayload } from '@lumbung/schemas';
import type { DeviceContext, Measurement, Probe } from './extend.ts';
import type { DeviceFamily } from './family.ts';
import { exponential, hashString, uniform } from './random.ts';
import { DAY, MINUTE } from './time.ts';

/** One message as the simulated device sends it. */
export interface Emission {
  deviceId: string;
  /** True (simulated) time of the measurement, epoch ms. The payload's `ts` is the device's clock, which may drift. */
  ts: number;
  /** Simulated time the message leaves the device: later than `ts` for readings buffered while offline. */
  sentAt: number;
  payload: UpPayload;
}

/** A fault with its window resolved to epoch ms. */
interface ActiveFault {
  fault: Fault;
  from: number;
  to: number;
  ordinal: number;
  stuck?: Record<string, number>;
  link?: { periodEnd: number; online: boolean; k: number };
}

const K = {
  spike: hashString('spike'),
  sign: hashString('spike-sign'),
  drop: hashString('dropout'),
  link: hashString('link'),
};
const UINT32 = 4294967296;

/** `seq` of a reporting slot: the slot's index, wrapping at 2^32 like a uint32 counter. */
export const seqOfSlot = (slot: number): number => ((slot % UINT32) + UINT32) % UINT32;

/**
 * A simulated device: reads its probes once per reporting slot, applies its faults, and returns the
 * messages it sends at that slot. Slots lie on a fixed grid (`k · interval + phase`, the phase fixed per
 * device), and `seq` is the slot index, so a device regenerated over the same time has the same
 * `seq` and timestamps, and the pipeline's de-duplication sees a replay as the same messages.
 */
export class SimDevice {
  readonly id: string;
  readonly intervalMs: number;
  readonly phaseMs: number;
  readonly #probes: Probe[];
  readonly #faults: ActiveFault[] = [];
  #slot: number;
  #prevTs: number | undefined;
  #lastValues: Record<string, number> = {};
  #buffer: Emission[] = [];
  #faultCount = 0;
  /** Messages lost to dropouts, a dead battery or a full offline buffer (for tests and the live count line). */
  lost = 0;

  constructor(
    readonly ctx: DeviceContext,
    readonly family: DeviceFamily,
    from: number,
  ) {
    this.id = ctx.device.id;
    this.intervalMs = ctx.device.intervalSeconds * 1000;
    this.phaseMs = Math.floor(uniform(ctx.key, 0x5eed) * ctx.device.intervalSeconds) * 1000;
    this.#slot = Math.ceil((from - this.phaseMs) / this.intervalMs);
    this.#probes = family.extend.map((e) => e.create(ctx));
    for (const f of ctx.device.faults) this.addFault(f, from);
  }

  /** Time of the next reading, epoch ms. */
  get nextTs(): number {
    return this.#slot * this.intervalMs + this.phaseMs;
  }

  /** Number of reporting slots in [from, to). */
  slotsBetween(from: number, to: number): number {
    const a = Math.ceil((from - this.phaseMs) / this.intervalMs);
    const b = Math.ceil((to - this.phaseMs) / this.intervalMs);
    return Math.max(0, b - a);
  }

  /** Switches a fault on; without `from` it starts at `now`. */
  addFault(fault: Fault, now: number): void {
    this.#faults.push({
      fault,
      from: fault.from !== undefined ? Date.parse(fault.from) : now,
      to: fault.to !== undefined ? Date.parse(fault.to) : Number.POSITIVE_INFINITY,
      ordinal: this.#faultCount++,
    });
  }

  /** Switches every fault off (those from the scenario too). */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  get faults(): Fault[] {
    return this.#faults.map((f) => f.fault);
  }

  /** Takes the reading of the next slot and returns what the device sends then (possibly nothing). */
  step(): Emission[] {
    const ts = this.nextTs;
    const slot = this.#slot++;
    if (this.#prevTs === undefined) {
      for (const p of this.#probes) p.init?.(ts);
      this.#prevTs = ts - this.intervalMs;
    }
    const m: Measurement = { readings: {} };
    for (const p of this.#probes) p.sample(ts, this.#prevTs, m);
    this.#prevTs = ts;

    const active = this.#faults.filter((f) => f.from <= ts && ts < f.to);
    const seed = this.ctx.seed;
    const key = this.ctx.key;

    // Battery decline: the voltage sags; under the family's cut-off the device browns out and sends nothing.
    if (m.battery !== undefined) {
      for (const f of active)
        if (f.fault.type === 'battery_decline') m.battery -= (f.fault.voltsPerDay * (ts - f.from)) / DAY;
      m.battery = Math.max(0, Math.round(m.battery * 1000) / 1000);
      if (this.family.cutoffVolts !== undefined && m.battery < this.family.cutoffVolts) {
        this.lost++;
        return [];
      }
    }

    const truth = { ...m.readings };
    for (const f of this.#faults) if (f.fault.type === 'stuck' && !active.includes(f)) f.stuck = undefined;
    for (const f of active) {
      const fault = f.fault;
      if (fault.type === 'stuck') {
        // Stuck at the last value read before the fault began.
        f.stuck ??= { ...truth, ...this.#lastValues };
        for (const metric of Object.keys(m.readings))
          if ((fault.metric === undefined || fault.metric === metric) && f.stuck[metric] !== undefined)
            m.readings[metric] = f.stuck[metric];
      } else if (fault.type === 'spikes') {
        for (const metric of Object.keys(m.readings)) {
          if (fault.metric !== undefined && fault.metric !== metric) continue;
          const mk = hashString(metric);
          if (uniform(seed, key, K.spike, f.ordinal, slot, mk) >= fault.probability) continue;
          const sign = uniform(seed, key, K.sign, f.ordinal, slot, mk) < 0.5 ? -1 : 1;
          m.readings[metric] = Math.round(((m.readings[metric] ?? 0) + sign * fault.magnitude) * 1000) / 1000;
        }
      }
    }
    this.#lastValues = truth;

    let deviceTs = ts;
    for (const f of active)
      if (f.fault.type === 'clock_drift') deviceTs += (f.fault.secondsPerDay * 1000 * (ts - f.from)) / DAY;

    const payload: UpPayload = { seq: seqOfSlot(slot), ts: Math.round(deviceTs), readings: m.readings };
    if (m.battery !== undefined) payload.battery = m.battery;
    if (m.rssi !== undefined) payload.rssi = m.rssi;
    const current: Emission = { deviceId: this.id, ts, sentAt: ts, payload };

    // Intermittent connectivity: while the link is down, keep (bounded, oldest dropped) or lose readings.
    for (const f of active) {
      if (f.fault.type !== 'intermittent' || this.#linkUp(f, ts)) continue;
      if (f.fault.buffer) {
        this.#buffer.push(current);
        while (this.#buffer.length > f.fault.bufferSize) {
          this.#buffer.shift();
          this.lost++;
        }
      } else this.lost++;
      return [];
    }
    const out = this.#buffer.length > 0 ? [...this.#buffer.splice(0), current] : [current];
    for (const e of out) e.sentAt = ts;

    // Dropouts: a message lost on the air; its seq is used, so the receiver sees a gap.
    const dropouts = active.filter((f) => f.fault.type === 'dropout');
    if (dropouts.length === 0) return out;
    return out.filter((e) => {
      for (const f of dropouts)
        if (f.fault.type === 'dropout' && uniform(seed, key, K.drop, f.ordinal, e.payload.seq) < f.fault.probability) {
          this.lost++;
          return false;
        }
      return true;
    });
  }

  /** Alternating online/offline periods with exponential lengths, starting online at the fault's start. */
  #linkUp(f: ActiveFault, ts: number): boolean {
    if (f.fault.type !== 'intermittent') return true;
    const fault = f.fault;
    const length = (online: boolean, k: number): number =>
      Math.max(
        MINUTE,
        exponential(
          (online ? fault.meanOnlineMinutes : fault.meanOfflineMinutes) * MINUTE,
          this.ctx.seed,
          this.ctx.key,
          K.link,
          f.ordinal,
          k,
          online ? 1 : 2,
        ),
      );
    f.link ??= { periodEnd: f.from + length(true, 0), online: true, k: 0 };
    const l = f.link;
    while (ts >= l.periodEnd) {
      if (!l.online) l.k++;
      l.online = !l.online;
      l.periodEnd += length(l.online, l.k);
    }
    return l.online;
  }
}
