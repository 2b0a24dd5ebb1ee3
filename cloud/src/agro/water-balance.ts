// Daily root-zone soil water balance of FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), chapter 8,
// irrigation advice from it, and a simplified ponded-water balance for flooded rice (sawah). Pure functions:
// the balance of a thousand plots over a year runs in a few milliseconds, so it allocates only its output.

import { z } from 'zod';
import type { Bilingual } from './crop.ts';

/** A daily water depth [mm], with its name in both languages for the messages. */
const mm = (id: string, en: string, max: number) =>
  z
    .number()
    .min(0, `${id} tidak boleh negatif / ${en} must not be negative`)
    .max(max, `${id} paling banyak ${max} mm / ${en} must be at most ${max} mm`);

/** One day of the balance: reference ET, crop coefficient and the water that arrived [mm]. */
export const WaterBalanceDay = z.strictObject({
  et0: z
    .number()
    .min(0, 'ET0 tidak boleh negatif / ET0 must not be negative')
    .max(20, 'ET0 paling banyak 20 mm/hari / ET0 must be at most 20 mm/day'),
  kc: z
    .number()
    .min(0, 'Kc tidak boleh negatif / Kc must not be negative')
    .max(2, 'Kc paling besar 2 / Kc must be at most 2'),
  rain: mm('curah hujan', 'rain', 1000).optional(),
  irrigation: mm('irigasi', 'irrigation', 1000).optional(),
  runoff: mm('limpasan', 'runoff', 1000).optional(),
});
export type WaterBalanceDay = z.infer<typeof WaterBalanceDay>;

/** A plot's soil and crop, and its days (the contract of `lumbung agro`). */
export const WaterBalanceInput = z
  .strictObject({
    /** θFC [m³/m³]. */
    fieldCapacity: z
      .number()
      .gt(0, 'kapasitas lapang harus lebih dari 0 / field capacity must be above 0')
      .max(0.7, 'kapasitas lapang paling tinggi 0,7 m³/m³ / field capacity must be at most 0.7 m³/m³'),
    /** θWP [m³/m³]. */
    wiltingPoint: z
      .number()
      .min(0, 'titik layu tidak boleh negatif / wilting point must not be negative')
      .max(0.6, 'titik layu paling tinggi 0,6 m³/m³ / wilting point must be at most 0.6 m³/m³'),
    /** Zr [m]. */
    rootDepth: z
      .number()
      .gt(0, 'kedalaman akar harus lebih dari 0 / root depth must be above 0')
      .max(3, 'kedalaman akar paling dalam 3 m / root depth must be at most 3 m'),
    /** Depletion fraction for no stress (FAO-56 Table 22). */
    p: z
      .number()
      .min(0.05, 'p paling kecil 0,05 / p must be at least 0.05')
      .max(0.95, 'p paling besar 0,95 / p must be at most 0.95'),
    /** Root-zone depletion Dr at the start [mm] (0 = field capacity). */
    initialDepletion: z.number().min(0, 'deplesi awal tidak boleh negatif / initial depletion must not be negative'),
    days: z.array(WaterBalanceDay).max(3660, 'paling banyak 3660 hari / at most 3660 days'),
  })
  .refine((s) => s.wiltingPoint < s.fieldCapacity, {
    message: 'titik layu harus di bawah kapasitas lapang / wilting point must be below field capacity',
    path: ['wiltingPoint'],
  })
  .refine((s) => s.initialDepletion <= totalAvailableWater(s.fieldCapacity, s.wiltingPoint, s.rootDepth) + 1e-9, {
    message:
      'deplesi awal melebihi air tersedia total (TAW) / initial depletion exceeds the total available water (TAW)',
    path: ['initialDepletion'],
  });
export type WaterBalanceInput = z.infer<typeof WaterBalanceInput>;

export interface WaterBalanceOptions {
  /**
   * Adjust p each day for the crop's ET (FAO-56 Table 22 footnote 2: p = p + 0.04 (5 − ETc), held in 0.1–0.8,
   * p. 162): a crop wilts earlier on a hot day. Off by default, as in FAO-56's examples.
   */
  adjustP?: boolean;
}

