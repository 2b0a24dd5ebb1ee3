import type { ScenarioVillage } from '@lumbung/schemas';
import { exponential, hashString, uniform, valueNoise } from '../random.ts';
import { DAY, HOUR, type LocalTime, localTime, MINUTE, tzOffsetMs } from '../time.ts';
import { relativeHumidity } from './psychro.ts';
import { clearSkyFactor, extraterrestrialIrradiance, solarHour } from './solar.ts';

/** A rain event: a shower starting at `start` lasting `durationMs` at a constant `intensity` mm/h. */
export interface RainEvent {
  start: number;
  end: number;
  intensity: number;
}

/** An interruption of the mains supply (PLN outage). */
export interface PowerCut {
  start: number;
  end: number;
}

/**
 * Tunable climate of a lowland Javanese village. The defaults are chosen to look like East Java
 * (wet season November-April, about 1,800 mm of rain a year, 23-33 °C), not measured data.
 */
export interface ClimateOptions {
  /** Daily mean air temperature at sea level, °C. */
  meanTemperature: number;
  /** Seasonal swing of the daily mean, °C (warmest in October). */
  seasonalSwing: number;
  /** Rain events per day at the height of the wet season, and in the dry season. */
  wetEventsPerDay: number;
  dryEventsPerDay: number;
  /** Mean rain intensity, mm/h, and mean shower duration, h. */
  meanIntensity: number;
  meanDurationHours: number;
  /** Dew point in the wet and the dry season, °C: it stays nearly constant through a day. */
  wetDewPoint: number;
  dryDewPoint: number;
  /** Mean sky clearness (Rs/Rso) in the wet and dry season. */
  wetClearness: number;
  dryClearness: number;
  /** Chance per day of a mains power cut, wet and dry season. */
  wetPowerCutsPerDay: number;
  dryPowerCutsPerDay: number;
}

export const JAVA_LOWLAND: ClimateOptions = {
  meanTemperature: 27.8,
  seasonalSwing: 0.6,
  wetEventsPerDay: 1.0,
  dryEventsPerDay: 0.04,
  meanIntensity: 10,
  meanDurationHours: 1.2,
  wetDewPoint: 23,
  dryDewPoint: 20,
  wetClearness: 0.55,
  dryClearness: 0.78,
  wetPowerCutsPerDay: 0.12,
  dryPowerCutsPerDay: 0.06,
};

const K = {
  rain: hashString('rain'),
  cloudDay: hashString('cloud-day'),
  cloudHour: hashString('cloud-hour'),
  tDay: hashString('t-day'),
  tHour: hashString('t-hour'),
  td: hashString('dew-point'),
  wind: hashString('wind'),
  power: hashString('power'),
};

// Mean of the convective diurnal weight below over 24 h, so it only reshapes the day (FAO: afternoon storms).
const DIURNAL_MEAN = 0.4 + 1.6 * ((3 * Math.sqrt(Math.PI)) / 24);
const rainDiurnalWeight = (localHour: number): number =>
  (0.4 + 1.6 * Math.exp(-(((localHour - 16) / 3) ** 2))) / DIURNAL_MEAN;

const MAX_EVENT_MS = 5 * HOUR;

/**
 * The weather of one village as pure functions of time: the same seed gives the same weather at the
 * same instant, whichever device asks and in whatever order. Shared by every device of a scenario.
 */
export class VillageWeather {
  readonly climate: ClimateOptions;
  readonly #rain = new Map<number, RainEvent | null>();
  readonly #cuts = new Map<number, PowerCut | null>();

  constructor(
    readonly village: ScenarioVillage,
    readonly seed: number,
    climate: Partial<ClimateOptions> = {},
  ) {
    this.climate = { ...JAVA_LOWLAND, ...climate };
  }

  local(ts: number): LocalTime {
    return localTime(this.village.timezone, ts);
  }

  /**
   * Wetness of the season, 0 (mid-July) .. 1 (mid-January): a squared cosine keeps the dry season
   * (May-October in Java) nearly rainless and the wet season (November-April) wet.
   */
  wetness(ts: number): number {
    const J = this.local(ts).dayOfYear;
    const w = 0.5 + 0.5 * Math.cos((2 * Math.PI * (J - 15)) / 365);
    return w * w;
  }

