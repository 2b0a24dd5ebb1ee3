/**
 * Agronomy benchmark: `node --import tsx bench/agro.ts [--quick]`. Prints ONE JSON summary to stdout (progress
 * to stderr). Not a test: the number is reported against the target of the agronomy issue:
 *   - ET0 and water balance for 1,000 plots × 365 days: ≤ 1 s
 *
 * Weather: a year of daily values for ten villages (latitude 6° S to 8° S and 2° N, elevation 5-1,400 m) from
 * the device simulator's weather model (firmware-sim VillageWeather: the same functions the demo's weather
 * station samples), aggregated as the cloud does from the station: Tmax/Tmin and RHmax/RHmin of 5-minute samples,
 * mean wind at 2 m, mean W/m² × 0.0864, rain summed. Made once, outside the timing.
 *
 * Timed, per plot and day: ea from RHmax/RHmin (FAO-56 Eq. 17), ET0 (Eq. 6 by `et0DailyValue`, at the plot's own
 * latitude and elevation), Kc from the crop curve (Eq. 66), and the season's water balance: FAO-56 chapter 8
 * (`waterBalance`) for upland plots, the ponded-water balance (`paddyBalance`) for flooded rice; then the
 * irrigation advice of the last day.
 */
import {
  CROP_IDS,
  CROPS,
  type CropId,
  et0DailyValue,
  irrigationAdvice,
  kcCurve,
  type PaddyDay,
  paddyBalance,
  seasonLength,
  vapourPressureFromRhMaxMin,
  type WaterBalanceDay,
  waterBalance,
} from '@lumbung/cloud/agro';
import { VillageWeather } from '@lumbung/firmware-sim';
import type { ScenarioVillage } from '@lumbung/schemas';
import { load, machine, percentiles, round, say } from './lib/util.ts';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 20;
const WARMUP = 3;
const PLOTS = 1000;
const DAYS = 365;
const TARGET_MS = 1000;
const DAY = 86_400_000;
const SAMPLE = 5 * 60_000;

interface DailyWeather {
  tmax: Float64Array;
  tmin: Float64Array;
  rhmax: Float64Array;
  rhmin: Float64Array;
  /** Mean wind at 2 m [m/s]. */
  u2: Float64Array;
  /** MJ m⁻² day⁻¹. */
  rs: Float64Array;
  rain: Float64Array;
}

const VILLAGES: Omit<ScenarioVillage, 'id' | 'name' | 'district' | 'regency'>[] = [
  { timezone: 'Asia/Jakarta', latitude: -7.63, longitude: 111.52, elevation: 63 },
  { timezone: 'Asia/Jakarta', latitude: -6.2, longitude: 106.8, elevation: 8 },
  { timezone: 'Asia/Jakarta', latitude: -7.25, longitude: 112.75, elevation: 5 },
  { timezone: 'Asia/Jakarta', latitude: -7.3, longitude: 109.9, elevation: 1400 },
  { timezone: 'Asia/Jakarta', latitude: -6.9, longitude: 107.6, elevation: 770 },
  { timezone: 'Asia/Jakarta', latitude: -8.0, longitude: 112.6, elevation: 440 },
  { timezone: 'Asia/Jakarta', latitude: 2.0, longitude: 99.0, elevation: 900 },
  { timezone: 'Asia/Makassar', latitude: -8.65, longitude: 115.2, elevation: 30 },
  { timezone: 'Asia/Makassar', latitude: -5.15, longitude: 119.4, elevation: 10 },
  { timezone: 'Asia/Jakarta', latitude: -7.8, longitude: 110.4, elevation: 120 },
];

