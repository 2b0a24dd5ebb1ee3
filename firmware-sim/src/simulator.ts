import type { Component } from '@lumbung/runtime';
import { EventBus } from '@lumbung/runtime';
import {
  deviceTopic,
  type Fault,
  type FaultInput,
  Fault as FaultSchema,
  type Scenario,
  type StatusPayload,
} from '@lumbung/schemas';
import mqtt, { type MqttClient } from 'mqtt';
import type { Emission, SimDevice } from './device.ts';
import { families as builtinFamilies } from './families/index.ts';
import type { DeviceFamily } from './family.ts';
import { createDevices } from './generator.ts';
import type { ClimateOptions } from './physics/weather.ts';
import { checkScenario, ScenarioError } from './scenario.ts';
import { DAY } from './time.ts';

export interface SimulatorOptions {
  scenario: Scenario;
  /** `mqtt://host:port` of the village box's device broker. */
  brokerUrl: string;
  /** Secret per device id: each device connects with username = clientId = device id, password = secret. */
  secrets: Record<string, string>;
  /** 1 = real time; 3600 = an hour of simulated time per second. Default 1. */
  speed?: number;
  /** Days of history to send first, as fast as the broker acknowledges, ending at the simulated start. */
  backfillDays?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  onEvent?: (event: SimulatorEvent) => void;
  /** Only these devices (default all in the scenario). */
  devices?: string[];
  /** Unacknowledged QoS 1 publishes allowed per device. Default 32. */
  maxInFlight?: number;
  /** Simulated time at which live mode starts, epoch ms. Default: the wall clock at start(). */
  startAt?: number;
  /**
   * Never let the simulated clock run ahead of the wall clock: a village box refuses readings from the
   * future. With speed > 1 and a `startAt` in the past, time runs fast until it reaches the present and
   * then at real time. Default false (tests replay arbitrary periods).
   */
  realTimeCap?: boolean;
  /** Wall clock, for tests. Default Date.now. */
  clock?: () => number;
  /** Reconnect backoff: doubles from minMs to maxMs. Defaults 500 ms and 30 s. */
  reconnect?: { minMs?: number; maxMs?: number };
  /** How long start() waits for each device's first connection outcome. Default 10 s. */
  connectTimeoutMs?: number;
  families?: Readonly<Record<string, DeviceFamily>>;
  climate?: Partial<ClimateOptions>;
}

export type DeviceState = 'connecting' | 'online' | 'offline' | 'refused' | 'stopped';

export type SimulatorEvent =
  | { type: 'connected'; deviceId: string }
  | { type: 'disconnected'; deviceId: string }
  | { type: 'refused'; deviceId: string; code: number | string | undefined; message: string }
  | { type: 'error'; deviceId: string; message: string }
  | { type: 'backfill_complete'; from: number; to: number; published: number; durationMs: number }
  | { type: 'fault_injected'; deviceId: string; fault: Fault }
  | { type: 'faults_cleared'; deviceId: string };

export type SimulatorEventMap = { [K in SimulatorEvent['type']]: Extract<SimulatorEvent, { type: K }> };

export interface DeviceCounters {
  state: DeviceState;
  /** Handed to the MQTT client. */
  published: number;
  /** Acknowledged by the broker (PUBACK). */
  acked: number;
  /** Failed (the client gave up on them, e.g. at stop). */
  failed: number;
  /** Not sent by the simulated device by design: dropouts, dead battery, full offline buffer. */
  lost: number;
  /** Published and not yet acknowledged. */
  inFlight: number;
  /** Readings due (backfill still to send, or live readings behind the simulated clock). */
  backlog: number;
}

export interface SimulatorStats {
  phase: 'idle' | 'backfill' | 'live' | 'stopped';
  /** Simulated now, epoch ms. */
  simTime: number;
  published: number;
  acked: number;
  failed: number;
  lost: number;
  backlog: number;
  devices: Record<string, DeviceCounters>;
}

const refusalMessages: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client id rejected',
  3: 'server unavailable',
  4: 'bad username or password',
  5: 'not authorised',
  134: 'bad username or password',
  135: 'not authorised',
};

