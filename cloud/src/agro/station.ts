// The village weather station's readings as FAO-56 wants them: one record per local day of the village (max,
// min, means and sums over local midnight to midnight, FAO-56 chapter 3 "daily data") and one per hour, read
// from the time-series store, and the reference evapotranspiration of each (et0.ts). docs/agronomy.md, "From
// station data to advice", explains every choice made here.

import type { AgroWeatherDay, DeviceRecord, VillageRecord } from '@lumbung/schemas';
import { addDays, localDate, localMidnight, tzOffsetMs } from '@lumbung/schemas/time';
import type { Aggregation, Bucket, TimeSeriesStore } from '@lumbung/store';
import type { Registry } from '../registry/port.ts';
import { vapourPressureFromRh, windSpeedAt2m } from './atmosphere.ts';
import { DEFAULT_WIND_SPEED, type Et0DailyResult, et0Daily, et0HourlySeries, type HourlyWeather } from './et0.ts';
import { dayOfYear, KRS_INTERIOR } from './radiation.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Share of a day's expected samples a quantity needs before its daily value is used. Below it a maximum or
 * minimum may well have been missed (a gap over the afternoon hides Tmax), so: no ET0 for temperature, and
 * FAO-56's missing-data procedure for humidity, radiation and wind.
 */
export const MIN_DAY_COVERAGE = 0.8;

/**
 * kRs of FAO-56 Eq. 50 when a day has no radiation: 0.16, "interior" (the land mass dominates, air masses are
 * not strongly influenced by a large water body). Most villages sit tens of kilometres inland of a large
 * island's coast; a village record carries no distance to the sea, so coastal villages (0.19) are not told
 * apart. Eq. 50 is not for islands narrower than about 20 km (FAO-56 p. 60).
 */
export const STATION_KRS = KRS_INTERIOR;

/** Height of a wind sensor whose device record names none [m]: FAO-56's standard height, so no conversion. */
export const DEFAULT_SENSOR_HEIGHT = 2;

/** W m⁻² averaged over a day → MJ m⁻² day⁻¹ (86 400 s × 10⁻⁶). */
export const WM2_TO_MJ_DAY = 0.0864;
/** W m⁻² averaged over an hour → MJ m⁻² hour⁻¹ (3 600 s × 10⁻⁶). */
export const WM2_TO_MJ_HOUR = 0.0036;

/** The metrics a weather station reports, and what FAO-56 needs of each per period. */
const METRICS = {
  temperature: { metric: 'air_temperature', aggs: ['max', 'min', 'avg', 'count'] },
  humidity: { metric: 'relative_humidity', aggs: ['max', 'min', 'avg', 'count'] },
  wind: { metric: 'wind_speed', aggs: ['avg', 'count'] },
  radiation: { metric: 'solar_radiation', aggs: ['avg', 'count'] },
  rainfall: { metric: 'rainfall', aggs: ['sum', 'count'] },
} as const satisfies Record<string, { metric: string; aggs: readonly Aggregation[] }>;
type Quantity = keyof typeof METRICS;
const QUANTITIES = Object.keys(METRICS) as Quantity[];

// ---------------------------------------------------------------------------------------------------------
// Local days

/** The local hour (0–23, local standard time) an instant falls in. */
function localHour(ts: number, timeZone: string): number {
  return new Date(ts + tzOffsetMs(timeZone, ts)).getUTCHours();
}

// ---------------------------------------------------------------------------------------------------------
// Reading the store

/** The weather stations of a village: devices on its sites of kind `weather`, revoked ones left out. */
export async function weatherStations(registry: Registry, villageId: string): Promise<DeviceRecord[]> {
  const sites = await registry.listSites(villageId, { kind: 'weather' });
  if (sites.length === 0) return [];
  const ids = new Set(sites.map((s) => s.id));
  return (await registry.listDevices(villageId)).filter((d) => !d.revoked && d.siteId !== null && ids.has(d.siteId));
}

/** One quantity over one period: the aggregates the store returned (absent when it had no sample). */
export interface PeriodValues {
  max?: number;
  min?: number;
  avg?: number;
  sum?: number;
  count: number;
}

/** What one station reported over one local day (or one hour), before any FAO-56 step. */
export interface StationPeriod {
  /** Local date of the period. */
  date: string;
  /** Start and end of the period [epoch ms]; `end` is exclusive. */
  start: number;
  end: number;
  deviceId: string | null;
  /** Height of the wind sensor [m]. */
  sensorHeight: number;
  /** Samples each quantity should have over the period (the part already past, for today). */
  expected: number;
  /** Whether the period is over (today's is not). */
  complete: boolean;
  values: Partial<Record<Quantity, PeriodValues>>;
}

