// Radiation and soil heat flux of FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), chapter 3.
// Latitudes and longitudes are in degrees (north and east positive); radiation in MJ m⁻² per day, or per
// hour for the hourly functions; temperatures in °C.

/** Solar constant Gsc [MJ m⁻² min⁻¹] (FAO-56 Eq. 21). */
export const SOLAR_CONSTANT = 0.082;
/** Stefan-Boltzmann constant σ [MJ K⁻⁴ m⁻² day⁻¹] (FAO-56 Eq. 39); per hour it is σ/24 (FAO-56 p. 74). */
export const STEFAN_BOLTZMANN = 4.903e-9;
/** Albedo of the grass reference surface (FAO-56 Eq. 38). */
export const REFERENCE_ALBEDO = 0.23;
/** Angstrom coefficients recommended where none are calibrated (FAO-56 Eq. 35). */
export const ANGSTROM_AS = 0.25;
export const ANGSTROM_BS = 0.5;
/** Hargreaves radiation adjustment kRs [°C⁻⁰·⁵] for interior and coastal locations (FAO-56 Eq. 50). */
export const KRS_INTERIOR = 0.16;
export const KRS_COASTAL = 0.19;

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;

/** The Gregorian date of a YYYY-MM-DD string as [year, month, day], or undefined when it is no real date. */
function civilDate(date: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? [y, mo, d] : undefined;
}

/** Whether a string is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  return civilDate(date) !== undefined;
}

/** The number J of a YYYY-MM-DD date in its year, 1 on 1 January (FAO-56 Annex 2, Table 2.5; leap years count). */
export function dayOfYear(date: string): number {
  const c = civilDate(date);
  if (!c) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const [y, mo, d] = c;
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  const jan1 = new Date(0);
  jan1.setUTCFullYear(y, 0, 1);
  return Math.round((t.getTime() - jan1.getTime()) / DAY_MS) + 1;
}

/** Inverse relative distance Earth-Sun dr on day J (FAO-56 Eq. 23). */
export function inverseRelativeDistance(dayOfYear: number): number {
  return 1 + 0.033 * Math.cos(((2 * Math.PI) / 365) * dayOfYear);
}

/** Solar declination δ [rad] on day J (FAO-56 Eq. 24). */
export function solarDeclination(dayOfYear: number): number {
  return 0.409 * Math.sin(((2 * Math.PI) / 365) * dayOfYear - 1.39);
}

/**
 * Sunset hour angle ωs [rad] (FAO-56 Eq. 25). The argument of arccos is clamped to [-1, 1] so that polar
 * day (ωs = π) and polar night (ωs = 0) come out instead of NaN; FAO-56 Eq. 26-27 do the same with X ≥ 0.00001.
 */
export function sunsetHourAngle(latitudeRad: number, declination: number): number {
  const x = -Math.tan(latitudeRad) * Math.tan(declination);
  return Math.acos(x < -1 ? -1 : x > 1 ? 1 : x);
}

// Ra is asked for every plot and every day: the sines of the last latitude and of the last day are kept, so a
// loop over the days of one plot, or over the plots of one day, computes each only once.
let memoLatitude = Number.NaN;
let sinLat = 0;
let cosLat = 0;
let tanLat = 0;
let memoDay = Number.NaN;
let dayDr = 0;
let sinDec = 0;
let cosDec = 0;
let tanDec = 0;

function prepareSun(latitude: number, dayOfYear: number): void {
  if (latitude !== memoLatitude) {
    const phi = latitude * RAD;
    sinLat = Math.sin(phi);
    cosLat = Math.cos(phi);
    tanLat = Math.tan(phi);
    memoLatitude = latitude;
  }
  if (dayOfYear !== memoDay) {
    const delta = solarDeclination(dayOfYear);
    dayDr = inverseRelativeDistance(dayOfYear);
    sinDec = Math.sin(delta);
    cosDec = Math.cos(delta);
    tanDec = sinDec / cosDec;
    memoDay = dayOfYear;
  }
}

/** ωs of the prepared latitude and day (Eq. 25, clamped as in sunsetHourAngle). */
function preparedSunsetHourAngle(): number {
  const x = -tanLat * tanDec;
  return Math.acos(x < -1 ? -1 : x > 1 ? 1 : x);
}

