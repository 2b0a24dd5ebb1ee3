// Growing degree-days since planting and the crop's growth stage. The daily equation is the usual
// GDD = (Tmax + Tmin)/2 − Tbase, interpreted as McMaster & Wilhelm (1997, Agric. For. Meteorol. 87: 291–300)
// "Method 2": Tmax and Tmin are each held between the base and the upper threshold before averaging. That is
// the interpretation of the US corn "86/50" degree-day (10/30 °C), and the one to report with the numbers.

import type { Bilingual, CropId, CropParams, StageId, StageLengths } from './crop.ts';
import { seasonLength } from './crop.ts';

export interface GddParams {
  /** Base temperature [°C]: no development below it. */
  base: number;
  /** Upper threshold [°C]: no faster development above it. None when absent. */
  upper?: number;
  /**
   * McMaster & Wilhelm (1997) interpretation: 2 (default) holds Tmax and Tmin in [base, upper] before averaging;
   * 1 holds the daily mean instead (it accumulates less on days with Tmin below the base).
   */
  method?: 1 | 2;
}

/**
 * Thresholds per crop, with their sources. 10 °C is the base for all four; maize and tomato have a 30 °C upper
 * threshold from their sources; rice and chilli none, because no source gave one that fits (tropical maxima
 * rarely pass 34 °C, where it would start to matter).
 */
export const GDD_PARAMS: Readonly<Record<CropId, Readonly<GddParams & { source: string }>>> = {
  rice: {
    base: 10,
    source:
      'Base 10 °C (50 °F) of the US rice DD50 programmes (University of Arkansas; University of Missouri DD-50 Rice Model)',
  },
  maize: {
    base: 10,
    upper: 30,
    source:
      'The 86/50 °F (30/10 °C) corn growing degree-day of US extension services (e.g. Ohio State University Extension)',
  },
  tomato: {
    base: 10,
    upper: 30,
    source:
      'Degree-days above 10 °C, development delayed above 30 °C (Zalom & Wilson 1999, processing tomato phenology, California)',
  },
  chilli: {
    base: 10,
    source: 'Base 10 °C, the value commonly used for Capsicum; no authoritative source found for an upper threshold',
  },
};

/** Growing degree-days [°C·day] of one day from its maximum and minimum temperature [°C]. */
export function dailyGdd(tmax: number, tmin: number, params: GddParams): number {
  const { base } = params;
  const upper = params.upper ?? Number.POSITIVE_INFINITY;
  if (params.method === 1) {
    const mean = (tmax + tmin) / 2;
    return (mean < base ? base : mean > upper ? upper : mean) - base;
  }
  const hi = tmax < base ? base : tmax > upper ? upper : tmax;
  const lo = tmin < base ? base : tmin > upper ? upper : tmin;
  return (hi + lo) / 2 - base;
}

export interface GddSeries {
  /** GDD of each day. */
  daily: number[];
  /** Sum from the first day through each day (the first day being the day after planting). */
  cumulative: number[];
  total: number;
}

/**
 * Daily and cumulative degree-days of a run of days. A day with Tmin above Tmax, or a missing temperature, is
 * an error (RangeError naming the day): a sensor fault must not pass silently into a stage estimate.
 */
export function gddSeries(days: readonly { tmax: number; tmin: number }[], params: GddParams): GddSeries {
  const daily: number[] = new Array(days.length);
  const cumulative: number[] = new Array(days.length);
  let total = 0;
  for (let i = 0; i < days.length; i++) {
    const { tmax, tmin } = days[i]!;
    if (!Number.isFinite(tmax) || !Number.isFinite(tmin) || tmin > tmax) {
      throw new RangeError(`day ${i + 1}: need Tmin ≤ Tmax, got Tmin ${tmin} °C and Tmax ${tmax} °C`);
    }
    const g = dailyGdd(tmax, tmin, params);
    total += g;
    daily[i] = g;
    cumulative[i] = total;
  }
  return { daily, cumulative, total };
}

export type GrowthStage = StageId | 'harvest';

/** Stage names for a farmer. */
export const STAGE_LABELS: Readonly<Record<GrowthStage, Bilingual>> = {
  ini: { id: 'awal', en: 'initial' },
  dev: { id: 'perkembangan', en: 'development' },
  mid: { id: 'pertengahan', en: 'mid-season' },
  late: { id: 'akhir', en: 'late season' },
  harvest: { id: 'panen', en: 'harvest' },
};

export interface StageEstimate {
  stage: GrowthStage;
  label: Bilingual;
  /** Whether the stage came from calendar days (FAO-56 Table 11 lengths) or from degree-days. */
  basis: 'days' | 'gdd';
  /** How far into the current stage (0 at its start, 1 at its end; 1 once harvested). */
  progress: number;
  /** Days or degree-days (by `basis`) left until harvest; 0 once harvested. */
  remaining: number;
}

function locate(lengths: StageLengths, x: number): { stage: GrowthStage; progress: number; remaining: number } {
  const total = seasonLength(lengths);
  let start = 0;
  for (const stage of ['ini', 'dev', 'mid', 'late'] as const) {
    const len = lengths[stage];
    if (x <= start + len && len > 0) {
      return { stage, progress: Math.max(0, (x - start) / len), remaining: total - Math.max(0, x) };
    }
    start += len;
  }
  return { stage: 'harvest', progress: 1, remaining: 0 };
}

/**
 * The crop's growth stage on a day: from degree-days since planting when both the thermal time (`gdd`) and the
 * crop's stage lengths in degree-days (`stageGdd`, calibrated per plot for its variety) are known, otherwise from
 * calendar days with the FAO-56 Table 11 lengths. Day boundaries follow FAO-56 Eq. 66: day Lini is still initial.
 */
export function estimateStage(
  crop: Pick<CropParams, 'stages' | 'stageGdd'>,
  daysAfterPlanting: number,
  gdd?: number,
): StageEstimate {
  const thermal = gdd !== undefined && crop.stageGdd !== undefined;
  const where = thermal ? locate(crop.stageGdd!, gdd!) : locate(crop.stages, daysAfterPlanting);
  return { ...where, label: STAGE_LABELS[where.stage], basis: thermal ? 'gdd' : 'days' };
}
