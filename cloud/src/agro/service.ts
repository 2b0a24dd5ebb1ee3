// Farmer advice on live village data (issue 6): the station's weather with FAO-56 ET0 (station.ts), and per
// plot the crop stage, degree-days, water balance with the probe's correction, irrigation advice, rice blast
// risk, heat index and dew point, explained in two or three sentences. The science is the pure functions next
// to this file; docs/agronomy.md, "From station data to advice", explains how they are put together here.

import { randomUUID } from 'node:crypto';
import type {
  AgroWeatherDay,
  Crop,
  IrrigationRecord,
  PlotAdvice,
  PlotDetails,
  SiteRecord,
  VillageRecord,
} from '@lumbung/schemas';
import { addDays, daysBetween, localDate, localMidnight } from '@lumbung/schemas/time';
import type { TimeSeriesStore } from '@lumbung/store';
import { ApiFailure } from '../errors.ts';
import type { Registry } from '../registry/port.ts';
import { type Bilingual, CROPS, type CropId, type CropParams, kcCurve, seasonLength } from './crop.ts';
import { dailyGdd, estimateStage, GDD_PARAMS } from './degree-days.ts';
import { type BlastHour, type BlastRisk, blastRisk, RISK_LABELS } from './disease.ts';
import { dewPoint, heatIndex } from './humidity.ts';
import { stationDays, stationHours, type WeatherHour, weatherDay, weatherHours, weatherStations } from './station.ts';
import {
  correctWithSoilMoisture,
  irrigationAdvice,
  type PaddyDay,
  paddyAdvice,
  paddyBalance,
  totalAvailableWater,
  type WaterBalanceDay,
  waterBalance,
  waterStressCoefficient,
} from './water-balance.ts';

const HOUR = 3_600_000;

/** The crops of a plot record (scenario names) → the agronomy catalogue (FAO-56 rows, crop.ts). */
export const CROP_OF_PLOT: Readonly<Record<Crop, CropId>> = {
  rice: 'rice',
  chilli: 'chilli',
  maize: 'maize',
  // No FAO-56 row for "vegetables": tomato, the Solanaceae row with the shortest Table 11 season, stands in.
  vegetables: 'tomato',
};

/** The water balance runs over at most this many days before today (FAO-56 ch. 8, day by day from planting). */
export const BALANCE_DAYS = 120;
/** Degree-days are summed from planting over at most this many days. */
export const GDD_MAX_DAYS = 366;
/** Share of the days since planting with temperatures that degree-days need. */
export const GDD_MIN_COVERAGE = 0.8;
/** Ponding kept on a paddy under continuous flooding [mm] (paddyAdvice defaults: 3–5 cm). */
export const PADDY_TARGET = { min: 30, max: 50 } as const;
/** A probe reading older than this at the start of the day is not used [ms]. */
export const PROBE_MAX_AGE_MS = 24 * HOUR;
/** The latest temperature and humidity for heat index and dew point must be this fresh [ms]. */
export const LATEST_MAX_AGE_MS = 3 * HOUR;
/** Blast risk looks at the hours of this many local days (the day and its four predecessors, plus one). */
export const BLAST_DAYS = 6;
/** "Today so far" stands for today's ET0 once this many hours of the day are past [h]. */
export const TODAY_MIN_HOURS = 12;
/** Irrigation shown with the advice: the last 14 days. */
export const RECENT_IRRIGATION_DAYS = 14;

/** Everything the advice of one village's plots reads from the store, read once for all plots. */
export interface VillageWeather {
  village: VillageRecord;
  /** Local date of `now` in the village. */
  today: string;
  now: number;
  /** Complete local days, oldest first, from the earliest day a plot needs up to yesterday. */
  days: AgroWeatherDay[];
  /** Today so far (ET0 null: the day is not over). */
  todayWeather: AgroWeatherDay | null;
  /** Hours of the last `BLAST_DAYS` local days, with hourly ET0. */
  hours: WeatherHour[];
  /** Newest air temperature and humidity of the station, if fresh. */
  latest: { temperature: number; rh: number; ts: number } | null;
}

