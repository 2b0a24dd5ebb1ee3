import { hashString, uniform } from '../random.ts';
import { DAY, HOUR, MINUTE } from '../time.ts';
import type { VillageWeather } from './weather.ts';

/** What a daily profile sees at an instant. */
export interface ProfileContext {
  /** Local hour, fractional. */
  hour: number;
  /** 0 = Sunday. */
  weekday: number;
  outsideTemperature: number;
  powered: boolean;
}

/** A daily use pattern: relative rate of use at an instant (any scale; it is normalised to its weekly mean). */
export type DailyProfile = (c: ProfileContext) => number;

const working = (c: ProfileContext, from = 7, to = 16): boolean => c.weekday !== 0 && c.hour >= from && c.hour < to;

/**
 * Electricity of a packing house: a cold-room compressor that works harder on hot afternoons, lights by
 * day, sealers and a grain dryer during working hours, and nothing while the mains is off.
 */
export const packingHouseEnergy: DailyProfile = (c) => {
  if (!c.powered) return 0;
  const standby = 0.45;
  const compressor = 0.3 * Math.max(0.2, 1 + 0.05 * (c.outsideTemperature - 28));
  const lights = c.hour >= 6 && c.hour < 18 ? 0.35 : 0.1;
  const machines = working(c) ? 1.0 : 0;
  return standby + compressor + lights + machines;
};

/** Water of a packing house and its neighbours: washing in the morning and afternoon, a trickle at night. */
export const packingHouseWater: DailyProfile = (c) => {
  if (c.hour >= 5 && c.hour < 8) return 3;
  if (c.hour >= 15 && c.hour < 18) return 2.5;
  if (working(c, 8, 15)) return 1;
  if (c.hour >= 18 && c.hour < 21) return 0.5;
  return 0.05;
};

/** Mean of a profile over a typical week (28 °C, mains on), used to scale it to a daily use. */
export function profileMean(profile: DailyProfile): number {
  let sum = 0;
  let n = 0;
  for (let weekday = 0; weekday < 7; weekday++)
    for (let m = 0; m < 24 * 60; m += 5) {
      sum += profile({ hour: m / 60, weekday, outsideTemperature: 28, powered: true });
      n++;
    }
  return sum / n;
}

/**
 * A cumulative register (kWh, m³) that integrates a daily profile scaled to `dailyUse` per day, with
 * a random factor per 15 minutes. It only ever increases; it starts at a plausible reading for a meter
 * installed at the start of 2024.
 */
export class CumulativeMeter {
  readonly #mean: number;
  readonly #key: number;
  register = 0;
  #t: number | undefined;

  constructor(
    readonly weather: VillageWeather,
    readonly profile: DailyProfile,
    readonly dailyUse: number,
    key: string,
  ) {
    this.#mean = profileMean(profile);
    this.#key = hashString(key);
  }

  /** Rate of use at `ts`, units per hour. */
  rate(ts: number): number {
    const lt = this.weather.local(ts);
    const c: ProfileContext = {
      hour: lt.hour,
      weekday: lt.weekday,
      outsideTemperature: this.weather.airTemperature(ts),
      powered: this.weather.powerOn(ts),
    };
    const noise = 0.4 + 1.2 * uniform(this.weather.seed, this.#key, Math.floor(ts / (15 * MINUTE)));
    return ((this.dailyUse / 24) * this.profile(c) * noise) / this.#mean;
  }

  advance(ts: number): void {
    if (this.#t === undefined) {
      this.#t = ts;
      const installed = Date.UTC(2024, 0, 1);
      this.register =
        100 + 900 * uniform(this.weather.seed, this.#key) + (this.dailyUse * Math.max(0, ts - installed)) / DAY;
      return;
    }
    const step = 5 * MINUTE;
    while (this.#t < ts) {
      const t0 = this.#t;
      const t1 = Math.min(ts, t0 + step);
      this.register += (this.rate((t0 + t1) / 2) * (t1 - t0)) / HOUR;
      this.#t = t1;
    }
  }
}