/** A year of daily weather from the simulator's model, aggregated from 5-minute samples like a station's day. */
function yearOfWeather(v: (typeof VILLAGES)[number], seed: number, from: number): DailyWeather {
  const w = new VillageWeather({ ...v, id: `bench-${seed}`, name: 'Bench', district: 'x', regency: 'x' }, seed);
  const out: DailyWeather = {
    tmax: new Float64Array(DAYS),
    tmin: new Float64Array(DAYS),
    rhmax: new Float64Array(DAYS),
    rhmin: new Float64Array(DAYS),
    u2: new Float64Array(DAYS),
    rs: new Float64Array(DAYS),
    rain: new Float64Array(DAYS),
  };
  for (let d = 0; d < DAYS; d++) {
    const start = from + d * DAY;
    let tmax = -Infinity;
    let tmin = Infinity;
    let rhmax = 0;
    let rhmin = 100;
    let wind = 0;
    let sun = 0;
    let n = 0;
    for (let ts = start; ts < start + DAY; ts += SAMPLE, n++) {
      const t = w.airTemperature(ts);
      const rh = w.relativeHumidity(ts);
      tmax = Math.max(tmax, t);
      tmin = Math.min(tmin, t);
      rhmax = Math.max(rhmax, rh);
      rhmin = Math.min(rhmin, rh);
      wind += w.windSpeed2m(ts);
      sun += w.solarRadiation(ts);
    }
    out.tmax[d] = tmax;
    out.tmin[d] = tmin;
    out.rhmax[d] = Math.min(100, rhmax);
    out.rhmin[d] = rhmin;
    out.u2[d] = wind / n;
    out.rs[d] = (sun / n) * 0.0864;
    out.rain[d] = w.rainBetween(start, start + DAY);
  }
  return out;
}

/** Soils of FAO-56 Table 19 (mid-range θFC and θWP). */
const SOILS = [
  { name: 'sandy loam', fieldCapacity: 0.18, wiltingPoint: 0.08 },
  { name: 'loam', fieldCapacity: 0.25, wiltingPoint: 0.12 },
  { name: 'silt loam', fieldCapacity: 0.29, wiltingPoint: 0.13 },
  { name: 'clay', fieldCapacity: 0.36, wiltingPoint: 0.22 },
];

interface Plot {
  weather: DailyWeather;
  latitude: number;
  elevation: number;
  crop: CropId;
  flooded: boolean;
  soil: (typeof SOILS)[number];
  rootDepth: number;
  /** Day of the year (index into the weather) the crop was planted. */
  plantedOn: number;
  /** Net irrigation applied when the balance asks, mm (upland), or to keep the paddy ponded. */
  irrigateEvery: number;
  irrigationMm: number;
}

function makePlots(weathers: DailyWeather[]): Plot[] {
  const plots: Plot[] = [];
  for (let i = 0; i < PLOTS; i++) {
    const v = VILLAGES[i % VILLAGES.length]!;
    const crop = CROP_IDS[Math.floor(i / VILLAGES.length) % CROP_IDS.length]!;
    const c = CROPS[crop];
    plots.push({
      weather: weathers[i % VILLAGES.length]!,
      // Plots spread a few kilometres and a few tens of metres around their village.
      latitude: v.latitude + ((i * 37) % 21) / 1000 - 0.01,
      elevation: Math.max(0, v.elevation + ((i * 53) % 41) - 20),
      crop,
      flooded: crop === 'rice' && i % 3 !== 0,
      soil: SOILS[i % SOILS.length]!,
      rootDepth: c.rootDepth.min + ((i % 5) / 4) * (c.rootDepth.max - c.rootDepth.min),
      plantedOn: (i * 7) % 120,
      irrigateEvery: 3 + (i % 5),
      irrigationMm: 10 + (i % 4) * 5,
    });
  }
  return plots;
}

/** Day of the year of day d of the run (the run starts on 1 January 2026). */
const doy = (d: number) => d + 1;

interface RunResult {
  et0Sum: number;
  etcSum: number;
  irrigateNow: number;
}

