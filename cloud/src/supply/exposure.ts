// What a lot went through while it was stored: for each stay in a room, the temperature and humidity the
// room's sensors recorded, against the product's storage spec. Each reading stands for the time until the
// next one, but for at most `maxGapMs`: a sensor that went quiet says nothing about the hours after.
// Definitions and the inspection policy: docs/supply-chain-calculations.md.
import { activationTemperature, arrheniusFactor, mktFromMeanFactor } from './mkt.ts';

export interface Point {
  ts: number;
  value: number;
}

/** A room's readings, each series sorted by `ts` (epoch ms). Gaps are allowed. */
export interface RoomReadings {
  temperature: readonly Point[];
  humidity: readonly Point[];
}

/** Storage conditions of the product (°C, % RH); a missing limit is not checked. Limits are inside. */
export interface StorageSpec {
  temperatureMin?: number;
  temperatureMax?: number;
  humidityMin?: number;
  humidityMax?: number;
}

/** The lot was in `roomId` during [from, to) (epoch ms); `to` = now for the room it is in. */
export interface Stay {
  roomId: string;
  from: number;
  to: number;
}

/**
 * When a lot's exposure is serious enough that someone should look at the product before it is sold.
 * These are Lumbung's policy, not numbers from a standard: good storage practice (WHO TRS 961 Annex 9)
 * asks that every excursion be recorded and assessed, and leaves the limits to the product's stability
 * data, which a village producer does not have. Each limit is exceeded strictly (exactly 2 h is fine).
 */
export interface ExposurePolicy {
  /**
   * A run outside the spec shorter than this is a spike, not an excursion (a data logger's alarm delay):
   * a door opened for a delivery warms the air at the sensor for minutes, not the stock. Spikes still
   * count in `outsideMs`; excursions, their time (`excursionMs`) and the limits below leave them out.
   */
  minExcursionMs: number;
  /** Cumulative time in excursions of the temperature outside the spec. */
  temperatureOutsideMaxMs: number;
  /** One uninterrupted excursion of temperature outside the spec. */
  temperatureExcursionMaxMs: number;
  /** Flag when the mean kinetic temperature is above the spec's maximum. */
  mktAboveMax: boolean;
  /** Cumulative time in excursions of the humidity outside the spec. */
  humidityOutsideMaxMs: number;
  /** Time without readings of a metric the spec limits: unknown exposure. */
  noDataMaxMs: number;
}

const HOUR = 3_600_000;

export const EXPOSURE_POLICY: Readonly<ExposurePolicy> = Object.freeze({
  // Cold-room loggers commonly delay a temperature alarm by 15-30 minutes for door openings.
  minExcursionMs: 30 * 60_000,
  // A working day's worth of small excursions (a door left open, a power cut) adds up to about this.
  temperatureOutsideMaxMs: 2 * HOUR,
  // Long enough for a product to warm through, unlike a brief spike at the sensor.
  temperatureExcursionMaxMs: 1 * HOUR,
  // MKT above the labelled maximum means the product aged as if stored too warm the whole time (USP <1079.2>).
  mktAboveMax: true,
  // Dry goods take up moisture over hours, not minutes (kerupuk, rice, coffee above ~65-70 % RH).
  humidityOutsideMaxMs: 6 * HOUR,
  // A full day unmonitored is a day nobody can vouch for.
  noDataMaxMs: 24 * HOUR,
});

export type ExposureReason =
  | 'temperature_outside_total'
  | 'temperature_excursion_long'
  | 'temperature_mkt_above_max'
  | 'humidity_outside_total'
  | 'temperature_no_data'
  | 'humidity_no_data';

/** Text for each reason: Bahasa Indonesia first, English second. */
export const EXPOSURE_REASON_TEXT: Readonly<Record<ExposureReason, { id: string; en: string }>> = {
  temperature_outside_total: {
    id: 'Suhu di luar batas simpan terlalu lama (total)',
    en: 'Temperature outside the storage range for too long in total',
  },
  temperature_excursion_long: {
    id: 'Satu kali penyimpangan suhu berlangsung terlalu lama',
    en: 'A single temperature excursion lasted too long',
  },
  temperature_mkt_above_max: {
    id: 'Suhu kinetik rata-rata (MKT) di atas suhu simpan maksimum',
    en: 'Mean kinetic temperature above the maximum storage temperature',
  },
  humidity_outside_total: {
    id: 'Kelembapan di luar batas simpan terlalu lama (total)',
    en: 'Humidity outside the storage range for too long in total',
  },
  temperature_no_data: { id: 'Suhu tidak terpantau terlalu lama', en: 'Temperature not monitored for too long' },
  humidity_no_data: { id: 'Kelembapan tidak terpantau terlalu lama', en: 'Humidity not monitored for too long' },
};

