// Single crop coefficients of FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), chapter 6: the Kc of
// a crop for any day of its season, adjusted for the local climate and overridden per plot. Pure functions of
// plain data; the catalogue below is the only place crop numbers live (docs/agronomy.md explains each choice).

import { z } from 'zod';
import { saturationVapourPressure } from './atmosphere.ts';

/** Text for a farmer: Bahasa Indonesia first, English second. */
export interface Bilingual {
  id: string;
  en: string;
}

/** The four growth stages of FAO-56 (Table 11), in order. */
export const STAGES = ['ini', 'dev', 'mid', 'late'] as const;
export type StageId = (typeof STAGES)[number];

/** Lengths of the four growth stages [days] (FAO-56 Table 11: Lini, Ldev, Lmid, Llate). */
export interface StageLengths {
  ini: number;
  dev: number;
  mid: number;
  late: number;
}

export const CROP_IDS = ['rice', 'maize', 'tomato', 'chilli'] as const;
export type CropId = (typeof CROP_IDS)[number];

/** Everything the agronomy module needs to know about a crop on one plot. */
export interface CropParams {
  id: CropId;
  label: Bilingual;
  /** Kc ini, Kc mid, Kc end (FAO-56 Table 12, or a plot's own values). */
  kcIni: number;
  kcMid: number;
  kcEnd: number;
  /** Mean maximum plant height h [m] (FAO-56 Table 12), used by the climate adjustment (Eq. 62, 65). */
  maxHeight: number;
  /** Stage lengths [days] (FAO-56 Table 11 row named in `source`, or a plot's own). */
  stages: StageLengths;
  /** Maximum effective rooting depth range [m] (FAO-56 Table 22). */
  rootDepth: { min: number; max: number };
  /** Soil water depletion fraction for no stress at ETc ≈ 5 mm/day (FAO-56 Table 22). */
  p: number;
  /**
   * Stage lengths in growing degree-days [°C·day] instead of days, when a plot has calibrated them for its
   * variety (see degree-days.ts). None is shipped: no published thermal stage lengths fit Indonesian varieties.
   */
  stageGdd?: StageLengths;
  /** Where every number above comes from. */
  source: string;
}

/**
 * The crops Lumbung advises on, with FAO-56 numbers. Table 11 has no Indonesian rows: the row chosen for each
 * crop is the one nearest a humid-tropics lowland season, named in `source`; villages should override stage
 * lengths with their variety's (docs/agronomy.md, "Crop coefficients").
 */
export const CROPS: Readonly<Record<CropId, Readonly<CropParams>>> = {
  rice: {
    id: 'rice',
    label: { id: 'Padi sawah', en: 'Paddy rice' },
    kcIni: 1.05,
    kcMid: 1.2,
    // Table 12 prints 0.90–0.60 with no footnote; the first value, as for every ranged row here.
    kcEnd: 0.9,
    maxHeight: 1,
    stages: { ini: 30, dev: 30, mid: 60, late: 30 },
    rootDepth: { min: 0.5, max: 1.0 },
    // Table 22 footnote 4: for rice p is 0.20 "of saturation"; the paddy model (water-balance.ts) does not use it.
    p: 0.2,
    source:
      'FAO-56 Table 12 "Rice" (Kc 1.05/1.20/0.90-0.60, h 1 m); Table 11 "Rice" 30/30/60/30 days, planted Dec; May, "Tropics; Mediterranean"; Table 22 Zr 0.5-1.0 m, p 0.20 of saturation',
  },
  maize: {
    id: 'maize',
    label: { id: 'Jagung pipil', en: 'Maize (grain)' },
    // Table 12 gives Kc ini 0.3 for the cereals group, not per row.
    kcIni: 0.3,
    kcMid: 1.2,
    // Table 12 footnote 11: 0.60 if harvested at high grain moisture, 0.35 after drying in the field (to ~18 %).
    kcEnd: 0.35,
    maxHeight: 2,
    stages: { ini: 20, dev: 35, mid: 40, late: 30 },
    rootDepth: { min: 1.0, max: 1.7 },
    p: 0.55,
    source:
      'FAO-56 Table 12 "Maize, Field (grain)" (Kc ini 0.3 cereals group, Kc mid 1.20, Kc end 0.35 field-dried per footnote 11, h 2 m); Table 11 "Maize (grain)" 20/35/40/30 days, planted June, "Nigeria (humid)"; Table 22 Zr 1.0-1.7 m, p 0.55',
  },
  tomato: {
    id: 'tomato',
    label: { id: 'Tomat', en: 'Tomato' },
    // Table 12 gives Kc ini 0.6 for the Solanaceae group.
    kcIni: 0.6,
    kcMid: 1.15,
    // Table 12 prints 0.70–0.90 with no footnote; the first value.
    kcEnd: 0.7,
    maxHeight: 0.6,
    stages: { ini: 30, dev: 40, mid: 40, late: 25 },
    rootDepth: { min: 0.7, max: 1.5 },
    p: 0.4,
    source:
      'FAO-56 Table 12 "Tomato" (Kc ini 0.6 Solanaceae group, Kc mid 1.15, Kc end 0.70-0.90, h 0.6 m); Table 11 "Tomato" 30/40/40/25 days, planted January, "Arid Region" (no tropical row; the shortest season); Table 22 Zr 0.7-1.5 m, p 0.40',
  },
  chilli: {
    id: 'chilli',
    label: { id: 'Cabai', en: 'Chilli' },
    kcIni: 0.6,
    kcMid: 1.05,
    kcEnd: 0.9,
    maxHeight: 0.7,
    // Table 11 prints "25/30 35 40 20 125": 30 days initial is the reading that sums to the printed 125.
    stages: { ini: 30, dev: 35, mid: 40, late: 20 },
    rootDepth: { min: 0.5, max: 1.0 },
    p: 0.3,
    source:
      'FAO-56 has no chilli row; "Sweet Peppers (bell)" (same species, Capsicum annuum) stands in: Table 12 Kc ini 0.6 Solanaceae group, Kc mid 1.05, Kc end 0.90, h 0.7 m; Table 11 25/30-35-40-20 (125 days), planted April/June, "Europe and Medit."; Table 22 Zr 0.5-1.0 m, p 0.30',
  },
};