/** What is known of one plot besides the weather. */
export interface PlotRecords {
  site: SiteRecord & { plot: PlotDetails };
  /** Irrigation of the plot, any dates (those outside the balance are ignored). */
  irrigation: readonly IrrigationRecord[];
  /** Volumetric water content [m³/m³] of the plot's probe at or before local midnight today, if fresh. */
  probe: { theta: number; ts: number } | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const id1 = (x: number) => round1(x).toFixed(1).replace('.', ',');
const en1 = (x: number) => round1(x).toFixed(1);
const nonNegative = (x: number) => (x > 0 ? x : 0);

/** Today's ET0 [mm]: the hours of today so far, or the last complete day's when too little of today is past. */
export function et0Today(w: VillageWeather): { value: number | null; soFar: number | null; reference: number | null } {
  const reference = [...w.days].reverse().find((d) => d.et0 !== null)?.et0 ?? null;
  const midnight = localMidnight(w.today, w.village.timeZone);
  const elapsed = Math.floor((w.now - midnight) / HOUR);
  const hours = w.hours.filter((h) => h.date === w.today && h.et0 !== null && h.time + HOUR <= w.now);
  let soFar: number | null = null;
  if (elapsed >= TODAY_MIN_HOURS && hours.length >= 0.8 * elapsed)
    soFar = nonNegative(hours.reduce((s, h) => s + h.et0!, 0));
  return { value: soFar ?? reference, soFar, reference };
}

function blastOf(w: VillageWeather): PlotAdvice['blast'] {
  const hours: BlastHour[] = w.hours
    .filter((h) => h.rh !== null)
    .map((h) => ({
      time: h.time,
      temperature: h.temperature,
      rh: h.rh!,
      rain: h.rain,
      ...(h.wind !== null ? { wind: h.wind } : {}),
    }));
  const days = blastRisk(hours, { timeZone: w.village.timeZone });
  const yesterday = addDays(w.today, -1);
  const recent = days.filter((d) => d.date === yesterday || d.date === w.today);
  if (recent.length === 0)
    return {
      level: 'unknown',
      label: RISK_LABELS.unknown,
      reasons: [
        {
          id: 'Tidak ada data suhu dan kelembapan per jam dari stasiun cuaca untuk kemarin dan hari ini.',
          en: 'No hourly temperature and humidity from the weather station for yesterday and today.',
        },
      ],
    };
  // An infection event in the last day or two is what scouting must catch; "unknown" (a wet period whose
  // verdict needs the 5-day mean) ranks above "low".
  const rank: Record<BlastRisk, number> = { high: 4, moderate: 3, unknown: 2, low: 1 };
  const worst = recent.reduce((a, b) => (rank[b.risk] >= rank[a.risk] ? b : a));
  return { level: worst.risk, label: worst.label, reasons: worst.reasons };
}

function plainMessage(action: PlotAdvice['irrigation']['action'], mm: number, message: Bilingual) {
  return { action, mm: round1(mm), message };
}

/**
 * The advice of one plot, from the village's weather and the plot's records (pure: no store, no clock).
 *
 * Water: a daily balance from the later of planting and `BALANCE_DAYS` ago, starting at the first day with a
 * station ET0 (before it nothing is known: field capacity, or a flooded paddy at 5 cm, is assumed there, as
 * after transplanting or irrigation), through today. Days of a gap take the mean ET0 of the balance's other
 * days. Today's ET0 is the whole day's: the last complete day's ET0 (persistence), or today's hours so far
 * when they already exceed it. A soil probe's reading at the start of today replaces the modelled depletion
 * there (FAO-56 Eq. 87); today's rain, irrigation and ET follow. Tomorrow is forecast by persistence: the last
 * complete day's ET0, no rain.
 */
export function planPlotAdvice(w: VillageWeather, r: PlotRecords): PlotAdvice {
  const { site } = r;
  const plot = site.plot;
  const cropId = CROP_OF_PLOT[plot.crop];
  const crop: CropParams = CROPS[cropId];
  const today = w.today;
  const yesterday = addDays(today, -1);
  const dap = daysBetween(plot.plantingDate, today);
  const season = seasonLength(crop.stages);
  const stage = dap < 0 ? null : estimateStage(crop, dap);
  const kc = kcCurve(crop, Math.max(dap, 0));
  const kcTomorrow = kcCurve(crop, Math.max(dap + 1, 0));
  const e = et0Today(w);
  const reference = e.reference;
  const et0Full = e.soFar !== null && (reference === null || e.soFar > reference) ? e.soFar : reference;

  // Degree-days since planting (McMaster & Wilhelm Method 2, per crop thresholds: degree-days.ts).
  let gdd: number | null = null;
  if (dap === 0) gdd = 0;
  else if (dap > 0 && dap <= GDD_MAX_DAYS) {
    const since = w.days.filter((d) => d.date >= plot.plantingDate && d.date <= yesterday && d.et0 !== null);
    if (since.length > 0 && since.length >= GDD_MIN_COVERAGE * dap) {
      const sum = since.reduce((s, d) => s + dailyGdd(d.tmax!, d.tmin!, GDD_PARAMS[cropId]), 0);
      // A few days of a station outage take the mean of the others rather than nothing.
      gdd = (sum / since.length) * dap;
    }
  }

  // The balance's days.
  const start = plot.plantingDate > addDays(today, -BALANCE_DAYS) ? plot.plantingDate : addDays(today, -BALANCE_DAYS);
  const window = w.days.filter((d) => d.date >= start && d.date <= yesterday);
  const first = window.findIndex((d) => d.et0 !== null);
  const series = first < 0 ? [] : window.slice(first);
  const known = series.filter((d) => d.et0 !== null);
  const fill = known.length ? known.reduce((s, d) => s + d.et0!, 0) / known.length : 0;
  const balanceStart = series[0]?.date ?? today;
  const irrigationOn = new Map<string, number>();
  for (const x of r.irrigation)
    if (x.date >= balanceStart && x.date <= today) irrigationOn.set(x.date, (irrigationOn.get(x.date) ?? 0) + x.mm);
  const day = (date: string, et0: number, rain: number): WaterBalanceDay => ({
    et0: nonNegative(et0),
    kc: kcCurve(crop, Math.max(daysBetween(plot.plantingDate, date), 0)),
    rain: nonNegative(rain),
    irrigation: irrigationOn.get(date) ?? 0,
  });
  const past = series.map((d) => day(d.date, d.et0 ?? fill, d.rainfall ?? 0));
  const todayDay = et0Full === null ? null : day(today, et0Full, w.todayWeather?.rainfall ?? 0);

  let water: PlotAdvice['water'];
  let irrigation: PlotAdvice['irrigation'];
  if (plot.water === 'flooded') {
    const days: PaddyDay[] = [...past, ...(todayDay ? [todayDay] : [])].map((d) => ({
      et0: Math.min(d.et0, 20),
      kc: d.kc,
      rain: d.rain ?? 0,
      irrigation: d.irrigation ?? 0,
    }));
    // Irrigation recorded for today when the balance has no day for it still reaches the field.
    const extra = todayDay ? 0 : (irrigationOn.get(today) ?? 0);
    const res = paddyBalance({ initialDepth: PADDY_TARGET.max + extra, days, bundHeight: 150 });
    const last = res.days.at(-1) ?? { depth: Math.min(150, PADDY_TARGET.max + extra), deficit: 0 };
    water = { model: 'paddy', pondingMm: last.depth, targetMinMm: PADDY_TARGET.min, targetMaxMm: PADDY_TARGET.max };
    const opts = { targetMin: PADDY_TARGET.min, targetMax: PADDY_TARGET.max };
    const now = paddyAdvice(last, opts);
    if (now.action === 'irrigate') irrigation = plainMessage('now', now.netMm, now.message);
    else if (reference !== null) {
      const next = paddyBalance({
        initialDepth: last.depth,
        initialDeficit: last.deficit,
        days: [{ et0: Math.min(nonNegative(reference), 20), kc: kcTomorrow }],
      }).days[0]!;
      const tomorrow = paddyAdvice(next, opts);
      if (tomorrow.action === 'irrigate') {
        const n = Math.round(tomorrow.netMm);
        irrigation = plainMessage('tomorrow', tomorrow.netMm, {
          id: `Alirkan air ${n} mm ke sawah besok pagi: besok genangan turun di bawah ${PADDY_TARGET.min / 10} cm.`,
          en: `Let ${n} mm of water into the field tomorrow morning: tomorrow the ponding drops below ${PADDY_TARGET.min / 10} cm.`,
        });
      } else irrigation = plainMessage('none', 0, now.message);
    } else irrigation = plainMessage('none', 0, now.message);
  } else {
    const soil = { fieldCapacity: plot.fieldCapacity, wiltingPoint: plot.wiltingPoint, rootDepth: plot.rootDepth };
    const taw = totalAvailableWater(soil.fieldCapacity, soil.wiltingPoint, soil.rootDepth);
    const raw = crop.p * taw;
    let dr = 0;
    if (past.length) {
      const b = waterBalance({ ...soil, p: crop.p, initialDepletion: 0, days: past });
      dr = b.columns.depletion[past.length - 1]!;
    }
    const correctedByProbe = r.probe !== null;
    if (r.probe) dr = correctWithSoilMoisture(dr, r.probe.theta, soil).depletion;
    let ks = waterStressCoefficient(dr, taw, raw);
    if (todayDay) {
      const b = waterBalance({ ...soil, p: crop.p, initialDepletion: dr, days: [todayDay] });
      dr = b.columns.depletion[0]!;
      ks = b.columns.ks[0]!;
    } else {
      // Without an ET0 for today, irrigation recorded for today still counts.
      dr = nonNegative(dr - (irrigationOn.get(today) ?? 0));
    }
    water = { model: 'soil', taw, raw, depletion: dr, ks, correctedByProbe };
    const a = irrigationAdvice(
      { taw, raw, depletion: dr },
      reference !== null ? [{ et0: reference, kc: kcTomorrow }] : [],
    );
    irrigation = plainMessage(a.action, a.netMm, a.message);
    if (reference === null && !correctedByProbe && a.action === 'none')
      irrigation = plainMessage('none', 0, {
        id: 'Belum ada cukup data cuaca untuk menghitung kebutuhan air; periksa tanah dengan tangan.',
        en: 'Not enough weather data yet to compute the water need; check the soil by hand.',
      });
  }

  if (dap < 0)
    irrigation = plainMessage('none', 0, {
      id: `Belum perlu menyiram: tanggal tanam ${plot.plantingDate}.`,
      en: `No irrigation needed: the planting date is ${plot.plantingDate}.`,
    });
  else if (dap > season)
    irrigation = plainMessage('none', 0, {
      id: `Musim tanam sudah lewat ${season} hari (panen). Catat tanggal tanam baru untuk saran berikutnya.`,
      en: `The ${season}-day season is over (harvest). Record the new planting date for further advice.`,
    });

  const blast = cropId === 'rice' ? blastOf(w) : null;
  const latest = w.latest;
  const heat = latest ? heatIndex(latest.temperature, Math.min(100, Math.max(0, latest.rh))) : null;
  const dew = latest && latest.rh > 0 ? dewPoint(latest.temperature, Math.min(100, latest.rh)) : null;
  const etcToday = e.value === null || dap < 0 ? null : kc * e.value;

  const stageOut = stage
    ? { id: stage.stage as string, label: stage.label }
    : { id: 'planned', label: { id: 'belum ditanam', en: 'not planted' } };
  const recentFrom = addDays(today, -(RECENT_IRRIGATION_DAYS - 1));
  return {
    villageId: w.village.id,
    siteId: site.id,
    plotName: site.name,
    crop: cropId,
    date: today,
    plantingDate: plot.plantingDate,
    daysAfterPlanting: dap,
    stage: stageOut,
    gdd,
    kc,
    et0Today: e.value,
    etcToday,
    water,
    irrigation,
    blast,
    heatIndex: heat,
    dewPoint: dew,
    explanation: explain(crop, site.name, dap, stageOut.label, etcToday, irrigation, blast),
    recentIrrigation: r.irrigation.filter((x) => x.date >= recentFrom && x.date <= today),
  };
}

/** The first sentence of a message (decimal points and commas are never followed by a space). */
const firstSentence = (s: string) => s.split(/(?<=\.) /)[0]!;

/** Two or three short sentences: the crop and its water use, what to do with the water, and blast. */
function explain(
  crop: CropParams,
  plotName: string,
  dap: number,
  stage: Bilingual,
  etc: number | null,
  irrigation: PlotAdvice['irrigation'],
  blast: PlotAdvice['blast'],
): Bilingual {
  const id: string[] = [];
  const en: string[] = [];
  if (dap < 0) {
    id.push(`${crop.label.id} di ${plotName} belum ditanam.`);
    en.push(`${crop.label.en} on ${plotName} is not planted yet.`);
  } else {
    id.push(
      `${crop.label.id} di ${plotName} berumur ${dap} hari (fase ${stage.id})` +
        (etc !== null ? ` dan memakai sekitar ${id1(etc)} mm air hari ini.` : '.'),
    );
    en.push(
      `${crop.label.en} on ${plotName} is ${dap} days old (${stage.en} stage)` +
        (etc !== null ? ` and uses about ${en1(etc)} mm of water today.` : '.'),
    );
  }
  id.push(firstSentence(irrigation.message.id));
  en.push(firstSentence(irrigation.message.en));
  if (blast && (blast.level === 'high' || blast.level === 'moderate')) {
    id.push(`Risiko penyakit blas ${blast.label.id}: periksa daun padi.`);
    en.push(`Blast risk is ${blast.label.en}: check the rice leaves.`);
  } else if (blast) {
    id.push(`Risiko penyakit blas ${blast.label.id}.`);
    en.push(`Blast risk is ${blast.label.en}.`);
  }
  return { id: id.join(' '), en: en.join(' ') };
}

export interface AgroServiceDeps {
  registry: Registry;
  store: TimeSeriesStore;
  now?: (() => number) | undefined;
}

const isPlot = (s: SiteRecord | undefined): s is SiteRecord & { plot: PlotDetails } =>
  s !== undefined && s.kind === 'plot' && s.plot !== null;

/**
 * Agronomy on a village's live data: daily weather with ET0, per-plot advice and irrigation records. Reads
 * the registry and the time-series store; holds no state, so any number may exist.
 */
export class AgroService {
  constructor(private readonly d: AgroServiceDeps) {}

