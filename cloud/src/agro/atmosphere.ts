// Atmospheric parameters, air humidity and wind of FAO Irrigation and Drainage Paper 56 (Allen et al. 1998),
// chapter 3. Pure functions of plain numbers: the daily ET0 of every plot of a season runs through them.
// Units are FAO-56's: °C, kPa, m, m/s.

// A season of one plot asks for the same elevation 365 times, and a fractional power costs more than the
// rest of the daily equation's arithmetic: the last answer is kept.
let lastElevation = Number.NaN;
let lastPressure = Number.NaN;

/** Atmospheric pressure [kPa] at an elevation [m] (FAO-56 Eq. 7). */
export function atmosphericPressure(elevation: number): number {
  if (elevation !== lastElevation) {
    lastPressure = 101.3 * ((293 - 0.0065 * elevation) / 293) ** 5.26;
    lastElevation = elevation;
  }
  return lastPressure;
}

/** Psychrometric constant γ [kPa °C⁻¹] from the atmospheric pressure [kPa] (FAO-56 Eq. 8, λ = 2.45 MJ kg⁻¹). */
export function psychrometricConstant(pressure: number): number {
  return 0.665e-3 * pressure;
}

/** Saturation vapour pressure e°(T) [kPa] at a temperature [°C] (FAO-56 Eq. 11). */
export function saturationVapourPressure(t: number): number {
  return 0.6108 * Math.exp((17.27 * t) / (t + 237.3));
}

/**
 * Mean saturation vapour pressure es [kPa] of a day (or a month of mean daily extremes) (FAO-56 Eq. 12).
 * The mean of e° at Tmax and Tmin, not e° at Tmean: e° is convex, so e°(Tmean) would understate the deficit.
 */
export function meanSaturationVapourPressure(tmax: number, tmin: number): number {
  return (saturationVapourPressure(tmax) + saturationVapourPressure(tmin)) / 2;
}

/** Slope Δ of the saturation vapour pressure curve [kPa °C⁻¹] at a temperature [°C] (FAO-56 Eq. 13). */
export function vapourPressureSlope(t: number): number {
  return (4098 * saturationVapourPressure(t)) / (t + 237.3) ** 2;
}

/** Actual vapour pressure ea [kPa] from the dewpoint temperature [°C] (FAO-56 Eq. 14). */
export function vapourPressureFromDewPoint(tdew: number): number {
  return saturationVapourPressure(tdew);
}

/** Actual vapour pressure ea [kPa] from the daily maximum and minimum relative humidity [%] (FAO-56 Eq. 17). */
export function vapourPressureFromRhMaxMin(tmax: number, tmin: number, rhmax: number, rhmin: number): number {
  return (saturationVapourPressure(tmin) * (rhmax / 100) + saturationVapourPressure(tmax) * (rhmin / 100)) / 2;
}

/**
 * Actual vapour pressure ea [kPa] from the maximum relative humidity [%] alone (FAO-56 Eq. 18): for sensors
 * whose RHmin is doubtful; RHmax is reached near dawn, at about Tmin.
 */
export function vapourPressureFromRhMax(tmin: number, rhmax: number): number {
  return saturationVapourPressure(tmin) * (rhmax / 100);
}

/** Actual vapour pressure ea [kPa] from the mean relative humidity [%] (FAO-56 Eq. 19, less recommended). */
export function vapourPressureFromRhMean(tmax: number, tmin: number, rhmean: number): number {
  return (rhmean / 100) * meanSaturationVapourPressure(tmax, tmin);
}

/** Actual vapour pressure ea [kPa] of an hour from its mean temperature [°C] and relative humidity [%] (FAO-56 Eq. 54). */
export function vapourPressureFromRh(t: number, rh: number): number {
  return saturationVapourPressure(t) * (rh / 100);
}

/**
 * Actual vapour pressure ea [kPa] when humidity data are missing: the dewpoint is taken as the daily
 * minimum temperature (FAO-56 Eq. 48). Eq. 48 prints the coefficient 0.611; we use Eq. 11's 0.6108, as
 * FAO-56 Example 20 does (Eq. 14 with Tdew ≈ Tmin), so that "ea from Tmin" equals "ea from Tdew = Tmin".
 */
export function vapourPressureFromTmin(tmin: number): number {
  return saturationVapourPressure(tmin);
}

/**
 * Wind speed at the standard 2 m height [m s⁻¹] from a speed measured at `height` metres above a short
 * grass surface, by the logarithmic wind profile (FAO-56 Eq. 47). A speed measured at 2 m is returned as
 * it is: the profile's factor there is 1.0002, a rounding artefact of the equation's constants.
 */
export function windSpeedAt2m(speed: number, height: number): number {
  return height === 2 ? speed : (speed * 4.87) / Math.log(67.8 * height - 5.42);
}