const stageLengths = z.strictObject({
  ini: z.number().int().min(1).max(400),
  dev: z.number().int().min(1).max(400),
  mid: z.number().int().min(1).max(600),
  late: z.number().int().min(0).max(400),
});

/**
 * What a plot may change about its crop (a local variety, a farmer's own observation of stage dates). Every
 * field is optional; `stages` and `stageGdd` may name only some stages.
 */
export const CropOverrides = z.strictObject({
  kcIni: z
    .number()
    .min(0.1, 'Kc ini minimal 0,1 / Kc ini must be at least 0.1')
    .max(1.4, 'Kc ini maksimal 1,4 / Kc ini must be at most 1.4')
    .optional(),
  kcMid: z
    .number()
    .min(0.1, 'Kc mid minimal 0,1 / Kc mid must be at least 0.1')
    .max(1.4, 'Kc mid maksimal 1,4 / Kc mid must be at most 1.4')
    .optional(),
  kcEnd: z
    .number()
    .min(0.1, 'Kc end minimal 0,1 / Kc end must be at least 0.1')
    .max(1.4, 'Kc end maksimal 1,4 / Kc end must be at most 1.4')
    .optional(),
  maxHeight: z.number().gt(0).max(10, 'tinggi tanaman maksimal 10 m / crop height must be at most 10 m').optional(),
  stages: stageLengths.partial().optional(),
  stageGdd: z
    .strictObject({
      ini: z.number().positive(),
      dev: z.number().positive(),
      mid: z.number().positive(),
      late: z.number().min(0),
    })
    .optional(),
  p: z
    .number()
    .min(0.1, 'p minimal 0,1 / p must be at least 0.1')
    .max(0.8, 'p maksimal 0,8 / p must be at most 0.8')
    .optional(),
  rootDepth: z
    .strictObject({ min: z.number().positive().max(5), max: z.number().positive().max(5) })
    .refine((r) => r.min <= r.max, { message: 'kedalaman akar min > max / root depth min exceeds max' })
    .optional(),
});
export type CropOverrides = z.infer<typeof CropOverrides>;

/** A crop's parameters with a plot's overrides applied (validated; throws a ZodError on nonsense). */
export function cropForPlot(crop: CropId | CropParams, overrides: CropOverrides = {}): CropParams {
  const base = typeof crop === 'string' ? CROPS[crop] : crop;
  const o = CropOverrides.parse(overrides);
  return {
    ...base,
    kcIni: o.kcIni ?? base.kcIni,
    kcMid: o.kcMid ?? base.kcMid,
    kcEnd: o.kcEnd ?? base.kcEnd,
    maxHeight: o.maxHeight ?? base.maxHeight,
    stages: { ...base.stages, ...o.stages },
    rootDepth: o.rootDepth ?? base.rootDepth,
    p: o.p ?? base.p,
    stageGdd: o.stageGdd ?? base.stageGdd,
    source:
      Object.keys(o).length > 0
        ? `${base.source}; overridden for this plot: ${Object.keys(o).join(', ')}`
        : base.source,
  };
}