/** One day's result. Depths in mm; `depletion` is Dr at the end of the day. */
export interface WaterBalanceDayResult {
  /** 1 for the first day of `days`. */
  day: number;
  et0: number;
  kc: number;
  rain: number;
  runoff: number;
  irrigation: number;
  /** p of the day (the input p unless `adjustP`). */
  p: number;
  /** RAW of the day [mm] (Eq. 83 with the day's p). */
  raw: number;
  /** Water stress coefficient (Eq. 84). */
  ks: number;
  /** ETc = Kc ET0 without stress (Eq. 58). */
  etcPotential: number;
  /** ETc adj = Ks Kc ET0 (Eq. 81), the water the crop took. */
  etc: number;
  depletion: number;
  deepPercolation: number;
}

/** The balance's daily outputs as columns, one entry per input day (index 0 = day 1). */
export interface WaterBalanceColumns {
  p: Float64Array;
  raw: Float64Array;
  runoff: Float64Array;
  ks: Float64Array;
  etcPotential: Float64Array;
  etc: Float64Array;
  depletion: Float64Array;
  deepPercolation: Float64Array;
}

export interface WaterBalanceResult {
  /** Total available water [mm] (Eq. 82). */
  taw: number;
  /** Readily available water [mm] with the input p (Eq. 83). */
  raw: number;
  /** Dr at the start [mm], held in 0–TAW. */
  initialDepletion: number;
  /**
   * One object per day, built on first read from `columns` (a season of a thousand plots kept as objects would
   * be millions of boxed numbers for the garbage collector; bulk readers use `columns`).
   */
  readonly days: WaterBalanceDayResult[];
  columns: WaterBalanceColumns;
  totals: {
    rain: number;
    runoff: number;
    irrigation: number;
    etc: number;
    etcPotential: number;
    deepPercolation: number;
  };
}

class BalanceResult implements WaterBalanceResult {
  #rows: WaterBalanceDayResult[] | undefined;
  constructor(
    readonly taw: number,
    readonly raw: number,
    readonly initialDepletion: number,
    readonly columns: WaterBalanceColumns,
    readonly totals: WaterBalanceResult['totals'],
    private readonly input: readonly WaterBalanceDay[],
  ) {}

