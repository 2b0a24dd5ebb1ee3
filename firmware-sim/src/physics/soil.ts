import type { Crop, PlotSite } from '@lumbung/schemas';
import { DAY, HOUR, localMidnight } from '../time.ts';
import type { VillageWeather } from './weather.ts';

/**
 * Crop coefficients and stage lengths (days: initial, development, mid-season, late), after FAO-56
 * Tables 11 and 12, and the depletion fraction p of Table 22. Vegetables use the "small vegetables" row.
 */
export const CROP_PARAMETERS: Record<
  Crop,
  { kcIni: number; kcMid: number; kcEnd: number; stages: [number, number, number, number]; p: number }
> = {
  rice: { kcIni: 1.05, kcMid: 1.2, kcEnd: 0.75, stages: [30, 30, 60, 30], p: 0.2 },
  chilli: { kcIni: 0.6, kcMid: 1.05, kcEnd: 0.9, stages: [30, 35, 40, 20], p: 0.3 },
  maize: { kcIni: 0.3, kcMid: 1.2, kcEnd: 0.35, stages: [20, 35, 40, 30], p: 0.55 },
  vegetables: { kcIni: 0.7, kcMid: 1.05, kcEnd: 0.95, stages: [20, 30, 30, 15], p: 0.4 },
};

/** Crop coefficient on a day after planting: constant, linear, constant, linear (FAO-56 Fig. 25). */
export function cropCoefficient(crop: Crop, daysAfterPlanting: number): number {
  const c = CROP_PARAMETERS[crop];
  const [ini, dev, mid, late] = c.stages;
  const d = Math.max(0, daysAfterPlanting);
  if (d < ini) return c.kcIni;
  if (d < ini + dev) return c.kcIni + ((d - ini) / dev) * (c.kcMid - c.kcIni);
  if (d < ini + dev + mid) return c.kcMid;
  if (d < ini + dev + mid + late) return c.kcMid + ((d - ini - dev - mid) / late) * (c.kcEnd - c.kcMid);
  // After harvest the field is bare soil until the next crop.
  return 0.3;
}

export const seasonLengthDays = (crop: Crop): number => CROP_PARAMETERS[crop].stages.reduce((a, b) => a + b, 0);

/**
 * Reference evapotranspiration over an interval, mm, from the radiation form of Hargreaves (1975),
 * ET0 = 0.0135 (T + 17.8) Rs with Rs in mm of evaporation equivalent (0.408 mm per MJ/m², FAO-56 Eq. 20).
 * It needs only temperature and solar radiation, which the simulated weather has.
 */
export function referenceEt(airTemperature: number, solarRadiationW: number, seconds: number): number {
  const rsMm = solarRadiationW * seconds * 1e-6 * 0.408;
  return Math.max(0, 0.0135 * (airTemperature + 17.8) * rsMm);
}

/**
 * Root-zone water balance of a plot (FAO-56 chapter 8): depletion Dr falls with rain and irrigation
 * and rises with crop evapotranspiration (Eq. 85), ET reduced by water stress Ks once Dr passes
 * RAW (Eq. 84). Water above field capacity drains with a 12 h time constant; a flooded paddy stays at
 * saturation until about two weeks before harvest, when it is drained.
 */
export class SoilWaterBucket {
  readonly fc: number;
  readonly wp: number;
  readonly sat: number;
  readonly taw: number;
  readonly raw: number;
  readonly #planted: number;
  /** Depletion below field capacity, mm. */
  depletion: number;
  /** Water held above field capacity, mm (drains). */
  surplus = 0;
  #t: number | undefined;

  constructor(
    readonly plot: PlotSite,
    readonly weather: VillageWeather,
  ) {
    this.fc = plot.soil.fieldCapacity;
    this.wp = plot.soil.wiltingPoint;
    this.sat = plot.soil.saturation ?? Math.min(0.95, this.fc + 0.12);
    this.taw = 1000 * (this.fc - this.wp) * plot.soil.rootDepth; // FAO-56 Eq. 82
    this.raw = CROP_PARAMETERS[plot.crop].p * this.taw; // FAO-56 Eq. 83
    this.#planted = localMidnight(weather.village.timezone, plot.plantingDate);
    this.depletion = 0.3 * this.taw;
  }