  #now(): number {
    return this.d.now?.() ?? Date.now();
  }

  /** The village's local date now. */
  today(village: VillageRecord): string {
    return localDate(this.#now(), village.timeZone);
  }

  /**
   * Daily weather with FAO-56 ET0, `from` to `to` inclusive (local dates; default the last 14 days up to
   * today). Days after today are not returned; at most 366 days.
   */
  async weather(village: VillageRecord, from?: string, to?: string): Promise<AgroWeatherDay[]> {
    const today = this.today(village);
    const end = to === undefined || to > today ? today : to;
    const begin = from ?? addDays(end, -13);
    if (to !== undefined && from !== undefined && to < from) throw new ApiFailure('LUMBUNG_ERR_TIME_RANGE');
    if (daysBetween(begin, end) >= 366)
      throw new ApiFailure('LUMBUNG_ERR_VALIDATION', {
        detail: 'paling banyak 366 hari / at most 366 days',
      });
    if (begin > end) return [];
    const stations = await weatherStations(this.d.registry, village.id);
    const days = await stationDays(this.d.store, village, stations, begin, end, this.#now());
    return days.map((p) => weatherDay(p, village));
  }

  /** The plot, or 404 when the site is not a plot of the village. */
  async plot(villageId: string, siteId: string): Promise<SiteRecord & { plot: PlotDetails }> {
    const site = await this.d.registry.getSite(villageId, siteId);
    if (!isPlot(site)) throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId });
    return site;
  }