interface Runner {
  sim: SimDevice;
  client?: MqttClient;
  counters: DeviceCounters;
  waiters: (() => void)[];
  attempts: number;
  reconnectTimer?: NodeJS.Timeout;
  firstOutcome?: () => void;
  backfillDone: boolean;
}

/**
 * Plays a scenario against an MQTT broker: one MQTT client per device (its own credentials, a retained
 * `online` status with a retained `offline` will), QoS 1 readings with a bounded window of unacknowledged
 * publishes, an optional backfill of N days as fast as the broker acknowledges, then live readings on
 * a simulated clock running `speed` times real time.
 */
export class Simulator implements Component {
  readonly events = new EventBus<SimulatorEventMap>();
  #runners = new Map<string, Runner>();
  #phase: SimulatorStats['phase'] = 'idle';
  #stopped = false;
  #liveStartSim = 0;
  #liveStartWall = 0;
  #backfillFrom = 0;
  #backfillStarted = 0;
  #sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  #loops: Promise<void>[] = [];
  #finishing = false;

  constructor(private readonly opts: SimulatorOptions) {}

  #now(): number {
    return (this.opts.clock ?? Date.now)();
  }

  /** The simulated clock: starts at `startAt` (default now) and runs `speed` times faster than the wall clock. */
  simNow(): number {
    if (this.#phase === 'idle') return this.opts.startAt ?? this.#now();
    const t = this.#liveStartSim + (this.#now() - this.#liveStartWall) * (this.opts.speed ?? 1);
    return this.opts.realTimeCap ? Math.min(t, this.#now()) : t;
  }

  /** How fast the simulated clock runs now: `speed`, or real time once capped at the present. */
  #speedNow(): number {
    return this.opts.realTimeCap && this.simNow() >= this.#now() ? 1 : (this.opts.speed ?? 1);
  }

  #emit(e: SimulatorEvent): void {
    this.opts.onEvent?.(e);
    this.events.emit(e.type, e as never);
  }

  async start(): Promise<void> {
    const o = this.opts;
    const families = o.families ?? builtinFamilies;
    const issues = checkScenario(o.scenario, families);
    if (issues.length > 0) throw new ScenarioError('scenario', issues);
    const wanted = o.scenario.devices.filter((d) => !o.devices || o.devices.includes(d.id));
    const missing = wanted.filter((d) => o.secrets[d.id] === undefined).map((d) => d.id);
    if (missing.length > 0) throw new Error(`no secret for device(s): ${missing.join(', ')}`);
    if (!(Number.isFinite(o.speed ?? 1) && (o.speed ?? 1) > 0)) throw new Error('speed must be a positive number');
    if (!(Number.isFinite(o.backfillDays ?? 0) && (o.backfillDays ?? 0) >= 0))
      throw new Error('backfillDays must be zero or more');
    if (this.#runners.size > 0 && !this.#stopped) throw new Error('simulator already started');
    this.#runners.clear();

    this.#stopped = false;
    this.#finishing = false;
    this.#liveStartWall = this.#now();
    this.#liveStartSim = o.startAt ?? this.#liveStartWall;
    this.#backfillFrom = this.#liveStartSim - (o.backfillDays ?? 0) * DAY;
    this.#backfillStarted = this.#liveStartWall;
    this.#phase = this.#backfillFrom < this.#liveStartSim ? 'backfill' : 'live';

    const { devices } = createDevices(o.scenario, {
      from: this.#backfillFrom,
      seed: o.seed,
      devices: wanted.map((d) => d.id),
      families,
      climate: o.climate,
    });
    const firsts: Promise<void>[] = [];
    for (const sim of devices) {
      const r: Runner = {
        sim,
        counters: { state: 'connecting', published: 0, acked: 0, failed: 0, lost: 0, inFlight: 0, backlog: 0 },
        waiters: [],
        attempts: 0,
        backfillDone: false,
      };
      this.#runners.set(sim.id, r);
      firsts.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, o.connectTimeoutMs ?? 10_000);
          r.firstOutcome = () => {
            clearTimeout(timer);
            r.firstOutcome = undefined;
            resolve();
          };
        }),
      );
      this.#connect(r);
    }
    await Promise.all(firsts);
    if (this.#stopped) return;
    this.#loops = [...this.#runners.values()].map((r) =>
      this.#run(r).catch((err: Error) => this.#emit({ type: 'error', deviceId: r.sim.id, message: err.message })),
    );
    if (this.#phase === 'backfill' && this.#runners.size === 0) this.#finishBackfill();
  }

  #connect(r: Runner): void {
    const o = this.opts;
    const id = r.sim.id;
    const villageId = o.scenario.village.id;
    const will: StatusPayload = { state: 'offline' };
    const client = mqtt.connect(o.brokerUrl, {
      clientId: id,
      username: id,
      password: o.secrets[id],
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      protocolVersion: 4,
      will: {
        topic: deviceTopic(villageId, id, 'status'),
        payload: Buffer.from(JSON.stringify(will)),
        qos: 1,
        retain: true,
      },
    });
    r.client = client;
    client.on('connect', () => {
      r.attempts = 0;
      r.counters.state = 'online';
      const status: StatusPayload = { state: 'online', ts: Math.round(this.simNow()), firmware: r.sim.family.firmware };
      client.publish(deviceTopic(villageId, id, 'status'), JSON.stringify(status), { qos: 1, retain: true });
      this.#emit({ type: 'connected', deviceId: id });
      r.firstOutcome?.();
    });
    client.on('error', (err: Error & { code?: number | string }) => {
      const code = err.code;
      if (typeof code === 'number' && refusalMessages[code] !== undefined) {
        r.counters.state = 'refused';
        this.#emit({
          type: 'refused',
          deviceId: id,
          code,
          message: `broker at ${o.brokerUrl} refused device ${id}: ${refusalMessages[code]} (check its secret and provisioning)`,
        });
      } else this.#emit({ type: 'error', deviceId: id, message: err.message });
      r.firstOutcome?.();
    });
    client.on('close', () => {
      if (this.#stopped) return;
      if (r.counters.state === 'online') {
        r.counters.state = 'offline';
        this.#emit({ type: 'disconnected', deviceId: id });
      }
      r.firstOutcome?.();
      this.#scheduleReconnect(r);
    });
  }

  #scheduleReconnect(r: Runner): void {
    if (this.#stopped || r.reconnectTimer) return;
    const min = this.opts.reconnect?.minMs ?? 500;
    const max = this.opts.reconnect?.maxMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** r.attempts) * (0.75 + Math.random() * 0.5);
    r.attempts = Math.min(r.attempts + 1, 30);
    r.reconnectTimer = setTimeout(() => {
      r.reconnectTimer = undefined;
      if (this.#stopped || !r.client) return;
      if (r.counters.state !== 'refused') r.counters.state = 'connecting';
      r.client.reconnect();
    }, delay);
  }

  async #run(r: Runner): Promise<void> {
    // Backfill: everything before the live start, as fast as the window of unacknowledged publishes allows.
    while (!this.#stopped && r.sim.nextTs < this.#liveStartSim) for (const e of r.sim.step()) await this.#publish(r, e);
    if (this.#stopped) return;
    r.backfillDone = true;
    if (this.#phase === 'backfill' && [...this.#runners.values()].every((x) => x.backfillDone))
      await this.#finishBackfill();
    // Live: each reading when the simulated clock reaches it.
    while (!this.#stopped) {
      const wait = (r.sim.nextTs - this.simNow()) / this.#speedNow();
      if (wait > 0) {
        // Re-check at least every second: the clock may be replaced (tests) or jump (NTP).
        await this.#sleep(Math.min(wait, 1000));
        continue;
      }
      for (const e of r.sim.step()) await this.#publish(r, e);
    }
  }

  async #finishBackfill(): Promise<void> {
    if (this.#finishing) return;
    this.#finishing = true;
    // "Complete" means acknowledged: wait for the last PUBACKs of every device.
    await Promise.all([...this.#runners.values()].map((r) => this.#drain(r)));
    if (this.#stopped || this.#phase !== 'backfill') return;
    this.#phase = 'live';
    let published = 0;
    for (const r of this.#runners.values()) published += r.counters.published;
    this.#emit({
      type: 'backfill_complete',
      from: this.#backfillFrom,
      to: this.#liveStartSim,
      published,
      durationMs: this.#now() - this.#backfillStarted,
    });
  }

  async #drain(r: Runner): Promise<void> {
    while (!this.#stopped && r.counters.inFlight > 0) await new Promise<void>((resolve) => r.waiters.push(resolve));
  }

  async #publish(r: Runner, e: Emission): Promise<void> {
    const max = this.opts.maxInFlight ?? 32;
    while (!this.#stopped && r.counters.inFlight >= max) await new Promise<void>((resolve) => r.waiters.push(resolve));
    if (this.#stopped || !r.client) return;
    const c = r.counters;
    c.inFlight++;
    c.published++;
    r.client.publish(
      deviceTopic(this.opts.scenario.village.id, r.sim.id, 'up'),
      JSON.stringify(e.payload),
      { qos: 1 },
      (err) => {
        c.inFlight--;
        if (err) c.failed++;
        else c.acked++;
        for (const w of r.waiters.splice(0)) w();
      },
    );
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#sleeps.add(entry);
    });
  }

  /** Switches a fault on for a device at run time; without `from` it starts at the simulated now. */
  injectFault(deviceId: string, fault: FaultInput): Fault {
    const r = this.#runners.get(deviceId);
    if (!r) throw new Error(`no simulated device "${deviceId}"`);
    const parsed = FaultSchema.parse(fault);
    r.sim.addFault(parsed, this.simNow());
    this.#emit({ type: 'fault_injected', deviceId, fault: parsed });
    return parsed;
  }

  /** Switches off every fault of a device, including those from the scenario. */
  clearFaults(deviceId: string): void {
    const r = this.#runners.get(deviceId);
    if (!r) throw new Error(`no simulated device "${deviceId}"`);
    r.sim.clearFaults();
    this.#emit({ type: 'faults_cleared', deviceId });
  }

  /** Counters for a live count line: totals and per device. */
  stats(): SimulatorStats {
    const now = this.simNow();
    const devices: Record<string, DeviceCounters> = {};
    const total = { published: 0, acked: 0, failed: 0, lost: 0, backlog: 0 };
    for (const [id, r] of this.#runners) {
      const c = r.counters;
      c.lost = r.sim.lost;
      c.backlog = r.sim.slotsBetween(r.sim.nextTs, Math.max(now, this.#liveStartSim) + 1) + c.inFlight;
      devices[id] = { ...c };
      total.published += c.published;
      total.acked += c.acked;
      total.failed += c.failed;
      total.lost += c.lost;
      total.backlog += c.backlog;
    }
    return { phase: this.#phase, simTime: now, ...total, devices };
  }

  async stop(): Promise<void> {
    if (this.#stopped && this.#phase === 'stopped') return;
    this.#stopped = true;
    for (const s of this.#sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleeps.clear();
    for (const r of this.#runners.values()) {
      if (r.reconnectTimer) clearTimeout(r.reconnectTimer);
      r.reconnectTimer = undefined;
      for (const w of r.waiters.splice(0)) w();
      r.firstOutcome?.();
    }
    await Promise.all(this.#loops);
    await Promise.all(
      [...this.#runners.values()].map(async (r) => {
        const client = r.client;
        r.counters.state = 'stopped';
        if (!client) return;
        if (client.connected) {
          // A clean disconnect does not fire the will, so say goodbye explicitly.
          const status: StatusPayload = { state: 'offline', ts: Math.round(this.simNow()) };
          await Promise.race([
            client
              .publishAsync(deviceTopic(this.opts.scenario.village.id, r.sim.id, 'status'), JSON.stringify(status), {
                qos: 1,
                retain: true,
              })
              .catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, 1000)),
          ]);
        }
        await client.endAsync(true).catch(() => undefined);
      }),
    );
    this.#phase = 'stopped';
    this.#loops = [];
  }
}