const coverageOf = (p: StationPeriod, q: Quantity): number =>
  p.expected > 0 ? Math.min(1, (p.values[q]?.count ?? 0) / p.expected) : 0;

async function buckets(
  store: TimeSeriesStore,
  villageId: string,
  deviceId: string,
  q: Quantity,
  from: number,
  to: number,
  step: number,
  offset: number,
): Promise<Bucket[]> {
  const m = METRICS[q];
  return store.queryBuckets({ villageId, deviceId, metric: m.metric, from, to, step, offset, aggs: m.aggs });
}

/** Every quantity of one device in buckets of `step`, by bucket start. */
async function deviceBuckets(
  store: TimeSeriesStore,
  villageId: string,
  device: DeviceRecord,
  from: number,
  to: number,
  step: number,
  offset: number,
): Promise<Map<number, Partial<Record<Quantity, PeriodValues>>>> {
  const out = new Map<number, Partial<Record<Quantity, PeriodValues>>>();
  const all = await Promise.all(QUANTITIES.map((q) => buckets(store, villageId, device.id, q, from, to, step, offset)));
  all.forEach((rows, i) => {
    const q = QUANTITIES[i]!;
    for (const b of rows) {
      const row = out.get(b.ts) ?? {};
      row[q] = { ...b.values, count: b.values.count ?? 0 };
      out.set(b.ts, row);
    }
  });
  return out;
}

/**
 * Each local day from `from` to `to` (inclusive, YYYY-MM-DD) as the station reported it, up to `now`: the
 * store's buckets of one day starting at local midnight (`offset` = −UTC offset of the village's zone). With
 * several stations, each day is taken whole from the one whose air temperature covers it best, so that the
 * day's values come from one mast and one wind height. Days without any station still appear, empty.
 */
export async function stationDays(
  store: TimeSeriesStore,
  village: VillageRecord,
  stations: readonly DeviceRecord[],
  from: string,
  to: string,
  now: number,
): Promise<StationPeriod[]> {
  const tz = village.timeZone;
  const start = localMidnight(from, tz);
  const end = Math.min(localMidnight(addDays(to, 1), tz), now);
  const out: StationPeriod[] = [];
  if (end <= start) return out;
  // Indonesian zones keep one offset all year; a zone that changes offset within the range gets its buckets
  // aligned to the offset at the start (the store's buckets are of fixed width).
  const offset = -tzOffsetMs(tz, start);
  const perDevice = await Promise.all(
    stations.map((d) => deviceBuckets(store, village.id, d, start, end, DAY, offset)),
  );
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const s = localMidnight(date, tz);
    if (s >= end) break;
    const e = localMidnight(addDays(date, 1), tz);
    const complete = e <= now;
    const period = (device: DeviceRecord | null, values: Partial<Record<Quantity, PeriodValues>>): StationPeriod => {
      const interval = (device?.intervalSeconds ?? 300) * 1000;
      return {
        date,
        start: s,
        end: e,
        deviceId: device?.id ?? null,
        sensorHeight: device?.sensorHeight ?? DEFAULT_SENSOR_HEIGHT,
        expected: Math.floor(((complete ? e : now) - s) / interval),
        complete,
        values,
      };
    };
    let best: StationPeriod = period(stations[0] ?? null, {});
    stations.forEach((d, i) => {
      const values = perDevice[i]!.get(s);
      if (!values) return;
      const p = period(d, values);
      if (coverageOf(p, 'temperature') > coverageOf(best, 'temperature') || best.values.temperature === undefined)
        best = p;
    });
    out.push(best);
  }
  return out;
}

/**
 * Each hour from `from` to `to` [epoch ms, `to` exclusive] that has an air temperature, from the station
 * with the most temperature samples over the range. Hours start on the hour of local standard time.
 */