export interface MetricExposure {
  /** Lowest and highest reading that stood for part of the window; null without data. */
  min: number | null;
  max: number | null;
  /** Time-weighted mean over the time with data; null without data. */
  mean: number | null;
  /** Time with a reading outside the spec's range, spikes included. */
  outsideMs: number;
  /** Time in excursions: runs outside lasting at least the policy's `minExcursionMs`. */
  excursionMs: number;
  /**
   * Runs of consecutive readings outside the range lasting at least `minExcursionMs`; a run ends at the
   * first reading back inside.
   */
  excursions: number;
  /** Time outside the range during the longest excursion (gaps without data inside a run are not counted). */
  longestExcursionMs: number;
  /** Time of the window no reading stood for. */
  noDataMs: number;
  /** Readings that stood for part of the window (the one before the window's start may be among them). */
  samples: number;
}

export interface TemperatureExposure extends MetricExposure {
  /** Mean kinetic temperature over the time with data (USP <1079.2>, ΔH/R = 10,000 K); null without data. */
  mkt: number | null;
}

export interface ExposureSummary {
  from: number;
  to: number;
  durationMs: number;
  temperature: TemperatureExposure;
  humidity: MetricExposure;
  /** Someone should inspect the product (see `EXPOSURE_POLICY`). */
  inspect: boolean;
  reasons: ExposureReason[];
}

export interface StayExposure extends ExposureSummary {
  roomId: string;
}

export interface LotExposure {
  /** The stays in time order. */
  stays: StayExposure[];
  /**
   * All stays together: sums of times, min/max/means/MKT over all readings. An excursion that runs on from
   * one stay into the next counts once here (and once in each stay).
   */
  total: ExposureSummary;
}

export interface LotExposureInput {
  stays: readonly Stay[];
  /** Readings by roomId; a room without an entry has no data. */
  readings: ReadonlyMap<string, RoomReadings> | Readonly<Record<string, RoomReadings>>;
  spec: StorageSpec;
  /** The longest time one reading may stand for (e.g. 3 × the sensor's interval). */
  maxGapMs: number;
  policy?: ExposurePolicy;
}

// ΔH/R for the MKT of storage exposure: USP <1079.2>'s default, 10,000 K.
const MKT_K = activationTemperature();

// One metric over one window, fed reading by reading: only numbers, so a 90-day series at 1-minute
// resolution (129,600 readings) costs no allocation per reading.
class MetricAccumulator {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  weighted = 0;
  coveredMs = 0;
  outsideMs = 0;
  excursionMs = 0;
  excursions = 0;
  longestMs = 0;
  samples = 0;
  noDataMs = 0;
  /** Σ duration × Arrhenius factor, for the MKT (temperature only). */
  arrhenius = 0;
  #inRun = false;
  #runMs = 0;

  constructor(
    readonly low: number,
    readonly high: number,
    readonly minRunMs: number,
  ) {}

  /** A run outside ends: an excursion when it lasted long enough. */
  #endRun(): void {
    if (this.#inRun && this.#runMs >= this.minRunMs && this.#runMs > 0) {
      this.excursions++;
      this.excursionMs += this.#runMs;
      if (this.#runMs > this.longestMs) this.longestMs = this.#runMs;
    }
    this.#inRun = false;
    this.#runMs = 0;
  }

  /** `factor`: the reading's Arrhenius factor, computed once for both the stay and the total. */
  add(value: number, ms: number, factor: number): void {
    this.samples++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.weighted += value * ms;
    this.coveredMs += ms;
    this.arrhenius += factor * ms;
    if (value < this.low || value > this.high) {
      this.outsideMs += ms;
      this.#inRun = true;
      this.#runMs += ms;
    } else this.#endRun();
  }

  result(): MetricExposure {
    this.#endRun();
    const any = this.coveredMs > 0;
    return {
      min: any ? this.min : null,
      max: any ? this.max : null,
      mean: any ? this.weighted / this.coveredMs : null,
      outsideMs: this.outsideMs,
      excursionMs: this.excursionMs,
      excursions: this.excursions,
      longestExcursionMs: this.longestMs,
      noDataMs: this.noDataMs,
      samples: this.samples,
    };
  }

  mkt(): number | null {
    return this.coveredMs > 0 ? mktFromMeanFactor(this.arrhenius / this.coveredMs, MKT_K) : null;
  }
}