  /** Advice for one plot of the village. */
  async advice(village: VillageRecord, siteId: string): Promise<PlotAdvice> {
    const site = await this.plot(village.id, siteId);
    const [one] = await this.adviceFor(village, [site]);
    return one!;
  }

  /** Advice for the given plots (default every plot of the village), the weather read once for all. */
  async adviceFor(village: VillageRecord, plots?: readonly SiteRecord[]): Promise<PlotAdvice[]> {
    const now = this.#now();
    const today = localDate(now, village.timeZone);
    const sites = (plots ?? (await this.d.registry.listSites(village.id, { kind: 'plot' })))
      .filter(isPlot)
      .map((site) => currentSeason(site, today));
    if (sites.length === 0) return [];
    const earliest = sites.reduce((m, s) => (s.plot.plantingDate < m ? s.plot.plantingDate : m), today);
    const horizon = addDays(today, -Math.max(GDD_MAX_DAYS, BALANCE_DAYS));
    const from = earliest < horizon ? horizon : earliest;
    const w = await this.villageWeather(village, from, now);
    const balanceFrom = addDays(today, -BALANCE_DAYS);
    const irrigation = await this.d.registry.eco.listIrrigation(village.id, {
      from: from < balanceFrom ? balanceFrom : from,
      to: today,
    });
    const devices = await this.d.registry.listDevices(village.id);
    const out: PlotAdvice[] = [];
    for (const site of sites) {
      const probes = devices.filter((d) => d.siteId === site.id && !d.revoked);
      out.push(
        planPlotAdvice(w, {
          site,
          irrigation: irrigation.filter((x) => x.siteId === site.id),
          probe: await this.#probe(village, probes, localMidnight(today, village.timeZone)),
        }),
      );
    }
    return out;
  }