  /** The shower that starts in hour slot `slot` (UTC hours since the epoch), if any. */
  rainEventInSlot(slot: number): RainEvent | null {
    const cached = this.#rain.get(slot);
    if (cached !== undefined) return cached;
    const ts = slot * HOUR;
    const c = this.climate;
    const w = this.wetness(ts);
    const perDay = c.dryEventsPerDay + (c.wetEventsPerDay - c.dryEventsPerDay) * w;
    const p = (perDay / 24) * rainDiurnalWeight(this.local(ts).hour);
    let ev: RainEvent | null = null;
    if (uniform(this.seed, K.rain, slot, 0) < p) {
      const start = ts + Math.floor(uniform(this.seed, K.rain, slot, 3) * HOUR);
      const duration = Math.min(
        MAX_EVENT_MS,
        Math.max(10 * MINUTE, exponential(c.meanDurationHours * HOUR, this.seed, K.rain, slot, 4)),
      );
      const intensity = Math.min(80, 0.5 + exponential(c.meanIntensity * (0.6 + 0.4 * w), this.seed, K.rain, slot, 5));
      ev = { start, end: start + Math.round(duration), intensity };
    }
    if (this.#rain.size > 200_000) this.#rain.clear();
    this.#rain.set(slot, ev);
    return ev;
  }

  /** Showers overlapping [from, to). */
  rainEvents(from: number, to: number): RainEvent[] {
    const out: RainEvent[] = [];
    for (let s = Math.floor((from - MAX_EVENT_MS) / HOUR); s * HOUR < to; s++) {
      const e = this.rainEventInSlot(s);
      if (e && e.end > from && e.start < to) out.push(e);
    }
    return out;
  }

  /** Rain rate at `ts`, mm/h. */
  rainRate(ts: number): number {
    let r = 0;
    for (const e of this.rainEvents(ts, ts + 1)) r += e.intensity;
    return r;
  }

  /** Rain that fell in [from, to), mm. */
  rainBetween(from: number, to: number): number {
    let mm = 0;
    for (const e of this.rainEvents(from, to))
      mm += (e.intensity * (Math.min(to, e.end) - Math.max(from, e.start))) / HOUR;
    return mm;
  }

  /** Cooling by showers, °C: full while it rains, fading with a 2 h time constant after. */
  rainCooling(ts: number): number {
    let c = 0;
    for (const e of this.rainEvents(ts - 8 * HOUR, ts + 1)) {
      if (e.start > ts) continue;
      const full = Math.min(5, 1.5 + 0.12 * e.intensity);
      const ramp = Math.min(1, (ts - e.start) / (20 * MINUTE));
      c += ts < e.end ? full * ramp : full * Math.exp(-(ts - e.end) / (2 * HOUR));
    }
    return Math.min(6, c);
  }

  /** Sky clearness of the day (Rs/Rso), without the hourly wander and showers. */
  dayClearness(ts: number): number {
    const c = this.climate;
    const w = this.wetness(ts);
    const base = c.dryClearness + (c.wetClearness - c.dryClearness) * w;
    return Math.min(0.98, Math.max(0.2, base + 0.15 * valueNoise(ts / DAY, this.seed, K.cloudDay)));
  }

  /** Sky clearness now: the day's, wandering by the hour, dark under a shower and for a while around it. */
  clearness(ts: number): number {
    let k = this.dayClearness(ts) + 0.12 * valueNoise(ts / (2 * HOUR), this.seed, K.cloudHour);
    for (const e of this.rainEvents(ts - HOUR, ts + HOUR)) {
      const gap = ts < e.start ? e.start - ts : ts > e.end ? ts - e.end : 0;
      k = Math.min(k, 0.2 + 0.6 * Math.min(1, gap / HOUR));
    }
    return Math.min(1, Math.max(0.1, k));
  }

  /** Global solar radiation on a horizontal surface, W/m²: Rs = clearness · Rso, Rso per FAO-56 Eq. 37. */
  solarRadiation(ts: number): number {
    const v = this.village;
    return extraterrestrialIrradiance(ts, v.latitude, v.longitude) * clearSkyFactor(v.elevation) * this.clearness(ts);
  }

  /** Daily mean air temperature, °C: sea-level mean, lapse rate 6.5 °C/km, seasonal swing, day-to-day wander. */
  dailyMeanTemperature(ts: number): number {
    const c = this.climate;
    const J = this.local(ts).dayOfYear;
    return (
      c.meanTemperature -
      0.0065 * this.village.elevation +
      c.seasonalSwing * Math.cos((2 * Math.PI * (J - 290)) / 365) +
      0.8 * valueNoise(ts / DAY, this.seed, K.tDay)
    );
  }

  /** Half the daily temperature range, °C: clear days swing more than cloudy ones. */
  dailyAmplitude(ts: number): number {
    return 2 + 4 * this.dayClearness(ts);
  }

  /**
   * Air temperature at screen height, °C: a sinusoid peaking about 2.5 h after solar noon (about
   * 14:00 local in western Indonesia), plus slow weather noise, minus the cooling of showers.
   */
  airTemperature(ts: number): number {
    const hs = solarHour(ts, this.village.longitude);
    const diurnal = Math.cos((2 * Math.PI * (hs - 14.5)) / 24);
    return (
      this.dailyMeanTemperature(ts) +
      this.dailyAmplitude(ts) * diurnal +
      0.4 * valueNoise(ts / (3 * HOUR), this.seed, K.tHour) -
      this.rainCooling(ts)
    );
  }

  /** Dew point, °C: nearly constant through a day (Magnus), close to the air temperature under rain. */
  dewPoint(ts: number, airTemperature = this.airTemperature(ts)): number {
    const c = this.climate;
    const w = this.wetness(ts);
    let td =
      c.dryDewPoint +
      (c.wetDewPoint - c.dryDewPoint) * Math.sqrt(w) +
      0.8 * valueNoise(ts / DAY, this.seed, K.td) +
      0.3 * valueNoise(ts / (3 * HOUR), this.seed, K.td, 1);
    if (this.rainRate(ts) > 0) td = Math.max(td, airTemperature - 0.4);
    return Math.min(td, airTemperature - 0.1);
  }

  /** Relative humidity, %, from temperature and dew point. */
  relativeHumidity(ts: number): number {
    const t = this.airTemperature(ts);
    return relativeHumidity(t, this.dewPoint(ts, t));
  }

  /** Wind speed at 2 m, m/s: calm nights, afternoon breeze, windier dry season, gusts at a shower's front. */
  windSpeed2m(ts: number): number {
    const w = this.wetness(ts);
    const h = this.local(ts).hour;
    let u = 1.0 + 0.8 * (1 - w) + 1.0 * Math.max(0, Math.cos((2 * Math.PI * (h - 14)) / 24));
    u += 0.5 * valueNoise(ts / (15 * MINUTE), this.seed, K.wind);
    for (const e of this.rainEvents(ts, ts + 1)) if (ts - e.start < 20 * MINUTE) u += 3;
    return Math.max(0.1, u);
  }

  /** The power cut starting on local day `dayIndex`, if any. */
  powerCutOnDay(dayIndex: number): PowerCut | null {
    const cached = this.#cuts.get(dayIndex);
    if (cached !== undefined) return cached;
    const c = this.climate;
    // dayIndex counts local days; local midnight in UTC is shifted by the zone's offset.
    const midnight = dayIndex * DAY - tzOffsetMs(this.village.timezone, dayIndex * DAY);
    const w = this.wetness(midnight + 12 * HOUR);
    const p = c.dryPowerCutsPerDay + (c.wetPowerCutsPerDay - c.dryPowerCutsPerDay) * w;
    let cut: PowerCut | null = null;
    if (uniform(this.seed, K.power, dayIndex, 0) < p) {
      const start = midnight + Math.floor(uniform(this.seed, K.power, dayIndex, 1) * DAY);
      const duration = 30 * MINUTE + Math.min(6 * HOUR, exponential(1.5 * HOUR, this.seed, K.power, dayIndex, 2));
      cut = { start, end: start + Math.round(duration) };
    }
    if (this.#cuts.size > 100_000) this.#cuts.clear();
    this.#cuts.set(dayIndex, cut);
    return cut;
  }

  /** Power cuts overlapping [from, to). */
  powerCuts(from: number, to: number): PowerCut[] {
    const out: PowerCut[] = [];
    for (let d = this.local(from).dayIndex - 1; d <= this.local(to).dayIndex; d++) {
      const cut = this.powerCutOnDay(d);
      if (cut && cut.end > from && cut.start < to) out.push(cut);
    }
    return out;
  }

  powerOn(ts: number): boolean {
    return this.powerCuts(ts, ts + 1).length === 0;
  }
}