/** Extraterrestrial radiation Ra [MJ m⁻² day⁻¹] of day J at a latitude [°] (FAO-56 Eq. 21-25). */
export function extraterrestrialRadiation(latitude: number, dayOfYear: number): number {
  prepareSun(latitude, dayOfYear);
  const ws = preparedSunsetHourAngle();
  return ((24 * 60) / Math.PI) * SOLAR_CONSTANT * dayDr * (ws * sinLat * sinDec + cosLat * cosDec * Math.sin(ws));
}

/** Daylight hours N [hour] of day J at a latitude [°] (FAO-56 Eq. 34). */
export function daylightHours(latitude: number, dayOfYear: number): number {
  prepareSun(latitude, dayOfYear);
  return (24 / Math.PI) * preparedSunsetHourAngle();
}

/** Seasonal correction Sc [hour] for solar time on day J (FAO-56 Eq. 32-33, the equation of time). */
export function seasonalCorrection(dayOfYear: number): number {
  const b = (2 * Math.PI * (dayOfYear - 81)) / 364;
  return 0.1645 * Math.sin(2 * b) - 0.1255 * Math.cos(b) - 0.025 * Math.sin(b);
}

/**
 * Solar time angle ω [rad] at a standard clock time [hour] (FAO-56 Eq. 31), wrapped to [-π, π).
 *
 * FAO-56 writes 0.06667 (Lz − Lm) with both longitudes in degrees WEST of Greenwich (Lz the centre of the
 * time zone, Lm the site). With an east-positive longitude and the zone's UTC offset, Lz = −15·offset and
 * Lm = −longitude, so Lz − Lm = longitude − 15·offset: Bangkok (100.5° E, UTC+7) is 100.5 − 105 = −4.5,
 * as FAO-56's Lz = 255, Lm = 259.5 give; N'Diaye in FAO-56 Example 19 (16.25° W, Lz = 15° W) is
 * −16.25 − 15·(−1) = −1.25. The difference is taken directly, so no wrap of 360° can creep in.
 */
export function solarTimeAngle(
  clockTime: number,
  longitude: number,
  utcOffsetHours: number,
  dayOfYear: number,
): number {
  const w =
    (Math.PI / 12) * (clockTime + 0.06667 * (longitude - 15 * utcOffsetHours) + seasonalCorrection(dayOfYear) - 12);
  return w - 2 * Math.PI * Math.floor((w + Math.PI) / (2 * Math.PI));
}

/** The sun's path over one period of an hourly calculation, and its extraterrestrial radiation. */
export interface PeriodSun {
  /** Solar time angle at the midpoint of the period [rad] (FAO-56 Eq. 31). */
  omega: number;
  /** Solar time angles at the start and end of the period, within sunrise and sunset [rad] (Eq. 29-30). */
  omega1: number;
  omega2: number;
  /** Sunset hour angle [rad] (Eq. 25). */
  omegaS: number;
  /** Extraterrestrial radiation in the period [MJ m⁻² per period] (Eq. 28); 0 with the sun below the horizon. */
  ra: number;
}

/**
 * Extraterrestrial radiation of a period of `hours` hours starting at `hourStart` local standard time
 * (FAO-56 Eq. 28-33). The period's start and end angles are held within sunrise and sunset (ASCE-EWRI 2005
 * Eq. 56): FAO-56 only sets Ra to 0 when the midpoint is past sunset, which overstates an hour that
 * straddles it and drops one whose midpoint has just crossed.
 */
export function periodSun(
  latitude: number,
  longitude: number,
  utcOffsetHours: number,
  dayOfYear: number,
  hourStart: number,
  hours = 1,
): PeriodSun {
  const phi = latitude * RAD;
  const delta = solarDeclination(dayOfYear);
  const omegaS = sunsetHourAngle(phi, delta);
  const omega = solarTimeAngle(hourStart + hours / 2, longitude, utcOffsetHours, dayOfYear);
  const half = (Math.PI * hours) / 24;
  const omega1 = Math.min(Math.max(omega - half, -omegaS), omegaS);
  const omega2 = Math.min(Math.max(omega + half, -omegaS), omegaS);
  const ra =
    omega2 > omega1
      ? ((12 * 60) / Math.PI) *
        SOLAR_CONSTANT *
        inverseRelativeDistance(dayOfYear) *
        ((omega2 - omega1) * Math.sin(phi) * Math.sin(delta) +
          Math.cos(phi) * Math.cos(delta) * (Math.sin(omega2) - Math.sin(omega1)))
      : 0;
  return { omega, omega1, omega2, omegaS, ra };
}

