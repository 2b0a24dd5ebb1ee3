import type { AgroWeatherDay, PlotAdvice } from '@lumbung/schemas';
import { addDays, isCalendarDate } from './dates.ts';

export { addDays, isCalendarDate as isIsoDate, localToday } from './dates.ts';

/**
 * Pure helpers of the farm pages (issue 6): the soil-water gauge, the weather strip, the irrigation form's
 * request. The agronomy itself is the cloud's (cloud/src/agro, docs/agronomy.md); these only put its answers
 * into a picture and check what a farmer typed before it is sent.
 */

export type SoilWater = Extract<PlotAdvice['water'], { model: 'soil' }>;
export type PaddyWater = Extract<PlotAdvice['water'], { model: 'paddy' }>;

/**
 * What the gauge says: `enough` while the crop takes water without stress, `stress` once the readily available
 * water is used up, `wilting` at the wilting point; for a paddy the ponded depth against its target range.
 */
export type WaterState = 'enough' | 'stress' | 'wilting' | 'low' | 'ok' | 'high';
export type Level = 'ok' | 'warn' | 'bad';

export interface WaterGauge {
  state: WaterState;
  level: Level;
  /** How full the bar is, 0–1: the water left in the root zone, or the ponded depth on its scale. */
  fill: number;
  /** The good range on the bar, 0–1. */
  band: readonly [number, number];
  /** Soil: water left in the root zone (TAW − Dr), and left before the crop feels it (RAW − Dr, at least 0), mm. */
  leftMm?: number;
  leftBeforeStressMm?: number;
  /** Soil: the water stress coefficient Ks (FAO-56 Eq. 84). */
  ks?: number;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * Ks = 1 while Dr ≤ RAW, then (TAW − Dr) / (TAW − RAW) down to 0 at TAW (FAO-56 Eq. 84). The API sends its own Ks;
 * the gauge recomputes it from the three numbers it draws so the picture and the words cannot disagree.
 */
export function stressCoefficient(depletion: number, taw: number, raw: number): number {
  if (depletion <= raw) return 1;
  if (taw <= raw) return 0;
  return clamp01((taw - depletion) / (taw - raw));
}

/**
 * The root zone as a tank: full at field capacity (Dr = 0), empty at the wilting point (Dr = TAW, FAO-56 Eq. 82);
 * the crop is unstressed while the depletion stays within RAW (Eq. 83-84), the upper part of the bar.
 */
export function soilGauge(w: Pick<SoilWater, 'taw' | 'raw' | 'depletion'>): WaterGauge {
  const { taw, raw } = w;
  const dr = Math.min(Math.max(w.depletion, 0), taw);
  const ks = stressCoefficient(dr, taw, raw);
  const state: WaterState = dr >= taw ? 'wilting' : dr > raw ? 'stress' : 'enough';
  return {
    state,
    level: state === 'enough' ? 'ok' : state === 'stress' ? 'warn' : 'bad',
    fill: taw > 0 ? clamp01((taw - dr) / taw) : 0,
    band: [taw > 0 ? clamp01((taw - raw) / taw) : 0, 1],
    leftMm: taw - dr,
    leftBeforeStressMm: Math.max(0, raw - dr),
    ks,
  };
}

/**
 * Standing water on a paddy against its target range (continuous flooding keeps 3–5 cm: docs/agronomy.md,
 * `paddyAdvice`). The bar reaches half again above the target's top so that too much water shows too.
 */
export function paddyGauge(w: Pick<PaddyWater, 'pondingMm' | 'targetMinMm' | 'targetMaxMm'>): WaterGauge {
  const depth = Math.max(0, w.pondingMm);
  const scale = Math.max(w.targetMaxMm * 1.5, depth, 1);
  const state: WaterState = depth < w.targetMinMm ? 'low' : depth > w.targetMaxMm ? 'high' : 'ok';
  return {
    state,
    level: state === 'ok' ? 'ok' : 'warn',
    fill: clamp01(depth / scale),
    band: [clamp01(w.targetMinMm / scale), clamp01(w.targetMaxMm / scale)],
  };
}

export const waterGauge = (w: PlotAdvice['water']): WaterGauge => (w.model === 'soil' ? soilGauge(w) : paddyGauge(w));

/** How urgent the irrigation advice is, for its colour: today is urgent, tomorrow soon, later or never calm. */
export const actionLevel = (action: PlotAdvice['irrigation']['action']): Level =>
  action === 'now' ? 'bad' : action === 'tomorrow' ? 'warn' : 'ok';

/**
 * The fourteen whole local days the weather strip shows, ending yesterday: today is not over, and the API gives
 * it no ET0 yet (its `to` is inclusive).
 */
export function weatherRange(today: string, days = 14): { from: string; to: string } {
  return { from: addDays(today, -days), to: addDays(today, -1) };
}

export interface StripDay {
  date: string;
  et0: number | null;
  rain: number | null;
  /** Bar heights, 0–1, on one scale for both (mm are mm). */
  et0Share: number;
  rainShare: number;
  /** Rain beyond the scale: its bar is cut and marked. */
  rainClipped: boolean;
}

export interface WeatherStrip {
  days: StripDay[];
  /** Sums over the days that have a value, mm. */
  et0Total: number;
  rainTotal: number;
  /** ET0 − rain over the days with both values: what the crop's water needs beyond the rain (mm, may be < 0). */
  balance: number;
  /** Days with no ET0 (the station sent too little). */
  missing: number;
  /** The scale's top, mm. */
  scaleMm: number;
}

/**
 * One column per local day from `from` to `to` (inclusive), days the API left out included, so the strip is
 * always the same fourteen days. ET0 and rain share one scale; a storm's rain would flatten every ET0 bar, so
 * the scale stops at twice the highest ET0 (at least 10 mm) and taller rain is cut and marked.
 */
export function weatherStrip(days: readonly AgroWeatherDay[], from: string, to: string): WeatherStrip {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const dates: string[] = [];
  for (let d = from; d <= to && dates.length < 400; d = addDays(d, 1)) dates.push(d);
  const values = dates.map((date) => {
    const d = byDate.get(date);
    return { date, et0: d?.et0 ?? null, rain: d?.rainfall ?? null };
  });
  const maxEt0 = Math.max(0, ...values.map((v) => v.et0 ?? 0));
  const maxRain = Math.max(0, ...values.map((v) => v.rain ?? 0));
  const scaleMm = Math.max(Math.min(maxRain, Math.max(2 * maxEt0, 10)), maxEt0, 1);
  let et0Total = 0;
  let rainTotal = 0;
  let balance = 0;
  let missing = 0;
  const out = values.map((v): StripDay => {
    if (v.et0 === null) missing++;
    else et0Total += v.et0;
    if (v.rain !== null) rainTotal += v.rain;
    if (v.et0 !== null && v.rain !== null) balance += v.et0 - v.rain;
    return {
      ...v,
      et0Share: clamp01((v.et0 ?? 0) / scaleMm),
      rainShare: clamp01((v.rain ?? 0) / scaleMm),
      rainClipped: (v.rain ?? 0) > scaleMm,
    };
  });
  return { days: out, et0Total, rainTotal, balance, missing, scaleMm };
}

export interface IrrigationForm {
  date: string;
  /** As typed: a decimal comma is fine ("12,5"). */
  mm: string;
  note: string;
}

export type IrrigationProblem = 'date' | 'future' | 'mm' | 'mmTooLarge' | 'note';

/** The API's limits (IrrigationInput of @lumbung/schemas): depth in (0, 300] mm, a note of at most 300 characters. */
export const MAX_IRRIGATION_MM = 300;
export const MAX_NOTE = 300;

/**
 * The body of POST plots/:siteId/irrigation from the form, or what is wrong with it. Irrigation is recorded after
 * it happened, so a date after today (the village's) is refused here rather than by the API.
 */
export function irrigationRequest(
  f: IrrigationForm,
  today: string,
): { ok: true; body: { date: string; mm: number; note: string | null } } | { ok: false; problem: IrrigationProblem } {
  const date = f.date.trim();
  if (!isCalendarDate(date)) return { ok: false, problem: 'date' };
  if (date > today) return { ok: false, problem: 'future' };
  const text = f.mm.trim().replace(',', '.');
  const mm = Number(text);
  if (!text || !Number.isFinite(mm) || mm <= 0) return { ok: false, problem: 'mm' };
  if (mm > MAX_IRRIGATION_MM) return { ok: false, problem: 'mmTooLarge' };
  const note = f.note.trim();
  if (note.length > MAX_NOTE) return { ok: false, problem: 'note' };
  return { ok: true, body: { date, mm, note: note || null } };
}
