// Rice leaf blast (Pyricularia oryzae, "blas") infection risk by the BLASTAM rules (Hayashi & Koshimizu 1988,
// Tohoku National Agricultural Experiment Station; often cited as Koshimizu 1988), as Japanese prefectural
// plant protection offices apply them to AMeDAS data (Oita, Miyazaki, Shiga, Mie, Miyagi prefectures; the
// thresholds are quoted in docs/agronomy.md). BLASTAM estimates leaf wetness from rain, wind and sunshine; a
// village station measures relative humidity instead, so wetness here is estimated from RH (humidity.ts).
//
// Chilli anthracnose (Colletotrichum) is not modelled: no published, validated weather rule with numbers was
// found for it (docs/agronomy.md).

import { tzOffsetMs } from '@lumbung/schemas/time';
import type { Bilingual } from './crop.ts';
import { isLeafWet, type WetnessOptions } from './humidity.ts';

/** One hour of station data. */
export interface BlastHour {
  /** Time of the hour [epoch ms, UTC]. */
  time: number;
  /** Mean air temperature [°C]. */
  temperature: number;
  /** Mean relative humidity [%]. */
  rh: number;
  /** Rain [mm]. */
  rain?: number;
  /** Mean wind speed [m/s]. */
  wind?: number;
}

/**
 * Leaf wetness hours needed for infection at each whole-degree mean temperature of the wet period, 15–25 °C
 * (BLASTAM, as tabulated by Mie Prefecture's plant protection office, table 2): 17 h at 15 °C down to 10 h
 * from 22 °C.
 */
export const BLASTAM_REQUIRED_HOURS: Readonly<Record<number, number>> = {
  15: 17,
  16: 15,
  17: 14,
  18: 13,
  19: 12,
  20: 11,
  21: 11,
  22: 10,
  23: 10,
  24: 10,
  25: 10,
};

/** BLASTAM's thresholds. */
export const BLASTAM = {
  /** No wet period shorter than this counts at all [h]. */
  minWetHours: 10,
  /** Mean temperature during the wet period [°C]. */
  wetTemperature: [15, 25] as const,
  /** Mean of the daily mean temperatures of the day and the four before it [°C]. */
  fiveDayTemperature: [20, 25] as const,
  /** Rain that washes the spores off and ends a wet period [mm/h], or that rate held two hours. */
  washRain: 4,
  washRain2h: 3,
};

/**
 * ● favourable; quasi-favourable 1 (5-day mean below 20 °C), 2 (above 25 °C), 3 (wet-period temperature outside
 * 15–25 °C), 4 (wet period shorter than its temperature needs); none; unknown (data missing).
 */
export type BlastamCode = 'favourable' | 'quasi-1' | 'quasi-2' | 'quasi-3' | 'quasi-4' | 'none' | 'unknown';
export type BlastRisk = 'high' | 'moderate' | 'low' | 'unknown';

export const RISK_LABELS: Readonly<Record<BlastRisk, Bilingual>> = {
  high: { id: 'tinggi', en: 'high' },
  moderate: { id: 'sedang', en: 'moderate' },
  low: { id: 'rendah', en: 'low' },
  unknown: { id: 'tidak diketahui', en: 'unknown' },
};

const RISK: Record<BlastamCode, BlastRisk> = {
  favourable: 'high',
  'quasi-1': 'moderate',
  'quasi-2': 'moderate',
  'quasi-3': 'moderate',
  'quasi-4': 'moderate',
  none: 'low',
  unknown: 'unknown',
};

/** Wet hours BLASTAM needs at a mean temperature (undefined outside 15–25 °C); the lower whole degree's value. */
export function requiredWetHours(meanTemperature: number): number | undefined {
  const [lo, hi] = BLASTAM.wetTemperature;
  if (!(meanTemperature >= lo && meanTemperature <= hi)) return undefined;
  return BLASTAM_REQUIRED_HOURS[Math.floor(meanTemperature)];
}

/**
 * BLASTAM's verdict on one wet period: favourable when all three conditions hold (wet long enough for its mean
 * temperature, that temperature 15–25 °C, the 5-day mean temperature 20–25 °C), quasi-favourable when exactly
 * one fails, none when more fail or the leaves were wet less than 10 hours. `fiveDayMean` undefined (missing
 * data) gives unknown wherever it would decide the verdict.
 */