/** Solar radiation Rs from the hours of bright sunshine n and the daylight hours N (Angstrom, FAO-56 Eq. 35). */
export function solarRadiationFromSunshine(
  ra: number,
  sunshineHours: number,
  daylight: number,
  as = ANGSTROM_AS,
  bs = ANGSTROM_BS,
): number {
  return (as + (bs * sunshineHours) / daylight) * ra;
}

/**
 * Solar radiation Rs from the daily temperature range (Hargreaves' radiation formula, FAO-56 Eq. 50), at most
 * the clear-sky radiation `rso` when given (FAO-56 p. 61). kRs is 0.16 inland and 0.19 on a coast; FAO-56
 * advises against it on islands narrower than about 20 km.
 */
export function solarRadiationFromTemperature(
  ra: number,
  tmax: number,
  tmin: number,
  krs = KRS_INTERIOR,
  rso = Number.POSITIVE_INFINITY,
): number {
  return Math.min(krs * Math.sqrt(Math.max(tmax - tmin, 0)) * ra, rso);
}

/** Clear-sky solar radiation Rso from Ra and the station elevation [m] (FAO-56 Eq. 37; at sea level Eq. 36). */
export function clearSkyRadiation(ra: number, elevation: number): number {
  return (0.75 + 2e-5 * elevation) * ra;
}

/** Net shortwave radiation Rns (FAO-56 Eq. 38). */
export function netShortwaveRadiation(rs: number, albedo = REFERENCE_ALBEDO): number {
  return (1 - albedo) * rs;
}

/**
 * Net outgoing longwave radiation Rnl [MJ m⁻² day⁻¹] of a day (FAO-56 Eq. 39). `rsRso` is the relative
 * shortwave radiation Rs/Rso, limited here to ≤ 1.0 as Eq. 39 requires.
 */
export function netLongwaveRadiation(tmax: number, tmin: number, ea: number, rsRso: number): number {
  // Squares squared: V8 turns a power with a constant exponent into a general pow call.
  const kmax2 = (tmax + 273.16) * (tmax + 273.16);
  const kmin2 = (tmin + 273.16) * (tmin + 273.16);
  return (
    ((STEFAN_BOLTZMANN * (kmax2 * kmax2 + kmin2 * kmin2)) / 2) *
    (0.34 - 0.14 * Math.sqrt(ea)) *
    (1.35 * Math.min(rsRso, 1) - 0.35)
  );
}

/**
 * Net outgoing longwave radiation Rnl [MJ m⁻² hour⁻¹] of an hour (FAO-56 Eq. 39 with σ/24 and the hour's mean
 * temperature, p. 74). `rsRso` is limited to ≤ 1.0.
 */
export function netLongwaveRadiationHourly(t: number, ea: number, rsRso: number): number {
  return (
    (STEFAN_BOLTZMANN / 24) * (t + 273.16) ** 4 * (0.34 - 0.14 * Math.sqrt(ea)) * (1.35 * Math.min(rsRso, 1) - 0.35)
  );
}

/**
 * Soil heat flux G [MJ m⁻² day⁻¹] of a month from the mean air temperatures of the months around it:
 * 0.07 (T next − T previous) when the next month is known (FAO-56 Eq. 43), else 0.14 (T this − T previous)
 * (Eq. 44). Daily and ten-day G is taken as 0 (Eq. 42).
 */
export function soilHeatFluxMonthly(tmeanPrevious: number, tmeanThis: number, tmeanNext?: number): number {
  return tmeanNext === undefined ? 0.14 * (tmeanThis - tmeanPrevious) : 0.07 * (tmeanNext - tmeanPrevious);
}

/** Soil heat flux G of an hour beneath dense grass: 0.1 Rn by day, 0.5 Rn by night (FAO-56 Eq. 45-46). */
export function soilHeatFluxHourly(rn: number, daytime: boolean): number {
  return (daytime ? 0.1 : 0.5) * rn;
}
