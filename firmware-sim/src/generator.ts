import type { Fault, FaultInput, Scenario } from '@lumbung/schemas';
import { Fault as FaultSchema } from '@lumbung/schemas';
import { type Emission, SimDevice } from './device.ts';
import { families as builtinFamilies } from './families/index.ts';
import type { DeviceFamily } from './family.ts';
import { type ClimateOptions, VillageWeather } from './physics/weather.ts';
import { hashString, mix } from './random.ts';

export type TimeInput = number | Date | string;
export const toMs = (t: TimeInput): number =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();

export interface DeviceSetOptions {
  /** Time of the first readings. */
  from: TimeInput;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Only these devices (default all). */
  devices?: string[];
  /** Extra faults per device, on top of the scenario's. */
  faults?: Record<string, FaultInput[]>;
  families?: Readonly<Record<string, DeviceFamily>>;
  climate?: Partial<ClimateOptions>;
}

export interface DeviceSet {
  weather: VillageWeather;
  devices: SimDevice[];
}

/** The simulated devices of a scenario, positioned at `from`, sharing one village weather. */
export function createDevices(scenario: Scenario, opts: DeviceSetOptions): DeviceSet {
  const families = opts.families ?? builtinFamilies;
  const seed = (opts.seed ?? scenario.seed) >>> 0;
  const from = toMs(opts.from);
  const weather = new VillageWeather(scenario.village, seed, opts.climate);
  const sites = new Map(scenario.sites.map((s) => [s.id, s]));
  const devices: SimDevice[] = [];
  for (const device of scenario.devices) {
    if (opts.devices && !opts.devices.includes(device.id)) continue;
    const family = families[device.family];
    if (!family) throw new Error(`device ${device.id}: unknown family "${device.family}"`);
    const site = sites.get(device.siteId);
    if (!site) throw new Error(`device ${device.id}: no site "${device.siteId}"`);
    const ctx = { scenario, device, site, weather, seed, key: mix(hashString(device.id)) };
    const sim = new SimDevice(ctx, family, from);
    for (const f of opts.faults?.[device.id] ?? []) sim.addFault(FaultSchema.parse(f) as Fault, from);
    devices.push(sim);
  }
  return { weather, devices };
}

export interface GenerateOptions extends DeviceSetOptions {
  /** End of the range (exclusive). */
  to: TimeInput;
}

/**
 * Every message the scenario's devices send in [from, to), in the order they are sent (ties in
 * scenario order). Pure: no network, no clock; the same scenario, seed and range give the same output.
 */
export function* iterateReadings(scenario: Scenario, opts: GenerateOptions): Generator<Emission> {
  const to = toMs(opts.to);
  const { devices } = createDevices(scenario, opts);
  if (devices.length === 0) return;
  for (;;) {
    let next = devices[0]!;
    for (const d of devices) if (d.nextTs < next.nextTs) next = d;
    if (next.nextTs >= to) return;
    yield* next.step();
  }
}

export function generateReadings(scenario: Scenario, opts: GenerateOptions): Emission[] {
  return [...iterateReadings(scenario, opts)];
}

/** How many reading slots the scenario's devices have in [from, to): the message count without faults. */
export function countSlots(scenario: Scenario, opts: GenerateOptions): Record<string, number> {
  const { devices } = createDevices(scenario, opts);
  const from = toMs(opts.from);
  const to = toMs(opts.to);
  return Object.fromEntries(devices.map((d) => [d.id, d.slotsBetween(from, to)]));
}

/** A reading as a store keeps it (the shape of `@lumbung/store`'s StoredReading). */
export interface EmittedReading {
  villageId: string;
  deviceId: string;
  metric: string;
  ts: number;
  value: number;
  tsSource: 'device';
}

/**
 * The readings of one emission as the gateway would store them: every metric of the payload, and battery
 * and signal as metrics of their own (as the village box turns them). For filling stores in tests and
 * benchmarks without the network.
 */
export function emittedReadings(e: Emission, villageId: string): EmittedReading[] {
  const { readings, battery, rssi } = e.payload;
  const all: Record<string, number> = { ...readings };
  if (battery !== undefined) all.battery = battery;
  if (rssi !== undefined) all.rssi = rssi;
  return Object.entries(all).map(([metric, value]) => ({
    villageId,
    deviceId: e.deviceId,
    metric,
    ts: e.ts,
    value,
    tsSource: 'device',
  }));
}