export function blastamClassify(
  wetHours: number,
  wetMeanTemperature: number,
  fiveDayMean: number | undefined,
): BlastamCode {
  if (wetHours < BLASTAM.minWetHours) return 'none';
  const required = requiredWetHours(wetMeanTemperature);
  const temperatureOk = required !== undefined;
  const longEnough = required === undefined || wetHours >= required;
  const wetFails = (temperatureOk ? 0 : 1) + (longEnough ? 0 : 1);
  if (wetFails > 1) return 'none';
  if (fiveDayMean === undefined) return 'unknown';
  const [lo, hi] = BLASTAM.fiveDayTemperature;
  const fiveDayOk = fiveDayMean >= lo && fiveDayMean <= hi;
  if (wetFails === 0) return fiveDayOk ? 'favourable' : fiveDayMean < lo ? 'quasi-1' : 'quasi-2';
  if (!fiveDayOk) return 'none';
  return temperatureOk ? 'quasi-4' : 'quasi-3';
}

export interface WetPeriod {
  /** First and last hour [epoch ms]. */
  start: number;
  end: number;
  hours: number;
  meanTemperature: number;
}

export interface BlastamOptions {
  /** IANA zone of the village: a day is its local day. Default Asia/Jakarta. */
  timeZone?: string;
  wetness?: WetnessOptions;
  /** Hours a day needs for its mean temperature to count. Default 20 of 24. */
  minHoursPerDay?: number;
}

export interface BlastRiskDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  code: BlastamCode;
  risk: BlastRisk;
  label: Bilingual;
  /** The wet period judged (the day's most favourable one ending that day), if any. */
  wetPeriod: WetPeriod | null;
  /** Mean of the daily mean temperatures of this day and the four before [°C], if all five are known. */
  fiveDayMean: number | null;
  reasons: Bilingual[];
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Wet periods in hourly data: runs of consecutive wet hours (see humidity.ts `isLeafWet`). A run ends at a dry
 * hour, a missing hour, or rain heavy enough to wash the spores off (≥ 4 mm in an hour, or ≥ 3 mm in two hours
 * running, as Oita Prefecture describes BLASTAM); the heavy-rain hour itself starts no run.
 */
export function wetPeriods(hours: readonly BlastHour[], wetness: WetnessOptions = {}): WetPeriod[] {
  const out: WetPeriod[] = [];
  let start = 0;
  let last = Number.NEGATIVE_INFINITY;
  let n = 0;
  let sumT = 0;
  const close = () => {
    if (n > 0) out.push({ start, end: last, hours: n, meanTemperature: sumT / n });
    n = 0;
    sumT = 0;
  };
  let prevRain = 0;
  let prevTime = Number.NEGATIVE_INFINITY;
  for (const h of hours) {
    if (h.time <= prevTime) throw new RangeError('hourly records must be in ascending time order, without duplicates');
    const rain = h.rain ?? 0;
    const contiguous = h.time - prevTime <= 1.5 * HOUR;
    const washed =
      rain >= BLASTAM.washRain || (rain >= BLASTAM.washRain2h && prevRain >= BLASTAM.washRain2h && contiguous);
    if (n > 0 && (!contiguous || washed)) close();
    if (!washed && isLeafWet(h, wetness)) {
      if (n === 0) start = h.time;
      n++;
      sumT += h.temperature;
      last = h.time;
    } else if (n > 0) {
      close();
    }
    prevRain = rain;
    prevTime = h.time;
  }
  close();
  return out;
}

const fmt = (x: number, lang: 'id' | 'en') => (lang === 'id' ? x.toFixed(1).replace('.', ',') : x.toFixed(1));