export async function stationHours(
  store: TimeSeriesStore,
  village: VillageRecord,
  stations: readonly DeviceRecord[],
  from: number,
  to: number,
): Promise<StationPeriod[]> {
  if (stations.length === 0 || to <= from) return [];
  const tz = village.timeZone;
  // Zones a half hour off UTC (none in Indonesia) still get local whole hours.
  const offset = -(tzOffsetMs(tz, from) % HOUR);
  const perDevice = await Promise.all(stations.map((d) => deviceBuckets(store, village.id, d, from, to, HOUR, offset)));
  const samples = perDevice.map((m) => [...m.values()].reduce((n, v) => n + (v.temperature?.count ?? 0), 0));
  const i = samples.indexOf(Math.max(...samples));
  const device = stations[i]!;
  const interval = device.intervalSeconds * 1000;
  const out: StationPeriod[] = [];
  for (const [start, values] of [...perDevice[i]!.entries()].sort((a, b) => a[0] - b[0])) {
    if (values.temperature === undefined) continue;
    out.push({
      date: localDate(start, tz),
      start,
      end: start + HOUR,
      deviceId: device.id,
      sensorHeight: device.sensorHeight ?? DEFAULT_SENSOR_HEIGHT,
      expected: Math.max(1, Math.floor(HOUR / interval)),
      complete: true,
      values,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Daily weather and ET0

const INTERMEDIATES = [
  'pressure',
  'gamma',
  'es',
  'ea',
  'vpd',
  'delta',
  'ra',
  'N',
  'rs',
  'rso',
  'rsRso',
  'rns',
  'rnl',
  'rn',
  'g',
  'u2',
  'tmean',
  'et0Hargreaves',
] as const satisfies readonly (keyof Et0DailyResult)[];

const pct = (x: number) => `${Math.round(100 * x)} %`;

/**
 * One local day of the station as `AgroWeatherDay`, with FAO-56 ET0 (Eq. 6) from et0Daily:
 * Tmax and Tmin the extremes of the day's air temperature samples, RHmax and RHmin those of humidity (Eq. 17),
 * wind the day's mean at the sensor height (converted to 2 m by Eq. 47 inside et0Daily), Rs the mean W/m² ×
 * 0.0864, rain the sum. A quantity covering less than `MIN_DAY_COVERAGE` of the day is treated as missing:
 * no ET0 without temperatures; humidity → ea from Tmin (Eq. 48), radiation → Eq. 50 with kRs 0.16, wind →
 * 2 m/s. Today (not over) gets no ET0: its maximum may still come.
 */
export function weatherDay(p: StationPeriod, village: VillageRecord): AgroWeatherDay {
  const v = p.values;
  const cov = (q: Quantity) => coverageOf(p, q);
  const usable = (q: Quantity) => cov(q) >= MIN_DAY_COVERAGE;
  const coverage = cov('temperature');
  const base = {
    date: p.date,
    tmax: v.temperature?.max ?? null,
    tmin: v.temperature?.min ?? null,
    rhmax: v.humidity?.max ?? null,
    rhmin: v.humidity?.min ?? null,
    windSpeed: v.wind?.avg ?? null,
    solarRadiation: v.radiation?.avg !== undefined ? v.radiation.avg * WM2_TO_MJ_DAY : null,
    rainfall: v.rainfall?.sum ?? null,
    coverage,
  };
  if (!p.complete)
    return {
      ...base,
      et0: null,
      method: `no ET0: the day is not over (${pct(coverage)} of it reported so far); today's ET0 so far is hourly (FAO-56 Eq. 53)`,
      intermediates: {},
    };
  if (!usable('temperature') || base.tmax === null || base.tmin === null)
    return {
      ...base,
      et0: null,
      method: `no ET0: air temperature covers ${pct(coverage)} of the day (FAO-56 needs Tmax and Tmin; at least ${pct(MIN_DAY_COVERAGE)} is required)`,
      intermediates: {},
    };
  const humidity = usable('humidity') && base.rhmax !== null && base.rhmin !== null;
  const wind = usable('wind') && base.windSpeed !== null;
  const radiation = usable('radiation') && base.solarRadiation !== null;
  const r = et0Daily({
    latitude: village.latitude,
    elevation: village.elevation ?? 0,
    date: p.date,
    tmax: base.tmax,
    tmin: base.tmin,
    ...(humidity ? { rhmax: base.rhmax!, rhmin: base.rhmin! } : {}),
    ...(wind ? { windSpeed: base.windSpeed!, windHeight: p.sensorHeight } : {}),
    ...(radiation ? { solarRadiation: base.solarRadiation! } : { krs: STATION_KRS }),
  });
  const parts = ['FAO-56 Eq. 6'];
  parts.push(
    humidity
      ? 'ea from RHmax and RHmin (Eq. 17)'
      : `ea from Tmin (Eq. 48): humidity covers ${pct(cov('humidity'))} of the day`,
  );
  parts.push(
    radiation
      ? 'Rs measured (mean W/m² × 0.0864)'
      : `Rs from the temperature range (Eq. 50, kRs ${STATION_KRS}): radiation covers ${pct(cov('radiation'))} of the day`,
  );
  parts.push(
    wind
      ? `u2 from the mean wind at ${p.sensorHeight} m (Eq. 47)`
      : `wind 2 m/s (FAO-56 p. 63): wind covers ${pct(cov('wind'))} of the day`,
  );
  if (village.elevation === null) parts.push('elevation unknown: sea level assumed');
  const intermediates: Record<string, number> = {};
  for (const k of INTERMEDIATES) intermediates[k] = r[k];
  return { ...base, et0: r.et0, method: parts.join('; '), intermediates };
}

/** The village's daily weather with ET0, `from` to `to` inclusive (local dates), up to `now`. */
export async function dailyWeather(
  registry: Registry,
  store: TimeSeriesStore,
  village: VillageRecord,
  from: string,
  to: string,
  now: number,
): Promise<AgroWeatherDay[]> {
  const stations = await weatherStations(registry, village.id);
  const days = await stationDays(store, village, stations, from, to, now);
  return days.map((d) => weatherDay(d, village));
}

// ---------------------------------------------------------------------------------------------------------
// Hourly

/** One hour of the station in FAO-56's and BLASTAM's quantities. */
export interface WeatherHour {
  /** Start of the hour [epoch ms]. */
  time: number;
  date: string;
  /** Mean air temperature [°C]. */
  temperature: number;
  /** Mean relative humidity [%], if measured. */
  rh: number | null;
  /** Mean wind at the sensor [m/s], if measured. */
  wind: number | null;
  /** Rs of the hour [MJ m⁻² hour⁻¹] from the mean W/m², if measured. */
  rs: number | null;
  /** Rain [mm]. */
  rain: number;
  /**
   * ET0 of the hour [mm] (FAO-56 Eq. 53, night Rs/Rso carried from before sunset), null without humidity or
   * radiation; wind defaults to 2 m/s.
   */
  et0: number | null;
}

/**
 * Hourly weather with ET0 (FAO-56 Eq. 53 by `et0HourlySeries`): hours with temperature, humidity and radiation
 * get an ET0, a run of such hours carrying the evening's cloudiness into the night (FAO-56 p. 75).
 */
export function weatherHours(hours: readonly StationPeriod[], village: VillageRecord): WeatherHour[] {
  const tz = village.timeZone;
  const rows: WeatherHour[] = hours.map((h) => ({
    time: h.start,
    date: h.date,
    temperature: h.values.temperature!.avg!,
    rh: h.values.humidity?.avg ?? null,
    wind: h.values.wind?.avg ?? null,
    rs: h.values.radiation?.avg !== undefined ? h.values.radiation.avg * WM2_TO_MJ_HOUR : null,
    rain: h.values.rainfall?.sum ?? 0,
    et0: null,
  }));
  const usable: number[] = [];
  const inputs: HourlyWeather[] = [];
  rows.forEach((r, i) => {
    if (r.rh === null || r.rs === null) return;
    const h = hours[i]!;
    usable.push(i);
    inputs.push({
      latitude: village.latitude,
      longitude: village.longitude,
      utcOffsetHours: tzOffsetMs(tz, r.time) / HOUR,
      elevation: village.elevation ?? 0,
      dayOfYear: dayOfYear(r.date),
      hourStart: localHour(r.time, tz),
      temperature: r.temperature,
      ea: vapourPressureFromRh(r.temperature, Math.min(100, Math.max(0, r.rh))),
      u2: r.wind === null ? DEFAULT_WIND_SPEED : windSpeedAt2m(r.wind, h.sensorHeight),
      rs: r.rs,
    });
  });
  const results = et0HourlySeries(inputs);
  usable.forEach((row, k) => {
    rows[row]!.et0 = results[k]!.et0;
  });
  return rows;
}

/** The village's hourly weather with ET0 between two instants. */
export async function hourlyWeather(
  registry: Registry,
  store: TimeSeriesStore,
  village: VillageRecord,
  from: number,
  to: number,
): Promise<WeatherHour[]> {
  const stations = await weatherStations(registry, village.id);
  return weatherHours(await stationHours(store, village, stations, from, to), village);
}