  /** The station's data for advice: complete days from `from`, today so far, recent hours, latest values. */
  async villageWeather(village: VillageRecord, from: string, now: number): Promise<VillageWeather> {
    const tz = village.timeZone;
    const today = localDate(now, tz);
    const stations = await weatherStations(this.d.registry, village.id);
    const hoursFrom = localMidnight(addDays(today, -(BLAST_DAYS - 1)), tz);
    const [periods, hours, latest] = await Promise.all([
      stationDays(this.d.store, village, stations, from < today ? from : today, today, now),
      stationHours(this.d.store, village, stations, hoursFrom, now),
      this.#latest(
        village.id,
        stations.map((s) => s.id),
        now,
      ),
    ]);
    const all = periods.map((p) => weatherDay(p, village));
    return {
      village,
      today,
      now,
      days: all.filter((d) => d.date < today),
      todayWeather: all.find((d) => d.date === today) ?? null,
      hours: weatherHours(hours, village),
      latest,
    };
  }

  async #latest(villageId: string, deviceIds: readonly string[], now: number): Promise<VillageWeather['latest']> {
    let best: VillageWeather['latest'] = null;
    for (const deviceId of deviceIds) {
      const q = { villageId, deviceId, from: now - LATEST_MAX_AGE_MS, to: now + 1 };
      const [t, rh] = await Promise.all([
        this.d.store.queryRaw({ ...q, metric: 'air_temperature' }),
        this.d.store.queryRaw({ ...q, metric: 'relative_humidity' }),
      ]);
      const lt = t.at(-1);
      const lrh = rh.at(-1);
      if (lt && lrh && (best === null || lt.ts > best.ts)) best = { temperature: lt.value, rh: lrh.value, ts: lt.ts };
    }
    return best;
  }

  /** The newest soil moisture of the plot's devices in the day before `at` (local midnight), as θ. */
  async #probe(village: VillageRecord, devices: readonly { id: string }[], at: number): Promise<PlotRecords['probe']> {
    let best: PlotRecords['probe'] = null;
    for (const d of devices) {
      const points = await this.d.store.queryRaw({
        villageId: village.id,
        deviceId: d.id,
        metric: 'soil_moisture',
        from: at - PROBE_MAX_AGE_MS,
        to: at,
      });
      const p = points.at(-1);
      // soil_moisture is % VWC; the balance wants m³/m³.
      if (p && (best === null || p.ts > best.ts)) best = { theta: Math.min(1, Math.max(0, p.value / 100)), ts: p.ts };
    }
    return best;
  }

  /** Irrigation recorded on a plot, oldest first. */
  async irrigation(villageId: string, siteId: string): Promise<IrrigationRecord[]> {
    await this.plot(villageId, siteId);
    return this.d.registry.eco.listIrrigation(villageId, { siteId });
  }

  /** Records irrigation applied to a plot; a date after today (village time) is refused. */
  async recordIrrigation(
    village: VillageRecord,
    siteId: string,
    input: { date: string; mm: number; note: string | null },
    createdBy: string,
  ): Promise<IrrigationRecord> {
    await this.plot(village.id, siteId);
    const today = this.today(village);
    if (input.date > today)
      throw new ApiFailure('LUMBUNG_ERR_VALIDATION', {
        detail: `tanggal ${input.date} belum tiba (hari ini ${today}) / date ${input.date} is after today (${today})`,
      });
    return this.d.registry.eco.addIrrigation({
      id: randomUUID(),
      villageId: village.id,
      siteId,
      date: input.date,
      mm: input.mm,
      note: input.note,
      createdAt: this.#now(),
      createdBy,
    });
  }
}

/**
 * A plot whose crop is replanted every `repeatEveryDays` (two or three rice crops a year) is in the season
 * that started last: its planting date moves on by whole repeats up to today.
 */
export function currentSeason<S extends { plot: { plantingDate: string; repeatEveryDays?: number } }>(
  site: S,
  today: string,
): S {
  const every = site.plot.repeatEveryDays;
  const dap = daysBetween(site.plot.plantingDate, today);
  if (!every || dap < every) return site;
  const plantingDate = addDays(site.plot.plantingDate, Math.floor(dap / every) * every);
  return { ...site, plot: { ...site.plot, plantingDate } };
}