function reasonsFor(code: BlastamCode, period: WetPeriod | null, fiveDayMean: number | null): Bilingual[] {
  const reasons: Bilingual[] = [];
  if (!period || period.hours < BLASTAM.minWetHours) {
    const h = period ? period.hours : 0;
    reasons.push({
      id: `Daun basah paling lama ${h} jam berturut-turut; infeksi perlu minimal ${BLASTAM.minWetHours} jam.`,
      en: `Leaves wet at most ${h} hours running; infection needs at least ${BLASTAM.minWetHours} hours.`,
    });
    return reasons;
  }
  const t = period.meanTemperature;
  const req = requiredWetHours(t);
  reasons.push({
    id: `Daun basah ${period.hours} jam berturut-turut, suhu rata-rata ${fmt(t, 'id')} °C${req !== undefined ? ` (perlu ${req} jam pada suhu ini)` : ' (di luar 15–25 °C)'}.`,
    en: `Leaves wet ${period.hours} hours running at a mean ${fmt(t, 'en')} °C${req !== undefined ? ` (${req} hours needed at this temperature)` : ' (outside 15–25 °C)'}.`,
  });
  if (fiveDayMean !== null) {
    reasons.push({
      id: `Rata-rata suhu 5 hari terakhir ${fmt(fiveDayMean, 'id')} °C (cocok untuk blas: 20–25 °C).`,
      en: `Mean temperature of the last 5 days ${fmt(fiveDayMean, 'en')} °C (favours blast: 20–25 °C).`,
    });
  } else if (code === 'unknown') {
    reasons.push({
      id: 'Data suhu 5 hari terakhir tidak lengkap.',
      en: 'Temperature data for the last 5 days are incomplete.',
    });
  }
  return reasons;
}

const RANK: Record<BlastamCode, number> = {
  favourable: 6,
  unknown: 5,
  'quasi-1': 4,
  'quasi-2': 4,
  'quasi-3': 4,
  'quasi-4': 4,
  none: 0,
};

/**
 * Daily leaf blast risk from hourly station data, one entry per local day from the first to the last hour:
 * high on a BLASTAM favourable day, moderate on a quasi-favourable one, low otherwise, unknown when the
 * temperatures needed are missing. A wet period belongs to the day on which it ends (an overnight dew period,
 * the usual infection window, to the morning it dries). BLASTAM was calibrated in Japan: in the lowland tropics
 * the 5-day mean is often above 25 °C, which the rules rate quasi-favourable (code quasi-2), not favourable.
 */
export function blastRisk(hours: readonly BlastHour[], options: BlastamOptions = {}): BlastRiskDay[] {
  if (hours.length === 0) return [];
  const timeZone = options.timeZone ?? 'Asia/Jakarta';
  const minHours = options.minHoursPerDay ?? 20;
  const localDay = (t: number) => Math.floor((t + tzOffsetMs(timeZone, t)) / DAY);
  const first = localDay(hours[0]!.time);
  const last = localDay(hours[hours.length - 1]!.time);
  const span = last - first + 1;
  const sum = new Float64Array(span);
  const count = new Uint16Array(span);
  for (const h of hours) {
    const d = localDay(h.time) - first;
    sum[d]! += h.temperature;
    count[d]! += 1;
  }
  const periods = wetPeriods(hours, options.wetness);
  const best: (WetPeriod | null)[] = new Array(span).fill(null);
  const bestCode: BlastamCode[] = new Array(span).fill('none');
  const fiveDay = (d: number): number | undefined => {
    if (d < 4) return undefined;
    let s = 0;
    for (let k = d - 4; k <= d; k++) {
      if (count[k]! < minHours) return undefined;
      s += sum[k]! / count[k]!;
    }
    return s / 5;
  };
  for (const p of periods) {
    const d = localDay(p.end) - first;
    const code = blastamClassify(p.hours, p.meanTemperature, fiveDay(d));
    const current = best[d];
    if (
      current === null ||
      RANK[code] > RANK[bestCode[d]!] ||
      (RANK[code] === RANK[bestCode[d]!] && p.hours > current!.hours)
    ) {
      best[d] = p;
      bestCode[d] = code;
    }
  }
  const out: BlastRiskDay[] = new Array(span);
  for (let d = 0; d < span; d++) {
    const code = bestCode[d]!;
    const risk = RISK[code];
    const f = fiveDay(d);
    out[d] = {
      date: new Date((first + d) * DAY).toISOString().slice(0, 10),
      code,
      risk,
      label: RISK_LABELS[risk],
      wetPeriod: best[d] ?? null,
      fiveDayMean: f ?? null,
      reasons: reasonsFor(code, best[d] ?? null, f ?? null),
    };
  }
  return out;
}
