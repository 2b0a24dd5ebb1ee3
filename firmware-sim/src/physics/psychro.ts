/** Saturation vapour pressure, kPa, at air temperature °C: the Magnus-Tetens form of FAO-56 Eq. 11. */
export const saturationVapourPressure = (t: number): number => 0.6108 * Math.exp((17.27 * t) / (t + 237.3));

/** Dew point, °C, of a vapour pressure in kPa: FAO-56 Eq. 11 solved for T. */
export function dewPointOf(vapourKPa: number): number {
  const x = Math.log(vapourKPa / 0.6108);
  return (237.3 * x) / (17.27 - x);
}

/** Relative humidity, %, from air temperature and dew point (FAO-56 Eq. 10 with e = e°(Tdew), Eq. 14). */
export const relativeHumidity = (t: number, dewPoint: number): number =>
  (100 * saturationVapourPressure(dewPoint)) / saturationVapourPressure(t);
