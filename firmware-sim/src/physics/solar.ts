/**
 * Sun position and extraterrestrial radiation after FAO Irrigation and Drainage Paper 56
 * (Allen et al. 1998), chapter 3. Angles in radians unless the name says degrees.
 */

/** Solar constant, W/m² (FAO-56 Gsc = 0.0820 MJ m⁻² min⁻¹). */
export const SOLAR_CONSTANT_W = (0.082 * 1e6) / 60;

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Day of the year (1..366) of a UTC timestamp. */
export function dayOfYearUtc(ts: number): number {
  const d = new Date(ts);
  return Math.floor((ts - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** Inverse relative distance Earth-Sun, FAO-56 Eq. 23. */
export const inverseRelativeDistance = (J: number): number => 1 + 0.033 * Math.cos(((2 * Math.PI) / 365) * J);

/** Solar declination, rad, FAO-56 Eq. 24. */
export const solarDeclination = (J: number): number => 0.409 * Math.sin(((2 * Math.PI) / 365) * J - 1.39);

/** Sunset hour angle, rad, FAO-56 Eq. 25. */
export const sunsetHourAngle = (latitudeDeg: number, J: number): number =>
  Math.acos(Math.max(-1, Math.min(1, -Math.tan(rad(latitudeDeg)) * Math.tan(solarDeclination(J)))));

/** Seasonal correction for solar time (equation of time), hours, FAO-56 Eq. 32-33. */
export function seasonalCorrection(J: number): number {
  const b = (2 * Math.PI * (J - 81)) / 364;
  return 0.1645 * Math.sin(2 * b) - 0.1255 * Math.cos(b) - 0.025 * Math.sin(b);
}

/**
 * Local solar time in hours (12 = solar noon) at a longitude, east positive. FAO-56 Eq. 31 with the
 * standard meridian at Greenwich (UTC), so Lz - Lm becomes the longitude east of it.
 */
export function solarHour(ts: number, longitudeDeg: number): number {
  const utcHours = (ts % 86_400_000) / 3_600_000;
  const h = utcHours + longitudeDeg / 15 + seasonalCorrection(dayOfYearUtc(ts));
  return ((h % 24) + 24) % 24;
}

/** Daily extraterrestrial radiation Ra, MJ m⁻² day⁻¹, FAO-56 Eq. 21. */
export function dailyExtraterrestrialRadiation(latitudeDeg: number, J: number): number {
  const phi = rad(latitudeDeg);
  const dr = inverseRelativeDistance(J);
  const d = solarDeclination(J);
  const ws = sunsetHourAngle(latitudeDeg, J);
  return (
    ((24 * 60) / Math.PI) * 0.082 * dr * (ws * Math.sin(phi) * Math.sin(d) + Math.cos(phi) * Math.cos(d) * Math.sin(ws))
  );
}

/**
 * Instantaneous extraterrestrial irradiance on a horizontal surface, W/m²: the integrand of FAO-56
 * Eq. 21/28, Gsc·dr·(sinφ sinδ + cosφ cosδ cosω), zero while the sun is below the horizon.
 */
export function extraterrestrialIrradiance(ts: number, latitudeDeg: number, longitudeDeg: number): number {
  const J = dayOfYearUtc(ts);
  const phi = rad(latitudeDeg);
  const d = solarDeclination(J);
  const omega = (Math.PI / 12) * (solarHour(ts, longitudeDeg) - 12);
  const cosZ = Math.sin(phi) * Math.sin(d) + Math.cos(phi) * Math.cos(d) * Math.cos(omega);
  return cosZ > 0 ? SOLAR_CONSTANT_W * inverseRelativeDistance(J) * cosZ : 0;
}

/** Clear-sky fraction of extraterrestrial radiation at an elevation, FAO-56 Eq. 37 (Rso = (0.75 + 2e-5 z) Ra). */
export const clearSkyFactor = (elevationM: number): number => 0.75 + 2e-5 * elevationM;