  get days(): WaterBalanceDayResult[] {
    if (this.#rows) return this.#rows;
    const c = this.columns;
    const rows: WaterBalanceDayResult[] = new Array(this.input.length);
    for (let i = 0; i < rows.length; i++) {
      const d = this.input[i]!;
      rows[i] = {
        day: i + 1,
        et0: d.et0,
        kc: d.kc,
        rain: d.rain ?? 0,
        runoff: c.runoff[i]!,
        irrigation: d.irrigation ?? 0,
        p: c.p[i]!,
        raw: c.raw[i]!,
        ks: c.ks[i]!,
        etcPotential: c.etcPotential[i]!,
        etc: c.etc[i]!,
        depletion: c.depletion[i]!,
        deepPercolation: c.deepPercolation[i]!,
      };
    }
    this.#rows = rows;
    return rows;
  }

  toJSON() {
    return {
      taw: this.taw,
      raw: this.raw,
      initialDepletion: this.initialDepletion,
      days: this.days,
      totals: this.totals,
    };
  }
}

/** Total available water TAW [mm] in the root zone (FAO-56 Eq. 82). */
export function totalAvailableWater(fieldCapacity: number, wiltingPoint: number, rootDepth: number): number {
  return 1000 * (fieldCapacity - wiltingPoint) * rootDepth;
}

/** Readily available water RAW [mm] (FAO-56 Eq. 83). */
export function readilyAvailableWater(p: number, taw: number): number {
  return p * taw;
}

/** p adjusted for the day's crop ET [mm/day] (FAO-56 Table 22 footnote 2), limited to 0.1–0.8 (p. 162). */
export function adjustDepletionFraction(pTable: number, etc: number): number {
  const p = pTable + 0.04 * (5 - etc);
  return p < 0.1 ? 0.1 : p > 0.8 ? 0.8 : p;
}

/**
 * Water stress coefficient Ks (FAO-56 Eq. 84): 1 while the depletion is within RAW, then falling linearly to 0
 * at TAW.
 */
export function waterStressCoefficient(depletion: number, taw: number, raw: number): number {
  if (depletion <= raw) return 1;
  if (depletion >= taw) return 0;
  return (taw - depletion) / (taw - raw);
}

// One day of Eq. 85 without allocating: the caller reads the module-level results. Rain and irrigation are taken
// to arrive early in the day (FAO-56 Example 38, note 5), so Ks is judged on the depletion after they soaked in;
// the day's ET is then met before any excess drains (Eq. 88: DP = P − RO + I − ETc − Dr,i−1 when positive).
let stepKs = 1;
let stepEtc = 0;
let stepDepletion = 0;
let stepDp = 0;
function step(prev: number, water: number, etcPotential: number, taw: number, raw: number): void {
  const start = prev > water ? prev - water : 0;
  const ks = waterStressCoefficient(start, taw, raw);
  let etc = ks * etcPotential;
  // Eq. 86 (Dr ≤ TAW): the roots cannot take water below the wilting point.
  if (start + etc > taw) etc = taw - start;
  let dr = prev - water + etc;
  let dp = 0;
  if (dr < 0) {
    dp = -dr;
    dr = 0;
  }
  stepKs = ks;
  stepEtc = etc;
  stepDepletion = dr;
  stepDp = dp;
}

/**
 * The daily root-zone water balance (FAO-56 Eq. 85, capillary rise taken as 0: water tables in upland plots lie
 * more than 1 m below the roots, p. 171) from the plot's soil and its days. Runoff is taken off the day's rain
 * (never more than the rain). The input is trusted to satisfy `WaterBalanceInput` (parse it at the boundary);
 * nonsensical soil throws a RangeError rather than returning NaN.
 */
export function waterBalance(input: WaterBalanceInput, options: WaterBalanceOptions = {}): WaterBalanceResult {
  const taw = totalAvailableWater(input.fieldCapacity, input.wiltingPoint, input.rootDepth);
  if (!(taw > 0)) throw new RangeError('TAW must be above 0: the wilting point must be below field capacity');
  const raw = readilyAvailableWater(input.p, taw);
  const adjustP = options.adjustP === true;
  const n = input.days.length;
  const buffer = new Float64Array(8 * n);
  const column = (k: number) => buffer.subarray(k * n, (k + 1) * n);
  const columns: WaterBalanceColumns = {
    p: column(0),
    raw: column(1),
    runoff: column(2),
    ks: column(3),
    etcPotential: column(4),
    etc: column(5),
    depletion: column(6),
    deepPercolation: column(7),
  };
  const totals = { rain: 0, runoff: 0, irrigation: 0, etc: 0, etcPotential: 0, deepPercolation: 0 };
  const initialDepletion = Math.min(Math.max(input.initialDepletion, 0), taw);
  let dr = initialDepletion;
  for (let i = 0; i < n; i++) {
    const d = input.days[i]!;
    const rain = d.rain ?? 0;
    const runoff = Math.min(d.runoff ?? 0, rain);
    const irrigation = d.irrigation ?? 0;
    const etcPotential = d.kc * d.et0;
    const p = adjustP ? adjustDepletionFraction(input.p, etcPotential) : input.p;
    const rawDay = adjustP ? p * taw : raw;
    step(dr, rain - runoff + irrigation, etcPotential, taw, rawDay);
    dr = stepDepletion;
    columns.p[i] = p;
    columns.raw[i] = rawDay;
    columns.runoff[i] = runoff;
    columns.ks[i] = stepKs;
    columns.etcPotential[i] = etcPotential;
    columns.etc[i] = stepEtc;
    columns.depletion[i] = dr;
    columns.deepPercolation[i] = stepDp;
    totals.rain += rain;
    totals.runoff += runoff;
    totals.irrigation += irrigation;
    totals.etc += stepEtc;
    totals.etcPotential += etcPotential;
    totals.deepPercolation += stepDp;
  }
  return new BalanceResult(taw, raw, initialDepletion, columns, totals, input.days);
}

/** Where the root zone stands: enough to advise. A `WaterBalanceResult` is accepted too (its last day). */
export interface SoilWaterState {
  taw: number;
  raw: number;
  /** Dr [mm] at the end of the last computed day. */
  depletion: number;
  /** p used for RAW; with `adjustP` a forecast day's RAW follows its own ET. */
  p?: number;
}

/** A day ahead: its forecast reference ET, the crop's Kc and the rain expected [mm]. */
export interface ForecastDay {
  et0: number;
  kc: number;
  rain?: number;
}

export type IrrigationAction = 'now' | 'tomorrow' | 'later' | 'none';

export interface IrrigationAdvice {
  action: IrrigationAction;
  /** Net depth to apply [mm] to bring the root zone back to field capacity (Dr to 0); 0 when nothing is due. */
  netMm: number;
  /** Depletion now [mm]. */
  depletion: number;
  raw: number;
  taw: number;
  /** Days from now until the depletion reaches RAW under the forecast (1 = by the end of tomorrow). */
  daysUntilRaw: number | null;
  message: Bilingual;
}

const round = (x: number) => Math.round(x);

function stateOf(state: SoilWaterState | WaterBalanceResult): SoilWaterState {
  if ('columns' in state) {
    const n = state.columns.depletion.length;
    return {
      taw: state.taw,
      raw: n > 0 ? state.columns.raw[n - 1]! : state.raw,
      depletion: n > 0 ? state.columns.depletion[n - 1]! : state.initialDepletion,
    };
  }
  return state;
}

/**
 * When to irrigate and how much (FAO-56 p. 171: irrigate before or when RAW is depleted, Dr ≥ RAW, with a net
 * depth no larger than the depletion, I ≤ Dr, so nothing percolates). Now if RAW is already used up; tomorrow
 * if the forecast says it will be by the end of tomorrow, with the depth the root zone will then lack; later
 * otherwise, with the number of forecast days until it is. Depths are net (what must soak into the root zone):
 * divide by the irrigation efficiency for what to pump.
 */
export function irrigationAdvice(
  state: SoilWaterState | WaterBalanceResult,
  forecast: readonly ForecastDay[] = [],
  options: WaterBalanceOptions = {},
): IrrigationAdvice {
  const s = stateOf(state);
  const base = { depletion: s.depletion, raw: s.raw, taw: s.taw };
  if (s.depletion >= s.raw) {
    const n = round(s.depletion);
    return {
      ...base,
      action: 'now',
      netMm: s.depletion,
      daysUntilRaw: 0,
      message: {
        id: `Siram ${n} mm hari ini (${n} liter per m²): air tanah yang mudah diserap (${round(s.raw)} mm) sudah habis.`,
        en: `Irrigate ${n} mm today (${n} litres per m²): the readily available soil water (${round(s.raw)} mm) is used up.`,
      },
    };
  }
  const p = s.p ?? s.raw / s.taw;
  let dr = s.depletion;
  for (let k = 0; k < forecast.length; k++) {
    const f = forecast[k]!;
    const etcPotential = f.kc * f.et0;
    const raw = options.adjustP ? adjustDepletionFraction(p, etcPotential) * s.taw : s.raw;
    step(dr, f.rain ?? 0, etcPotential, s.taw, raw);
    dr = stepDepletion;
    if (dr >= raw) {
      const n = round(dr);
      if (k === 0) {
        return {
          ...base,
          action: 'tomorrow',
          netMm: dr,
          daysUntilRaw: 1,
          message: {
            id: `Siram ${n} mm besok pagi (${n} liter per m²): besok air tanah yang mudah diserap akan habis.`,
            en: `Irrigate ${n} mm tomorrow morning (${n} litres per m²): tomorrow the readily available soil water runs out.`,
          },
        };
      }
      return {
        ...base,
        action: 'later',
        netMm: 0,
        daysUntilRaw: k + 1,
        message: {
          id: `Belum perlu menyiram. Menurut prakiraan, perlu disiram sekitar ${n} mm dalam ${k + 1} hari.`,
          en: `No irrigation needed yet. By the forecast, about ${n} mm will be due in ${k + 1} days.`,
        },
      };
    }
  }
  const left = round(s.raw - s.depletion);
  return {
    ...base,
    action: 'none',
    netMm: 0,
    daysUntilRaw: null,
    message: {
      id: `Belum perlu menyiram: masih ada ${left} mm air tanah yang mudah diserap.`,
      en: `No irrigation needed: ${left} mm of readily available soil water is left.`,
    },
  };
}

export interface SoilMoistureCorrection {
  /** Dr from the probe [mm] (FAO-56 Eq. 87), held in 0–TAW (Eq. 86). */
  depletion: number;
  /** Dr the balance had [mm]. */
  previous: number;
  /** depletion − previous [mm]: positive when the soil is drier than modelled. */
  correction: number;
  /** Whether the reading lay outside wilting point–field capacity and was held to it. */
  clipped: boolean;
}

/**
 * Reset the modelled depletion from a soil-moisture probe's volumetric water content θ [m³/m³] averaged over
 * the root zone (FAO-56 Eq. 87: Dr = 1000 (θFC − θ) Zr). A reading above field capacity (just after rain, or a
 * probe in a wet spot) gives 0; below the wilting point, TAW.
 */
export function correctWithSoilMoisture(
  depletion: number,
  thetaMeasured: number,
  soil: Pick<WaterBalanceInput, 'fieldCapacity' | 'wiltingPoint' | 'rootDepth'>,
): SoilMoistureCorrection {
  if (!Number.isFinite(thetaMeasured) || thetaMeasured < 0 || thetaMeasured > 1) {
    throw new RangeError(`soil moisture must be a volumetric fraction 0–1 m³/m³, got ${thetaMeasured}`);
  }
  const taw = totalAvailableWater(soil.fieldCapacity, soil.wiltingPoint, soil.rootDepth);
  const dr = 1000 * (soil.fieldCapacity - thetaMeasured) * soil.rootDepth;
  const held = dr < 0 ? 0 : dr > taw ? taw : dr;
  return { depletion: held, previous: depletion, correction: held - depletion, clipped: held !== dr };
}

// ---------------------------------------------------------------------------------------------------------------
// Flooded rice (sawah). FAO-56 treats paddy rice only through its Kc (Table 12, Table 14: Kc ini is mostly
// evaporation from 0.10–0.20 m of standing water, p. 121) and gives p "of saturation" (Table 22 footnote 4); it
// has no root-zone balance for a ponded field. This is a simplified balance of the ponded water instead.
// ---------------------------------------------------------------------------------------------------------------

export const PaddyDay = z.strictObject({
  et0: WaterBalanceDay.shape.et0,
  kc: WaterBalanceDay.shape.kc,
  rain: mm('curah hujan', 'rain', 1000).optional(),
  irrigation: mm('irigasi', 'irrigation', 1000).optional(),
});
export type PaddyDay = z.infer<typeof PaddyDay>;

export const PaddyInput = z.strictObject({
  /**
   * Height at which water leaves the field over the bund or through its outlet [mm]. Default 150 mm, inside
   * the 0.10–0.20 m of standing water FAO-56 assumes for paddies (p. 121); set the field's own.
   */
  bundHeight: z
    .number()
    .min(0, 'tinggi pematang tidak boleh negatif / bund height must not be negative')
    .max(500, 'tinggi pematang paling tinggi 500 mm / bund height must be at most 500 mm')
    .default(150),
  /**
   * Seepage and percolation while the field is saturated [mm/day]. Default 3 mm/day, the rate the Sri Lanka
   * Department of Agriculture (RRDI) gives for poorly drained (clayey, puddled) paddy soils; about 6 mm/day on
   * well-drained soils.
   */
  percolation: z
    .number()
    .min(0, 'perkolasi tidak boleh negatif / percolation must not be negative')
    .max(50, 'perkolasi paling banyak 50 mm/hari / percolation must be at most 50 mm/day')
    .default(3),
  /** Ponded water at the start [mm] above the soil surface. */
  initialDepth: z.number().min(0, 'genangan awal tidak boleh negatif / initial depth must not be negative').default(0),
  /** Water the soil had lost below saturation at the start [mm]. */
  initialDeficit: z
    .number()
    .min(0, 'defisit awal tidak boleh negatif / initial deficit must not be negative')
    .default(0),
  days: z.array(PaddyDay).max(3660, 'paling banyak 3660 hari / at most 3660 days'),
});
export type PaddyInput = z.input<typeof PaddyInput>;

export interface PaddyDayResult {
  day: number;
  rain: number;
  irrigation: number;
  /** Kc ET0 [mm]: a ponded or saturated paddy is not water-stressed. */
  etc: number;
  /** Seepage and percolation [mm]. */
  percolation: number;
  /** Water spilled over the bund [mm]. */
  overflow: number;
  /** Ponded water at the end of the day [mm above the soil surface]. */
  depth: number;
  /** Water the soil has lost below saturation since the ponding went [mm]; refilled first by rain or irrigation. */
  deficit: number;
}

export interface PaddyResult {
  days: PaddyDayResult[];
  totals: { rain: number; irrigation: number; etc: number; percolation: number; overflow: number };
}

/**
 * Daily balance of the ponded water of a bunded rice field: depth + rain + irrigation − ETc − percolation, with
 * anything above the bund spilling the same day (during the rain, before the day's losses). When the ponding
 * is gone the soil starts to dry: the crop's ET then draws a deficit below saturation and percolation stops,
 * because an unsaturated puddled layer barely drains. The model is meant for continuous flooding and for
 * "safe" alternate wetting and drying, where the deficit stays small enough for the crop not to be stressed.
 */
export function paddyBalance(input: PaddyInput): PaddyResult {
  const cfg = PaddyInput.parse(input);
  const days: PaddyDayResult[] = new Array(cfg.days.length);
  const totals = { rain: 0, irrigation: 0, etc: 0, percolation: 0, overflow: 0 };
  let depth = cfg.initialDepth;
  let deficit = cfg.initialDeficit;
  for (let i = 0; i < cfg.days.length; i++) {
    const d = cfg.days[i]!;
    const rain = d.rain ?? 0;
    const irrigation = d.irrigation ?? 0;
    let water = rain + irrigation;
    if (deficit > 0) {
      const refill = water < deficit ? water : deficit;
      deficit -= refill;
      water -= refill;
    }
    depth += water;
    let overflow = 0;
    if (depth > cfg.bundHeight) {
      overflow = depth - cfg.bundHeight;
      depth = cfg.bundHeight;
    }
    const etc = d.kc * d.et0;
    let percolation = deficit > 0 ? 0 : cfg.percolation;
    depth -= etc + percolation;
    if (depth < 0) {
      // The ponding ran out during the day: percolation stops first, then ET dries the soil.
      const short = -depth;
      depth = 0;
      const cut = short < percolation ? short : percolation;
      percolation -= cut;
      deficit += short - cut;
    }
    days[i] = { day: i + 1, rain, irrigation, etc, percolation, overflow, depth, deficit };
    totals.rain += rain;
    totals.irrigation += irrigation;
    totals.etc += etc;
    totals.percolation += percolation;
    totals.overflow += overflow;
  }
  return { days, totals };
}

export interface PaddyAdviceOptions {
  /**
   * 'continuous' keeps 3–5 cm of water; 'awd' is IRRI's safe alternate wetting and drying: let the water drop
   * until the field water tube shows it 15 cm below the soil surface, then re-flood to about 5 cm.
   */
  mode?: 'continuous' | 'awd';
  /** Irrigate when the ponding falls below this [mm] (continuous mode). Default 30. */
  targetMin?: number;
  /** Fill to this [mm]. Default 50. */
  targetMax?: number;
  /** Water level read in the AWD field tube [mm], negative below the soil surface. */
  tubeLevel?: number;
  /** AWD threshold [mm below the surface]. Default 150 (IRRI "safe AWD"). */
  awdThreshold?: number;
  /**
   * From one week before to one week after flowering the field must stay flooded (IRRI): AWD then advises as
   * continuous flooding.
   */
  flowering?: boolean;
}

export interface PaddyAdvice {
  action: 'irrigate' | 'keep' | 'check-tube';
  /** Water to let in [mm]: to targetMax, plus the soil's deficit (which soaks in before any ponding forms). */
  netMm: number;
  message: Bilingual;
}

/** Whole centimetres, as a farmer reads a ruler or a field tube. */
const cm = (mmDepth: number) => Math.round(mmDepth / 10);

/** What to do with a paddy's water today, from the end of the balance (or measured depth) and the mode. */
export function paddyAdvice(
  state: Pick<PaddyDayResult, 'depth' | 'deficit'>,
  options: PaddyAdviceOptions = {},
): PaddyAdvice {
  const targetMin = options.targetMin ?? 30;
  const targetMax = options.targetMax ?? 50;
  if (!(targetMin >= 0 && targetMax > targetMin)) throw new RangeError('targetMax must be above targetMin ≥ 0');
  const threshold = options.awdThreshold ?? 150;
  const fill = (reason: Bilingual): PaddyAdvice => {
    const need = targetMax - state.depth + state.deficit;
    const n = Math.round(need);
    return {
      action: 'irrigate',
      netMm: need,
      message: {
        id: `Alirkan air ${n} mm ke sawah sampai tergenang ${cm(targetMax)} cm. ${reason.id}`,
        en: `Let ${n} mm of water into the field, to ${cm(targetMax)} cm standing water. ${reason.en}`,
      },
    };
  };
  if (options.mode === 'awd' && !options.flowering) {
    if (options.tubeLevel !== undefined) {
      if (options.tubeLevel <= -threshold) {
        return fill({
          id: `Air di pipa pengamatan sudah ${cm(-options.tubeLevel)} cm di bawah permukaan tanah (AWD).`,
          en: `Water in the field tube is ${cm(-options.tubeLevel)} cm below the soil surface (AWD).`,
        });
      }
      return {
        action: 'keep',
        netMm: 0,
        message: {
          id: `Belum perlu mengairi (AWD): airi lagi saat air di pipa turun ${cm(threshold)} cm di bawah permukaan tanah.`,
          en: `No water needed yet (AWD): re-flood when the water in the field tube drops ${cm(threshold)} cm below the soil surface.`,
        },
      };
    }
    if (state.depth > 0) {
      return {
        action: 'keep',
        netMm: 0,
        message: {
          id: `Genangan ${cm(state.depth)} cm: biarkan surut (AWD).`,
          en: `${cm(state.depth)} cm of standing water: let it recede (AWD).`,
        },
      };
    }
    return {
      action: 'check-tube',
      netMm: 0,
      message: {
        id: `Genangan sudah habis: lihat pipa pengamatan, airi sampai ${cm(targetMax)} cm bila air di pipa ${cm(threshold)} cm di bawah permukaan tanah.`,
        en: `The standing water is gone: check the field tube, and flood to ${cm(targetMax)} cm when its water is ${cm(threshold)} cm below the soil surface.`,
      },
    };
  }
  if (state.depth < targetMin) {
    return fill({
      id: `Genangan tinggal ${cm(state.depth)} cm; jaga ${cm(targetMin)}–${cm(targetMax)} cm.`,
      en: `Only ${cm(state.depth)} cm of standing water left; keep ${cm(targetMin)}–${cm(targetMax)} cm.`,
    });
  }
  return {
    action: 'keep',
    netMm: 0,
    message: {
      id: `Genangan ${cm(state.depth)} cm: cukup, jaga ${cm(targetMin)}–${cm(targetMax)} cm.`,
      en: `${cm(state.depth)} cm of standing water: enough, keep ${cm(targetMin)}–${cm(targetMax)} cm.`,
    },
  };
}