  /** Days since the latest planting; with `repeatEveryDays` the calendar repeats before and after the given date. */
  daysAfterPlanting(ts: number): number {
    const d = (ts - this.#planted) / DAY;
    const r = this.plot.repeatEveryDays;
    return r === undefined ? d : ((d % r) + r) % r;
  }

  /** Whether a paddy is ponded at `ts`: from planting to two weeks before the end of the season. */
  flooded(ts: number): boolean {
    if (this.plot.water !== 'flooded') return false;
    const d = this.daysAfterPlanting(ts);
    return d >= 0 && d < seasonLengthDays(this.plot.crop) - 14;
  }

  /** Irrigation applied in [from, to), mm. */
  irrigationBetween(from: number, to: number): number {
    const irr = this.plot.irrigation;
    if (!irr || this.plot.water === 'rainfed') return 0;
    let mm = 0;
    const every = irr.everyDays * DAY;
    // Irrigation days are counted from the planting date (also before it: the schedule is a village habit).
    const first = this.#planted + irr.hourLocal * HOUR;
    for (let k = Math.ceil((from - first) / every); first + k * every < to; k++) mm += irr.depthMm;
    return mm;
  }

  /** Volumetric water content, m³/m³. */
  get theta(): number {
    const z = 1000 * this.plot.soil.rootDepth;
    return Math.min(this.sat, Math.max(this.wp, this.fc + (this.surplus - this.depletion) / z));
  }

  /** Advances the balance to `ts` in steps of at most 30 minutes. */
  advance(ts: number): void {
    if (this.#t === undefined) {
      this.#t = ts;
      return;
    }
    const step = 30 * 60_000;
    while (this.#t < ts) {
      const t0 = this.#t;
      const t1 = Math.min(ts, t0 + step);
      this.#step(t0, t1);
      this.#t = t1;
    }
  }

  /** Starts the balance `days` before `ts` so the state at `ts` has forgotten its initial guess. */
  spinUp(ts: number, days = 10): void {
    this.#t = undefined;
    this.advance(ts - days * DAY);
    this.advance(ts);
  }

  #step(t0: number, t1: number): void {
    const mid = (t0 + t1) / 2;
    if (this.flooded(mid)) {
      this.depletion = 0;
      this.surplus = 1000 * (this.sat - this.fc) * this.plot.soil.rootDepth;
      return;
    }
    const secs = (t1 - t0) / 1000;
    const w = this.weather;
    const rain = w.rainBetween(t0, t1);
    const irrigation = this.irrigationBetween(t0, t1);
    const et0 = referenceEt(w.airTemperature(mid), w.solarRadiation(mid), secs);
    const kc = cropCoefficient(this.plot.crop, this.daysAfterPlanting(mid));
    const ks = this.depletion > this.raw ? Math.max(0, (this.taw - this.depletion) / (this.taw - this.raw)) : 1; // Eq. 84
    let water = rain + irrigation - ks * kc * et0;
    // Water in refills the depletion first; what is left stays above field capacity up to saturation.
    if (water >= 0) {
      const refill = Math.min(water, this.depletion);
      this.depletion -= refill;
      water -= refill;
      const maxSurplus = 1000 * (this.sat - this.fc) * this.plot.soil.rootDepth;
      this.surplus = Math.min(maxSurplus, this.surplus + water);
    } else {
      const fromSurplus = Math.min(-water, this.surplus);
      this.surplus -= fromSurplus;
      this.depletion = Math.min(this.taw, this.depletion + (-water - fromSurplus));
    }
    // Drainage of gravitational water, a 12 h time constant.
    this.surplus *= Math.exp(-secs / (12 * 3600));
  }
}