/** Mean climate of a growth stage, for the Kc adjustment. */
export interface StageClimate {
  /** Mean daily wind speed at 2 m over grass [m/s]. */
  u2: number;
  /** Mean daily minimum relative humidity [%]. */
  rhMin: number;
}

// FAO-56 states where Eq. 62 and 65 hold; "the limits ... should be observed", so inputs are held inside them.
const U2_RANGE = [1, 6] as const;
const RHMIN_RANGE = [20, 80] as const;
const H_MAX = 10;
const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/**
 * Kc mid (or Kc end) from Table 12 adjusted for a climate other than sub-humid with 2 m/s wind (FAO-56 Eq. 62
 * and 65: Kc = Kc(Tab) + [0.04 (u2 − 2) − 0.004 (RHmin − 45)] (h/3)^0.3). u2 is held in 1–6 m/s, RHmin in
 * 20–80 % and h at most 10 m; below h = 0.1 m the crop behaves like the grass reference and Kc is returned as is.
 */
export function adjustKcForClimate(kcTable: number, climate: StageClimate, height: number): number {
  if (height < 0.1) return kcTable;
  const u2 = clamp(climate.u2, U2_RANGE[0], U2_RANGE[1]);
  const rhMin = clamp(climate.rhMin, RHMIN_RANGE[0], RHMIN_RANGE[1]);
  const h = Math.min(height, H_MAX);
  return kcTable + (0.04 * (u2 - 2) - 0.004 * (rhMin - 45)) * (h / 3) ** 0.3;
}

/**
 * Kc end adjusted for climate (FAO-56 Eq. 65), only when the tabulated Kc end is 0.45 or more: crops left to
 * dry in the field (smaller Kc end) are not adjusted (FAO-56 p. 127).
 */
export function adjustKcEndForClimate(kcEndTable: number, climate: StageClimate, height: number): number {
  return kcEndTable >= 0.45 ? adjustKcForClimate(kcEndTable, climate, height) : kcEndTable;
}

/**
 * The crop with Kc mid and Kc end adjusted for the plot's climate (Eq. 62 for the mid-season, Eq. 65 for the
 * late season; the late season's climate defaults to the mid-season's). Kc ini is left alone: it depends on
 * wetting frequency, not on this adjustment (FAO-56 Table 12 footnote 1).
 */
export function adjustCropForClimate(crop: CropParams, mid: StageClimate, late: StageClimate = mid): CropParams {
  return {
    ...crop,
    kcMid: adjustKcForClimate(crop.kcMid, mid, crop.maxHeight),
    kcEnd: adjustKcEndForClimate(crop.kcEnd, late, crop.maxHeight),
  };
}

/**
 * Minimum relative humidity [%] for the climate adjustment when no hygrometer data exist: from the mean dewpoint
 * (FAO-56 Eq. 63) or, failing that, the mean daily minimum temperature standing in for it (Eq. 64), and the mean
 * daily maximum temperature of the stage [°C].
 */
export function estimateRhMin(tmax: number, tdewOrTmin: number): number {
  return (100 * saturationVapourPressure(tdewOrTmin)) / saturationVapourPressure(tmax);
}

/** Total season length [days]. */
export function seasonLength(stages: StageLengths): number {
  return stages.ini + stages.dev + stages.mid + stages.late;
}

/**
 * Kc on day t of the season (FAO-56 Eq. 66): constant Kc ini through the initial stage, linear to Kc mid through
 * development, constant Kc mid through mid-season, linear to Kc end through the late season. t counts days from
 * planting as FAO-56's i does (Example 28: t = 40 with Lini = Ldev = 25 is 15/25 of the way through
 * development); fractions are allowed. Before planting and after harvest the ends are held (Kc ini, Kc end).
 */
export function kcCurve(crop: Pick<CropParams, 'kcIni' | 'kcMid' | 'kcEnd' | 'stages'>, t: number): number {
  const { ini, dev, mid, late } = crop.stages;
  if (t <= ini) return crop.kcIni;
  if (t <= ini + dev) return crop.kcIni + ((t - ini) / dev) * (crop.kcMid - crop.kcIni);
  if (t <= ini + dev + mid) return crop.kcMid;
  if (late > 0 && t <= ini + dev + mid + late)
    return crop.kcMid + ((t - ini - dev - mid) / late) * (crop.kcEnd - crop.kcMid);
  return crop.kcEnd;
}
