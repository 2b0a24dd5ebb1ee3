import type { StorageRoomSite } from '@lumbung/schemas';
import { hashString, uniform } from '../random.ts';
import { DAY, HOUR, MINUTE } from '../time.ts';
import { dewPointOf, saturationVapourPressure } from './psychro.ts';
import type { VillageWeather } from './weather.ts';

export interface RoomOptions {
  /** How slowly the room follows outside temperature, h (walls and stock). */
  timeConstantHours: number;
  /** Time constant while the door is open, h: strong mixing with outside air. */
  doorTimeConstantHours: number;
  /** Time constant of the cooler toward its set point while powered, h. */
  coolingTimeConstantHours: number;
  /** Working hours (local) when the door is used, and the chance per 10 minutes that it opens then. */
  workStartHour: number;
  workEndHour: number;
  doorChancePer10Min: number;
  /** Rooms are in a building: a little cooler on average than the screen outside, °C. */
  shadeOffset: number;
}

export const ROOM_DEFAULTS: RoomOptions = {
  timeConstantHours: 8,
  doorTimeConstantHours: 0.25,
  coolingTimeConstantHours: 0.4,
  workStartHour: 7,
  workEndHour: 16,
  doorChancePer10Min: 0.12,
  shadeOffset: 0.8,
};

const K_DOOR = hashString('door');

/**
 * A storage room as a first-order lag of the outside air (Newton's law of cooling, solved exactly
 * per step): dT/dt = Σ kᵢ (Tᵢ - T) with couplings to outside (walls), to outside through an open
 * door, and to the cooler's set point while the mains is on. Vapour pressure follows the same way,
 * pulled to the target humidity by a dehumidifier or cooling coil while powered, and capped at saturation.
 */
export class LaggedRoom {
  readonly opts: RoomOptions;
  readonly #key: number;
  temperature = Number.NaN;
  vapour = Number.NaN;
  #t: number | undefined;

  constructor(
    readonly site: StorageRoomSite,
    readonly weather: VillageWeather,
    overrides: Partial<RoomOptions> = {},
  ) {
    const climate = site.climate ?? {};
    this.opts = {
      ...ROOM_DEFAULTS,
      ...(climate.timeConstantHours !== undefined ? { timeConstantHours: climate.timeConstantHours } : {}),
      ...(site.purpose === 'eggs' ? { doorChancePer10Min: 0.06 } : {}),
      ...overrides,
    };
    this.#key = hashString(site.id);
  }

  /** Whether the door is open at `ts`: during working hours, Monday-Saturday, a few minutes at a time. */
  doorOpen(ts: number): boolean {
    const lt = this.weather.local(ts);
    if (lt.weekday === 0 || lt.hour < this.opts.workStartHour || lt.hour >= this.opts.workEndHour) return false;
    const slot = Math.floor(ts / (10 * MINUTE));
    if (uniform(this.weather.seed, K_DOOR, this.#key, slot, 0) >= this.opts.doorChancePer10Min) return false;
    const offset = uniform(this.weather.seed, K_DOOR, this.#key, slot, 1) * 6 * MINUTE;
    const length = (1 + 3 * uniform(this.weather.seed, K_DOOR, this.#key, slot, 2)) * MINUTE;
    const t = ts - slot * 10 * MINUTE;
    return t >= offset && t < offset + length;
  }

  get relativeHumidity(): number {
    return (100 * this.vapour) / saturationVapourPressure(this.temperature);
  }

  advance(ts: number): void {
    if (this.#t === undefined) {
      this.#t = ts;
      this.temperature =
        this.site.climate?.coolingSetpoint ?? this.weather.dailyMeanTemperature(ts) - this.opts.shadeOffset;
      this.vapour = Math.min(
        saturationVapourPressure(this.weather.dewPoint(ts)),
        0.8 * saturationVapourPressure(this.temperature),
      );
      return;
    }
    const step = MINUTE;
    while (this.#t < ts) {
      const t0 = this.#t;
      const t1 = Math.min(ts, t0 + step);
      this.#step(t0, t1);
      this.#t = t1;
    }
  }

  /** Starts the room `days` before `ts` so its state at `ts` no longer depends on the initial guess. */
  spinUp(ts: number, days = 3): void {
    this.#t = undefined;
    this.advance(ts - days * DAY);
    this.advance(ts);
  }

  #step(t0: number, t1: number): void {
    const w = this.weather;
    const o = this.opts;
    const dt = (t1 - t0) / HOUR;
    const tAir = w.airTemperature(t0);
    const tOut = tAir - o.shadeOffset;
    const eOut = saturationVapourPressure(w.dewPoint(t0, tAir));
    const powered = w.powerOn(t0);
    const door = this.doorOpen(t0);
    const climate = this.site.climate ?? {};

    let k = 1 / o.timeConstantHours;
    let sum = tOut / o.timeConstantHours;
    if (door) {
      k += 1 / o.doorTimeConstantHours;
      sum += tOut / o.doorTimeConstantHours;
    }
    if (powered && climate.coolingSetpoint !== undefined) {
      k += 1 / o.coolingTimeConstantHours;
      sum += climate.coolingSetpoint / o.coolingTimeConstantHours;
    }
    const tEq = sum / k;
    this.temperature = tEq + (this.temperature - tEq) * Math.exp(-k * dt);

    // Moisture: air exchange with outside (twice as fast as heat in a plain room, which has no
    // moisture-holding mass; an insulated cooled room is sealed better), and the machine's pull.
    const cooled = climate.coolingSetpoint !== undefined;
    const target = climate.targetHumidity ?? (cooled ? 85 : undefined);
    const exchange = (cooled ? 1 : 2) / o.timeConstantHours;
    let kv = exchange + (door ? 1 / o.doorTimeConstantHours : 0);
    let sv = eOut * exchange + (door ? eOut / o.doorTimeConstantHours : 0);
    if (powered && target !== undefined) {
      const tau = 0.2;
      kv += 1 / tau;
      sv += ((target / 100) * saturationVapourPressure(this.temperature)) / tau;
    }
    const eEq = sv / kv;
    this.vapour = eEq + (this.vapour - eEq) * Math.exp(-kv * dt);
    // Air cannot hold more than saturation: the excess condenses on the walls and stock.
    this.vapour = Math.min(this.vapour, 0.99 * saturationVapourPressure(this.temperature));
  }

  get dewPoint(): number {
    return dewPointOf(this.vapour);
  }
}