/** One pass: every plot, every day. */
function run(plots: Plot[]): RunResult {
  let et0Sum = 0;
  let etcSum = 0;
  let irrigateNow = 0;
  const et0 = new Float64Array(DAYS);
  for (const p of plots) {
    const w = p.weather;
    for (let d = 0; d < DAYS; d++) {
      const ea = vapourPressureFromRhMaxMin(w.tmax[d]!, w.tmin[d]!, w.rhmax[d]!, w.rhmin[d]!);
      et0[d] = et0DailyValue(p.latitude, p.elevation, doy(d), w.tmax[d]!, w.tmin[d]!, ea, w.u2[d]!, w.rs[d]!);
      et0Sum += et0[d]!;
    }
    const crop = CROPS[p.crop];
    const season = seasonLength(crop.stages);
    if (p.flooded) {
      const days: PaddyDay[] = new Array(DAYS);
      for (let d = 0; d < DAYS; d++) {
        const t = (d - p.plantedOn + 365) % 182; // two rice crops a year
        days[d] = {
          et0: et0[d]!,
          kc: t <= season ? kcCurve(crop, t) : crop.kcIni,
          rain: w.rain[d]!,
          irrigation: d % p.irrigateEvery === 0 ? p.irrigationMm : 0,
        };
      }
      const r = paddyBalance({ initialDepth: 50, days });
      etcSum += r.totals.etc;
      if (r.days[DAYS - 1]!.depth < 30) irrigateNow++;
    } else {
      const days: WaterBalanceDay[] = new Array(DAYS);
      for (let d = 0; d < DAYS; d++) {
        const t = (d - p.plantedOn + 365) % 182;
        days[d] = {
          et0: et0[d]!,
          kc: t <= season ? kcCurve(crop, t) : 0.3, // bare soil between crops
          rain: w.rain[d]!,
          irrigation: d % p.irrigateEvery === 0 ? p.irrigationMm : 0,
        };
      }
      const r = waterBalance({
        fieldCapacity: p.soil.fieldCapacity,
        wiltingPoint: p.soil.wiltingPoint,
        rootDepth: p.rootDepth,
        p: crop.p,
        initialDepletion: 0,
        days,
      });
      etcSum += r.totals.etc;
      if (irrigationAdvice(r, [{ et0: et0[DAYS - 1]!, kc: days[DAYS - 1]!.kc }]).action === 'now') irrigateNow++;
    }
  }
  return { et0Sum, etcSum, irrigateNow };
}

function main() {
  say(`weather: a year for ${VILLAGES.length} villages from the simulator's model (5-minute samples)`);
  const from = Date.parse('2025-12-31T17:00:00Z'); // 1 January 2026, 00:00 WIB
  const t0 = performance.now();
  const weathers = VILLAGES.map((v, i) => yearOfWeather(v, 1000 + i, from));
  const weatherMs = performance.now() - t0;
  const plots = makePlots(weathers);
  say(`weather ready in ${round(weatherMs / 1000, 1)} s; ${PLOTS} plots; ${RUNS} runs after ${WARMUP} warm-up runs`);
  const times: number[] = [];
  let last: RunResult | undefined;
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const s = performance.now();
    last = run(plots);
    if (i >= WARMUP) times.push(performance.now() - s);
  }
  const ms = percentiles(times);
  const plotDays = PLOTS * DAYS;
  const annualEt0 = weathers.map((w, i) => {
    let sum = 0;
    const v = VILLAGES[i]!;
    for (let d = 0; d < DAYS; d++) {
      const ea = vapourPressureFromRhMaxMin(w.tmax[d]!, w.tmin[d]!, w.rhmax[d]!, w.rhmin[d]!);
      sum += et0DailyValue(v.latitude, v.elevation, doy(d), w.tmax[d]!, w.tmin[d]!, ea, w.u2[d]!, w.rs[d]!);
    }
    return round(sum, 0);
  });
  const summary = {
    bench: 'agro',
    quick,
    machine: machine(),
    load: load(),
    workload: {
      plots: PLOTS,
      days: DAYS,
      plotDays,
      villages: VILLAGES.length,
      flooded: plots.filter((p) => p.flooded).length,
      crops: Object.fromEntries(CROP_IDS.map((c) => [c, plots.filter((p) => p.crop === c).length])),
    },
    weather: {
      source: 'firmware-sim VillageWeather (JAVA_LOWLAND climate), 5-minute samples aggregated per day',
      generationMs: round(weatherMs, 0),
      annualEt0MmPerVillage: annualEt0,
      annualRainMmPerVillage: weathers.map((w) =>
        round(
          w.rain.reduce((s, x) => s + x, 0),
          0,
        ),
      ),
    },
    et0AndBalance: {
      target: `≤ ${TARGET_MS} ms for ${PLOTS} plots × ${DAYS} days`,
      ms,
      nsPerPlotDay: round(((ms.p50 ?? 0) * 1e6) / plotDays, 0),
      meanEt0MmPerDay: round(last!.et0Sum / plotDays, 2),
      meanEtcMmPerDay: round(last!.etcSum / plotDays, 2),
      plotsToIrrigateNow: last!.irrigateNow,
      met: (ms.p95 ?? Infinity) <= TARGET_MS,
    },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main();