// Feeds the readings that stand for part of [from, to) to both accumulators, each for the part of its time
// inside the window; returns the time no reading stood for. One binary search, then one pass.
function scan(
  points: readonly Point[],
  from: number,
  to: number,
  maxGapMs: number,
  stay: MetricAccumulator,
  total: MetricAccumulator,
  withMkt: boolean,
): number {
  const n = points.length;
  let covered = 0;
  // The last reading at or before `from` may still stand for the start of the window.
  let lo = 0;
  let hi = n - 1;
  let i = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.ts <= from) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (; i < n; i++) {
    const p = points[i]!;
    if (p.ts >= to) break;
    const next = i + 1 < n ? points[i + 1]!.ts : Number.POSITIVE_INFINITY;
    const end = Math.min(next, p.ts + maxGapMs, to);
    const ms = end - Math.max(p.ts, from);
    if (ms > 0 && Number.isFinite(p.value)) {
      const factor = withMkt ? arrheniusFactor(p.value, MKT_K) : 0;
      stay.add(p.value, ms, factor);
      total.add(p.value, ms, factor);
      covered += ms;
    }
  }
  return to - from - covered;
}

/** Temperature and humidity exposure of a lot over its stays, per stay and in total. */
export function lotExposure(input: LotExposureInput): LotExposure {
  const { spec, maxGapMs } = input;
  const policy = input.policy ?? EXPOSURE_POLICY;
  if (!(maxGapMs > 0)) throw new RangeError(`maxGapMs must be > 0, got ${maxGapMs}`);
  const stays = [...input.stays].sort((a, b) => a.from - b.from);
  for (const [k, s] of stays.entries()) {
    if (!Number.isFinite(s.from) || !Number.isFinite(s.to) || s.to < s.from) {
      throw new RangeError(`stay in ${s.roomId} must have from <= to, got ${s.from}..${s.to}`);
    }
    const prev = stays[k - 1];
    if (prev && s.from < prev.to) throw new RangeError(`stays in ${prev.roomId} and ${s.roomId} overlap`);
  }
  const roomReadings = (roomId: string): RoomReadings | undefined =>
    input.readings instanceof Map
      ? input.readings.get(roomId)
      : (input.readings as Readonly<Record<string, RoomReadings>>)[roomId];

  const tLow = spec.temperatureMin ?? Number.NEGATIVE_INFINITY;
  const tHigh = spec.temperatureMax ?? Number.POSITIVE_INFINITY;
  const hLow = spec.humidityMin ?? Number.NEGATIVE_INFINITY;
  const hHigh = spec.humidityMax ?? Number.POSITIVE_INFINITY;
  const totalT = new MetricAccumulator(tLow, tHigh, policy.minExcursionMs);
  const totalH = new MetricAccumulator(hLow, hHigh, policy.minExcursionMs);

  const out: StayExposure[] = [];
  for (const s of stays) {
    const r = roomReadings(s.roomId);
    const t = new MetricAccumulator(tLow, tHigh, policy.minExcursionMs);
    const h = new MetricAccumulator(hLow, hHigh, policy.minExcursionMs);
    t.noDataMs = scan(r?.temperature ?? [], s.from, s.to, maxGapMs, t, totalT, true);
    h.noDataMs = scan(r?.humidity ?? [], s.from, s.to, maxGapMs, h, totalH, false);
    totalT.noDataMs += t.noDataMs;
    totalH.noDataMs += h.noDataMs;
    out.push({ roomId: s.roomId, ...summarise(s.from, s.to, s.to - s.from, t, h, spec, policy) });
  }
  const from = stays[0]?.from ?? 0;
  const to = stays[stays.length - 1]?.to ?? 0;
  const duration = stays.reduce((sum, s) => sum + (s.to - s.from), 0);
  return { stays: out, total: summarise(from, to, duration, totalT, totalH, spec, policy) };
}

function summarise(
  from: number,
  to: number,
  durationMs: number,
  t: MetricAccumulator,
  h: MetricAccumulator,
  spec: StorageSpec,
  policy: ExposurePolicy,
): ExposureSummary {
  const temperature: TemperatureExposure = { ...t.result(), mkt: t.mkt() };
  const humidity = h.result();
  const reasons: ExposureReason[] = [];
  const limitsT = spec.temperatureMin !== undefined || spec.temperatureMax !== undefined;
  const limitsH = spec.humidityMin !== undefined || spec.humidityMax !== undefined;
  if (temperature.excursionMs > policy.temperatureOutsideMaxMs) reasons.push('temperature_outside_total');
  if (temperature.longestExcursionMs > policy.temperatureExcursionMaxMs) reasons.push('temperature_excursion_long');
  if (
    policy.mktAboveMax &&
    spec.temperatureMax !== undefined &&
    temperature.mkt !== null &&
    temperature.mkt > spec.temperatureMax
  ) {
    reasons.push('temperature_mkt_above_max');
  }
  if (humidity.excursionMs > policy.humidityOutsideMaxMs) reasons.push('humidity_outside_total');
  if (limitsT && temperature.noDataMs > policy.noDataMaxMs) reasons.push('temperature_no_data');
  if (limitsH && humidity.noDataMs > policy.noDataMaxMs) reasons.push('humidity_no_data');
  return { from, to, durationMs, temperature, humidity, inspect: reasons.length > 0, reasons };
}
