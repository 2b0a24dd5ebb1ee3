// Dew point, heat index and leaf wetness from what a village weather station measures (temperature, relative
// humidity, rain, wind). Inputs and outputs in °C; the heat index is computed in °F, as the NWS defines it.

// Magnus formula coefficients of Alduchov & Eskridge (1996, J. Appl. Meteorol. 35: 601–609), "AERK" over water:
// es = 6.1094 exp(17.625 T / (243.04 + T)) hPa, within 0.4 % of the reference for −40 to 50 °C.
const A = 17.625;
const B = 243.04;

/**
 * Dew point [°C] from air temperature [°C] and relative humidity [%] by the Magnus formula with the Alduchov &
 * Eskridge (1996) coefficients: γ = ln(RH/100) + A T/(B + T), Td = B γ / (A − γ).
 */
export function dewPoint(t: number, rh: number): number {
  if (!(rh > 0 && rh <= 100)) throw new RangeError(`relative humidity must be in (0, 100] %, got ${rh}`);
  const g = Math.log(rh / 100) + (A * t) / (B + t);
  return (B * g) / (A - g);
}

/** Relative humidity [%] from air temperature and dew point [°C]: the inverse of `dewPoint`. */
export function relativeHumidity(t: number, td: number): number {
  return 100 * Math.exp((A * td) / (B + td) - (A * t) / (B + t));
}

export const celsiusToFahrenheit = (c: number): number => (c * 9) / 5 + 32;
export const fahrenheitToCelsius = (f: number): number => ((f - 32) * 5) / 9;

/**
 * Heat index [°F] from temperature [°F] and relative humidity [%], as the NWS Weather Prediction Center computes
 * it ("The Heat Index Equation"): Steadman's simple formula first, averaged with the temperature,
 * HI = 0.5 {T + 61 + 1.2 (T − 68) + 0.094 RH}; when that reaches 80 °F, the Rothfusz (1990, NWS SR 90-23)
 * regression instead, less [(13 − RH)/4] √{[17 − |T − 95|]/17} when RH < 13 % and 80 ≤ T ≤ 112 °F, plus
 * [(RH − 85)/10] [(87 − T)/5] when RH > 85 % and 80 ≤ T ≤ 87 °F.
 */
export function heatIndexF(t: number, rh: number): number {
  const simple = 0.5 * (t + 61 + (t - 68) * 1.2 + rh * 0.094);
  if (simple < 80) return simple;
  let hi =
    -42.379 +
    2.04901523 * t +
    10.14333127 * rh -
    0.22475541 * t * rh -
    0.00683783 * t * t -
    0.05481717 * rh * rh +
    0.00122874 * t * t * rh +
    0.00085282 * t * rh * rh -
    0.00000199 * t * t * rh * rh;
  if (rh < 13 && t >= 80 && t <= 112) hi -= ((13 - rh) / 4) * Math.sqrt((17 - Math.abs(t - 95)) / 17);
  else if (rh > 85 && t >= 80 && t <= 87) hi += ((rh - 85) / 10) * ((87 - t) / 5);
  return hi;
}

/** Heat index [°C] from temperature [°C] and relative humidity [%] (NWS equation, see `heatIndexF`). */
export function heatIndex(t: number, rh: number): number {
  if (!(rh >= 0 && rh <= 100)) throw new RangeError(`relative humidity must be in [0, 100] %, got ${rh}`);
  return fahrenheitToCelsius(heatIndexF(celsiusToFahrenheit(t), rh));
}

/** An hour of station data. */
export interface WetnessHour {
  /** Relative humidity [%] (mean of the hour). */
  rh: number;
  /** Rain in the hour [mm]. */
  rain?: number;
  /** Mean wind speed [m/s]. */
  wind?: number;
}

export interface WetnessOptions {
  /** RH at or above which the leaves count as wet. Default 90 %. */
  rhThreshold?: number;
  /** Without rain, wind above this dries the leaves [m/s]. Default 3 (as Japanese BLASTAM practice). */
  dryingWind?: number;
}

/**
 * Whether the leaves were wet in an hour, estimated from the station: rain, or RH at or above the threshold
 * unless a dry wind blew. Leaf wetness sensors are rare in villages; the constant "RH ≥ 90 %" model is the one
 * that performed best of the RH-based estimators compared by Sentelhas et al. (2008, Agric. For. Meteorol.
 * 148: 392–400), though it can miss or add a few hours a day.
 */
export function isLeafWet(hour: WetnessHour, options: WetnessOptions = {}): boolean {
  if ((hour.rain ?? 0) > 0) return true;
  if (hour.wind !== undefined && hour.wind > (options.dryingWind ?? 3)) return false;
  return hour.rh >= (options.rhThreshold ?? 90);
}

/** Hours of leaf wetness in a run of hourly records (see `isLeafWet`). */
export function leafWetnessHours(hours: readonly WetnessHour[], options: WetnessOptions = {}): number {
  let n = 0;
  for (const h of hours) if (isLeafWet(h, options)) n++;
  return n;
}
