// Reference evapotranspiration ET0 of the grass reference surface by the FAO Penman-Monteith method
// (FAO Irrigation and Drainage Paper 56, Allen et al. 1998, chapters 2-4), daily or monthly (Eq. 6) and
// hourly (Eq. 53), with FAO-56's procedures for missing humidity, radiation and wind data and the
// Hargreaves equation (Eq. 52) for comparison. docs/agronomy.md explains every step and the worked examples
// the tests reproduce.

import { z } from 'zod';
import {
  atmosphericPressure,
  meanSaturationVapourPressure,
  psychrometricConstant,
  saturationVapourPressure,
  vapourPressureFromDewPoint,
  vapourPressureFromRh,
  vapourPressureFromRhMax,
  vapourPressureFromRhMaxMin,
  vapourPressureFromRhMean,
  vapourPressureFromTmin,
  vapourPressureSlope,
  windSpeedAt2m,
} from './atmosphere.ts';
import {
  clearSkyRadiation,
  daylightHours,
  dayOfYear as dayOfYearOf,
  extraterrestrialRadiation,
  isCalendarDate,
  KRS_INTERIOR,
  netLongwaveRadiation,
  netLongwaveRadiationHourly,
  netShortwaveRadiation,
  periodSun,
  soilHeatFluxHourly,
  soilHeatFluxMonthly,
  solarRadiationFromSunshine,
  solarRadiationFromTemperature,
} from './radiation.ts';

/** Wind speed at 2 m assumed where none is measured [m s⁻¹]: the mean of 2 000 stations (FAO-56 p. 63). */
export const DEFAULT_WIND_SPEED = 2;
/** Lower limit of u2 in the daily equation [m s⁻¹], for the exchange calm air still gets from buoyancy (FAO-56 p. 63). */
export const MIN_DAILY_WIND_SPEED = 0.5;
/**
 * Rs/Rso assumed for a night hour when no earlier daylight hour tells the cloudiness: FAO-56 p. 75 gives
 * 0.4-0.6 for humid and subhumid climates (Indonesia) and 0.7-0.8 for arid ones.
 */
export const DEFAULT_NIGHT_RS_RSO = 0.5;

/** A note on how a result was obtained, Bahasa Indonesia first. */
export interface Note {
  code: string;
  id: string;
  en: string;
}

// ---------------------------------------------------------------------------------------------------------
// The equations

/** FAO Penman-Monteith ET0 [mm day⁻¹] of a day or a month of mean daily data (FAO-56 Eq. 6). */
export function penmanMonteithDaily(
  delta: number,
  gamma: number,
  rn: number,
  g: number,
  tmean: number,
  u2: number,
  es: number,
  ea: number,
): number {
  return (
    (0.408 * delta * (rn - g) + gamma * (900 / (tmean + 273)) * u2 * (es - ea)) / (delta + gamma * (1 + 0.34 * u2))
  );
}

/**
 * FAO Penman-Monteith ET0 [mm hour⁻¹] of an hour (FAO-56 Eq. 53: Cn = 37, Cd = 0.34). The ASCE-EWRI (2005)
 * standardized short reference ETos uses Cd = 0.24 by day and 0.96 by night instead.
 */
export function penmanMonteithHourly(
  delta: number,
  gamma: number,
  rn: number,
  g: number,
  t: number,
  u2: number,
  es: number,
  ea: number,
  cd = 0.34,
): number {
  return (0.408 * delta * (rn - g) + gamma * (37 / (t + 273)) * u2 * (es - ea)) / (delta + gamma * (1 + cd * u2));
}

/**
 * Hargreaves ET0 [mm day⁻¹] from the temperature range alone (FAO-56 Eq. 52; Ra converted to mm day⁻¹ by Eq. 20).
 * FAO-56 recommends Eq. 6 with estimated data over it; it tends to underpredict in strong wind and overpredict
 * in humid air, so check it against Eq. 6 in each region before relying on it.
 */
export function hargreavesEt0(tmax: number, tmin: number, ra: number): number {
  return 0.0023 * ((tmax + tmin) / 2 + 17.8) * Math.sqrt(Math.max(tmax - tmin, 0)) * 0.408 * ra;
}

/**
 * Daily ET0 [mm day⁻¹] from plain numbers, with nothing allocated: for long runs (every plot, every day of a
 * season). Same steps as {@link et0Daily}: `ea` [kPa] and `u2` [m s⁻¹ at 2 m] are the caller's, `rs`
 * [MJ m⁻² day⁻¹] is estimated from the temperature range with `krs` when undefined (Eq. 50), `g` is the soil
 * heat flux (0 for a day, Eq. 42). u2 is held at ≥ 0.5 m s⁻¹ (FAO-56 p. 63).
 */
export function et0DailyValue(
  latitude: number,
  elevation: number,
  dayOfYear: number,
  tmax: number,
  tmin: number,
  ea: number,
  u2: number,
  rs?: number,
  krs = KRS_INTERIOR,
  g = 0,
): number {
  const gamma = psychrometricConstant(atmosphericPressure(elevation));
  const tmean = (tmax + tmin) / 2;
  const ra = extraterrestrialRadiation(latitude, dayOfYear);
  const rso = clearSkyRadiation(ra, elevation);
  const solar = rs ?? solarRadiationFromTemperature(ra, tmax, tmin, krs, rso);
  const rn = netShortwaveRadiation(solar) - netLongwaveRadiation(tmax, tmin, ea, rso > 0 ? solar / rso : 1);
  return penmanMonteithDaily(
    vapourPressureSlope(tmean),
    gamma,
    rn,
    g,
    tmean,
    Math.max(u2, MIN_DAILY_WIND_SPEED),
    meanSaturationVapourPressure(tmax, tmin),
    ea,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Input schemas (zod, unknown fields rejected). Messages are Bahasa Indonesia first, English second.

/** The type error of a field: missing, or of the wrong type. */
const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'wajib diisi / is required' : expected;
const NUMBER = typeError('harus berupa angka / must be a number');

function between(min: number, max: number, unit: string) {
  const u = unit ? ` ${unit}` : '';
  return z
    .number({ error: NUMBER })
    .min(min, { error: `minimal ${min}${u} / must be at least ${min}${u}` })
    .max(max, { error: `maksimal ${max}${u} / must be at most ${max}${u}` });
}

const CalendarDate = z
  .string({ error: typeError('harus berupa teks YYYY-MM-DD / must be a YYYY-MM-DD string') })
  .refine(isCalendarDate, { error: 'bukan tanggal YYYY-MM-DD yang sah / not a valid YYYY-MM-DD date' });

const DayOfYear = z
  .number({ error: NUMBER })
  .int({ error: 'harus bilangan bulat / must be a whole number' })
  .min(1, { error: 'minimal 1 / must be at least 1' })
  .max(366, { error: 'maksimal 366 / must be at most 366' });

/** A number as Bahasa Indonesia writes it (decimal comma). */
const idNumber = (x: number, digits?: number) =>
  (digits === undefined ? String(x) : x.toFixed(digits)).replace('.', ',');

type Ctx = z.core.$RefinementCtx;
const issue = (ctx: Ctx, path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });

/** Fields of a group that are present. */
const given = (o: Record<string, unknown>, keys: readonly string[]) => keys.filter((k) => o[k] !== undefined);

const HUMIDITY_FIELDS = ['rhmax', 'rhmin', 'rhmean', 'ea', 'tdew'] as const;

/** The error of a body that is no JSON object; other object issues (unknown keys) keep zod's message. */
const OBJECT = {
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' ? 'harus berupa objek JSON / must be a JSON object' : undefined,
};

/**
 * Input of `et0Daily`: one day, or one month of mean daily values with `period: "month"` (date then best the
 * 15th, as FAO-56 Table 2.6 does). Humidity as one of rhmax + rhmin, rhmax, rhmean, ea or tdew (none: ea from
 * Tmin); radiation as sunshineHours or solarRadiation (neither: from the temperature range with krs).
 */
export const Et0DailyInput = z
  .strictObject(
    {
      latitude: between(-90, 90, '°').describe('Latitude, degrees, north positive'),
      elevation: between(-500, 9000, 'm').describe('Station elevation above sea level, m'),
      date: CalendarDate.optional().describe('Local date YYYY-MM-DD (or dayOfYear)'),
      dayOfYear: DayOfYear.optional().describe('Day of the year, 1 = 1 January (or date)'),
      tmax: between(-60, 65, '°C').describe('Maximum air temperature, °C'),
      tmin: between(-70, 60, '°C').describe('Minimum air temperature, °C'),
      rhmax: between(0, 100, '%').optional().describe('Maximum relative humidity, %'),
      rhmin: between(0, 100, '%').optional().describe('Minimum relative humidity, %'),
      rhmean: between(0, 100, '%').optional().describe('Mean relative humidity, %'),
      ea: between(0, 10, 'kPa').optional().describe('Actual vapour pressure, kPa'),
      tdew: between(-70, 60, '°C').optional().describe('Dewpoint temperature, °C'),
      windSpeed: between(0, 75, 'm/s').optional().describe('Mean wind speed, m/s (absent: 2 m/s)'),
      windHeight: between(0.5, 100, 'm').optional().describe('Height of the wind measurement, m (default 2)'),
      sunshineHours: between(0, 24, 'h').optional().describe('Hours of bright sunshine n'),
      solarRadiation: between(0, 60, 'MJ m⁻² day⁻¹').optional().describe('Solar radiation Rs, MJ m⁻² day⁻¹'),
      krs: between(0.1, 0.25, '').optional().describe('kRs of Eq. 50 (0.16 interior, 0.19 coastal)'),
      period: z
        .enum(['day', 'month'], { error: typeError('harus "day" atau "month" / must be "day" or "month"') })
        .optional()
        .describe('"day" (default) or "month" of mean daily values'),
      tmeanPreviousMonth: between(-70, 60, '°C').optional().describe('Mean air temperature of the previous month'),
      tmeanNextMonth: between(-70, 60, '°C').optional().describe('Mean air temperature of the next month'),
    },
    OBJECT,
  )
  .superRefine((v, ctx) => {
    const when = given(v, ['date', 'dayOfYear']);
    if (when.length !== 1)
      issue(
        ctx,
        'date',
        when.length
          ? 'isi date atau dayOfYear, bukan keduanya / give date or dayOfYear, not both'
          : 'date (YYYY-MM-DD) atau dayOfYear wajib / date (YYYY-MM-DD) or dayOfYear is required',
      );
    if (v.tmin > v.tmax) issue(ctx, 'tmin', 'tmin lebih besar dari tmax / tmin is above tmax');
    const humidity = given(v, HUMIDITY_FIELDS);
    const pair = humidity.length === 2 && humidity[0] === 'rhmax' && humidity[1] === 'rhmin';
    if (humidity.length > 1 && !pair)
      issue(
        ctx,
        humidity[1]!,
        `isi satu data kelembapan saja (rhmax+rhmin, rhmax, rhmean, ea atau tdew), bukan ${humidity.join(' + ')} / ` +
          `give one humidity input (rhmax+rhmin, rhmax, rhmean, ea or tdew), not ${humidity.join(' + ')}`,
      );
    else if (humidity.length === 1 && humidity[0] === 'rhmin')
      issue(ctx, 'rhmin', 'rhmin perlu rhmax (FAO-56 Pers. 17) / rhmin needs rhmax (FAO-56 Eq. 17)');
    if (pair && v.rhmin! > v.rhmax!) issue(ctx, 'rhmin', 'rhmin lebih besar dari rhmax / rhmin is above rhmax');
    if (v.windHeight !== undefined && v.windSpeed === undefined)
      issue(ctx, 'windHeight', 'windHeight tanpa windSpeed / windHeight without windSpeed');
    const radiation = given(v, ['sunshineHours', 'solarRadiation']);
    if (radiation.length > 1)
      issue(
        ctx,
        'solarRadiation',
        'isi sunshineHours atau solarRadiation, bukan keduanya / give sunshineHours or solarRadiation, not both',
      );
    if (v.krs !== undefined && radiation.length)
      issue(
        ctx,
        'krs',
        `krs hanya dipakai tanpa data radiasi, di sini ada ${radiation[0]} / krs applies only without radiation data, here ${radiation[0]} is given`,
      );
    if (v.period === 'month' && v.tmeanPreviousMonth === undefined)
      issue(
        ctx,
        'tmeanPreviousMonth',
        'period "month" perlu tmeanPreviousMonth (FAO-56 Pers. 43-44) / period "month" needs tmeanPreviousMonth (FAO-56 Eq. 43-44)',
      );
    if (v.period !== 'month')
      for (const f of given(v, ['tmeanPreviousMonth', 'tmeanNextMonth']))
        issue(ctx, f, `${f} hanya untuk period "month" / ${f} applies only to period "month"`);
    // A field's own refinement (a date like 2025-02-29) does not stop this one: check the date again.
    const doy = v.dayOfYear ?? (v.date !== undefined && isCalendarDate(v.date) ? dayOfYearOf(v.date) : undefined);
    if (v.sunshineHours !== undefined && when.length === 1 && doy !== undefined) {
      const daylight = daylightHours(v.latitude, doy);
      if (v.sunshineHours > daylight + 0.05)
        issue(
          ctx,
          'sunshineHours',
          `lebih dari panjang hari N = ${idNumber(daylight, 1)} jam / more than the daylight hours N = ${daylight.toFixed(1)} h`,
        );
    }
  });
export type Et0DailyInput = z.infer<typeof Et0DailyInput>;

/** Input of `et0Hourly`: one hour of station data. `rsRsoNight` is used only if the hour is at night. */
export const Et0HourlyInput = z.strictObject(
  {
    latitude: between(-90, 90, '°').describe('Latitude, degrees, north positive'),
    longitude: between(-180, 180, '°').describe('Longitude, degrees, east positive'),
    utcOffsetHours: between(-12, 14, 'h').describe('UTC offset of local standard time, hours (WIB 7, WITA 8, WIT 9)'),
    elevation: between(-500, 9000, 'm').describe('Station elevation above sea level, m'),
    date: CalendarDate.describe('Local date YYYY-MM-DD'),
    hourStart: z
      .number({ error: NUMBER })
      .int({ error: 'harus bilangan bulat / must be a whole number' })
      .min(0, { error: 'minimal 0 / must be at least 0' })
      .max(23, { error: 'maksimal 23 / must be at most 23' })
      .describe('Start hour of the 1-hour period, local standard time (14 = 14:00-15:00)'),
    temperature: between(-70, 65, '°C').describe('Mean air temperature of the hour, °C'),
    rh: between(0, 100, '%').describe('Mean relative humidity of the hour, %'),
    windSpeed: between(0, 75, 'm/s').describe('Mean wind speed of the hour, m/s'),
    windHeight: between(0.5, 100, 'm').optional().describe('Height of the wind measurement, m (default 2)'),
    solarRadiation: between(0, 5, 'MJ m⁻² h⁻¹').describe('Solar radiation Rs of the hour, MJ m⁻² h⁻¹'),
    rsRsoNight: between(0.3, 1, '')
      .optional()
      .describe('Rs/Rso for a night hour (cloudiness 2-3 h before sunset); default 0.5'),
    reference: z
      .enum(['fao56', 'asce'], { error: typeError('harus "fao56" atau "asce" / must be "fao56" or "asce"') })
      .optional()
      .describe('"fao56" (default, Eq. 53) or "asce": ASCE-EWRI 2005 short reference ETos'),
  },
  OBJECT,
);
export type Et0HourlyInput = z.infer<typeof Et0HourlyInput>;

// ---------------------------------------------------------------------------------------------------------
// Daily and monthly ET0 with every intermediate

export type HumidityMethod = 'rhmax-rhmin' | 'rhmax' | 'rhmean' | 'ea' | 'tdew' | 'tmin';
export type RadiationMethod = 'measured' | 'sunshine' | 'temperature';

export interface Et0DailyResult {
  /** Reference evapotranspiration [mm day⁻¹] (FAO-56 Eq. 6). */
  et0: number;
  /** Hargreaves ET0 from the temperatures alone [mm day⁻¹] (Eq. 52), for comparison. */
  et0Hargreaves: number;
  dayOfYear: number;
  /** Mean air temperature [°C] (Eq. 9). */
  tmean: number;
  /** Atmospheric pressure P [kPa] (Eq. 7). */
  pressure: number;
  /** Psychrometric constant γ [kPa °C⁻¹] (Eq. 8). */
  gamma: number;
  /** Slope of the vapour pressure curve Δ [kPa °C⁻¹] (Eq. 13). */
  delta: number;
  /** Saturation vapour pressure es [kPa] (Eq. 11-12). */
  es: number;
  /** Actual vapour pressure ea [kPa] (Eq. 14, 17, 18, 19 or 48). */
  ea: number;
  /** Vapour pressure deficit es − ea [kPa]. */
  vpd: number;
  /** Wind speed at 2 m used in Eq. 6 [m s⁻¹] (Eq. 47, ≥ 0.5). */
  u2: number;
  /** Extraterrestrial radiation Ra [MJ m⁻² day⁻¹] (Eq. 21). */
  ra: number;
  /** Daylight hours N [hour] (Eq. 34); FAO-56 writes n for the hours of sunshine and N for the day length. */
  N: number;
  /** Solar radiation Rs [MJ m⁻² day⁻¹]: measured, Eq. 35 or Eq. 50. */
  rs: number;
  /** Clear-sky solar radiation Rso [MJ m⁻² day⁻¹] (Eq. 37). */
  rso: number;
  /** Relative shortwave radiation Rs/Rso, ≤ 1, as used in Eq. 39. */
  rsRso: number;
  /** Net shortwave radiation Rns (Eq. 38). */
  rns: number;
  /** Net longwave radiation Rnl (Eq. 39). */
  rnl: number;
  /** Net radiation Rn (Eq. 40). */
  rn: number;
  /** Soil heat flux G (Eq. 42-44). */
  g: number;
  method: {
    humidity: HumidityMethod;
    radiation: RadiationMethod;
    wind: 'measured' | 'default';
    soilHeatFlux: 'day' | 'month-next' | 'month-previous';
  };
  notes: Note[];
}

function dailyVapourPressure(i: Et0DailyInput): [number, HumidityMethod] {
  if (i.rhmax !== undefined && i.rhmin !== undefined)
    return [vapourPressureFromRhMaxMin(i.tmax, i.tmin, i.rhmax, i.rhmin), 'rhmax-rhmin'];
  if (i.rhmax !== undefined) return [vapourPressureFromRhMax(i.tmin, i.rhmax), 'rhmax'];
  if (i.rhmean !== undefined) return [vapourPressureFromRhMean(i.tmax, i.tmin, i.rhmean), 'rhmean'];
  if (i.ea !== undefined) return [i.ea, 'ea'];
  if (i.tdew !== undefined) return [vapourPressureFromDewPoint(i.tdew), 'tdew'];
  return [vapourPressureFromTmin(i.tmin), 'tmin'];
}

/**
 * Daily (or monthly) reference evapotranspiration with every intermediate and the missing-data procedures
 * used. Expects input valid by {@link Et0DailyInput} (parse untrusted input with it first).
 */
export function et0Daily(input: Et0DailyInput): Et0DailyResult {
  const notes: Note[] = [];
  const { latitude, elevation, tmax, tmin } = input;
  const doy = input.dayOfYear ?? dayOfYearOf(input.date!);
  const pressure = atmosphericPressure(elevation);
  const gamma = psychrometricConstant(pressure);
  const tmean = (tmax + tmin) / 2;
  const delta = vapourPressureSlope(tmean);
  const es = meanSaturationVapourPressure(tmax, tmin);
  const [ea, humidity] = dailyVapourPressure(input);
  if (humidity === 'tmin')
    notes.push({
      code: 'ea-from-tmin',
      id: 'Tanpa data kelembapan: ea dari Tmin (titik embun ≈ Tmin, FAO-56 Pers. 48). Di daerah kering titik embun bisa 2-3 °C di bawah Tmin.',
      en: 'No humidity data: ea from Tmin (dewpoint ≈ Tmin, FAO-56 Eq. 48). In arid places the dewpoint may be 2-3 °C below Tmin.',
    });
  if (humidity === 'rhmean')
    notes.push({
      code: 'ea-from-rhmean',
      id: 'ea dari RH rata-rata (FAO-56 Pers. 19), kurang teliti dibanding RHmax dan RHmin.',
      en: 'ea from the mean RH (FAO-56 Eq. 19), less accurate than RHmax and RHmin.',
    });

  const wind = input.windSpeed === undefined ? 'default' : 'measured';
  const uz = input.windSpeed === undefined ? DEFAULT_WIND_SPEED : windSpeedAt2m(input.windSpeed, input.windHeight ?? 2);
  if (wind === 'default')
    notes.push({
      code: 'wind-default',
      id: 'Tanpa data angin: dipakai 2 m/s di ketinggian 2 m (rata-rata 2 000 stasiun, FAO-56 hlm. 63).',
      en: 'No wind data: 2 m/s at 2 m is used (the mean of 2 000 stations, FAO-56 p. 63).',
    });
  const u2 = Math.max(uz, MIN_DAILY_WIND_SPEED);
  if (u2 > uz)
    notes.push({
      code: 'wind-min',
      id: `Angin di 2 m (${idNumber(uz, 2)} m/s) dinaikkan ke 0,5 m/s, batas bawah FAO-56 hlm. 63.`,
      en: `Wind at 2 m (${uz.toFixed(2)} m/s) raised to 0.5 m/s, FAO-56's lower limit (p. 63).`,
    });

  const ra = extraterrestrialRadiation(latitude, doy);
  const N = daylightHours(latitude, doy);
  const rso = clearSkyRadiation(ra, elevation);
  let rs: number;
  let radiation: RadiationMethod;
  if (input.solarRadiation !== undefined) [rs, radiation] = [input.solarRadiation, 'measured'];
  else if (input.sunshineHours !== undefined)
    [rs, radiation] = [solarRadiationFromSunshine(ra, input.sunshineHours, N), 'sunshine'];
  else {
    const krs = input.krs ?? KRS_INTERIOR;
    const unlimited = solarRadiationFromTemperature(ra, tmax, tmin, krs);
    [rs, radiation] = [Math.min(unlimited, rso), 'temperature'];
    notes.push({
      code: 'rs-from-temperature',
      id: `Tanpa data radiasi: Rs dari selisih suhu (Hargreaves, FAO-56 Pers. 50, kRs = ${idNumber(krs)}). ET0 harian dari Rs taksiran sebaiknya dijumlah atau dirata-rata beberapa hari.`,
      en: `No radiation data: Rs from the temperature range (Hargreaves, FAO-56 Eq. 50, kRs = ${krs}). Daily ET0 from estimated Rs is best summed or averaged over several days.`,
    });
    if (unlimited > rso)
      notes.push({
        code: 'rs-limited',
        id: 'Rs taksiran melebihi radiasi langit cerah Rso dan dibatasi ke Rso (FAO-56 hlm. 61).',
        en: 'The estimated Rs exceeded the clear-sky radiation Rso and was limited to it (FAO-56 p. 61).',
      });
  }
  const rsRso = rso > 0 ? Math.min(rs / rso, 1) : 1;
  const rns = netShortwaveRadiation(rs);
  const rnl = netLongwaveRadiation(tmax, tmin, ea, rsRso);
  const rn = rns - rnl;

  let g = 0;
  let soilHeatFlux: Et0DailyResult['method']['soilHeatFlux'] = 'day';
  if (input.period === 'month') {
    g = soilHeatFluxMonthly(input.tmeanPreviousMonth!, tmean, input.tmeanNextMonth);
    soilHeatFlux = input.tmeanNextMonth === undefined ? 'month-previous' : 'month-next';
  }

  return {
    et0: penmanMonteithDaily(delta, gamma, rn, g, tmean, u2, es, ea),
    et0Hargreaves: hargreavesEt0(tmax, tmin, ra),
    dayOfYear: doy,
    tmean,
    pressure,
    gamma,
    delta,
    es,
    ea,
    vpd: es - ea,
    u2,
    ra,
    N,
    rs,
    rso,
    rsRso,
    rns,
    rnl,
    rn,
    g,
    method: { humidity, radiation, wind, soilHeatFlux },
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Hourly ET0

/** One hour of station data in FAO-56's quantities, for {@link et0HourlyStep} and {@link et0HourlySeries}. */
export interface HourlyWeather {
  latitude: number;
  /** Degrees, east positive. */
  longitude: number;
  /** UTC offset of local standard time [hours]. */
  utcOffsetHours: number;
  elevation: number;
  dayOfYear: number;
  /** Start of the 1-hour period, local standard time [hour]. */
  hourStart: number;
  /** Mean air temperature of the hour [°C]. */
  temperature: number;
  /** Actual vapour pressure [kPa] (Eq. 54 from RH). */
  ea: number;
  /** Wind speed at 2 m [m s⁻¹]. */
  u2: number;
  /** Solar radiation Rs of the hour [MJ m⁻² hour⁻¹]. */
  rs: number;
  /** Rs/Rso to use if this is a night hour (overrides what earlier hours tell). */
  rsRsoNight?: number;
  reference?: 'fao56' | 'asce';
}

export interface Et0HourlyResult {
  /** Reference evapotranspiration [mm hour⁻¹] (FAO-56 Eq. 53); slightly negative at night when dew forms. */
  et0: number;
  reference: 'fao56' | 'asce';
  dayOfYear: number;
  pressure: number;
  gamma: number;
  delta: number;
  /** e°(Thr) [kPa] (Eq. 11). */
  es: number;
  ea: number;
  vpd: number;
  u2: number;
  /** Solar time angles at the midpoint, start and end of the hour, and the sunset hour angle [rad] (Eq. 25, 29-31). */
  omega: number;
  omega1: number;
  omega2: number;
  omegaS: number;
  /** Extraterrestrial radiation of the hour [MJ m⁻² hour⁻¹] (Eq. 28). */
  ra: number;
  rs: number;
  /** Clear-sky radiation of the hour (Eq. 37). */
  rso: number;
  /** Rs/Rso used in Eq. 39. */
  rsRso: number;
  rns: number;
  rnl: number;
  rn: number;
  g: number;
  /** Whether the hour counts as daytime for G (Eq. 45-46) and, for ASCE, Cd. */
  daytime: boolean;
  /** Denominator coefficient of Eq. 53. */
  cd: number;
  method: { rsRso: 'measured' | 'before-sunset' | 'input' | 'default' };
  notes: Note[];
}

/**
 * ET0 of one hour. `carriedRsRso` is the Rs/Rso of the hour 2-3 hours before the last sunset, used for a
 * night hour unless `w.rsRsoNight` is given (FAO-56 p. 75). Returns the result and the Rs/Rso to carry on.
 */
export function et0HourlyStep(
  w: HourlyWeather,
  carriedRsRso?: number,
): { result: Et0HourlyResult; carryRsRso: number | undefined } {
  const reference = w.reference ?? 'fao56';
  const notes: Note[] = [];
  const pressure = atmosphericPressure(w.elevation);
  const gamma = psychrometricConstant(pressure);
  const t = w.temperature;
  const delta = vapourPressureSlope(t);
  const es = saturationVapourPressure(t);
  const sun = periodSun(w.latitude, w.longitude, w.utcOffsetHours, w.dayOfYear, w.hourStart);
  const rso = clearSkyRadiation(sun.ra, w.elevation);

  let rsRso: number;
  let source: Et0HourlyResult['method']['rsRso'];
  let carryRsRso = carriedRsRso;
  if (sun.ra > 0 && rso > 0) {
    rsRso = Math.min(w.rs / rso, 1);
    // ASCE-EWRI 2005 Eq. 45 keeps the ratio ≥ 0.3 (fully overcast); FAO-56 Eq. 39 only caps it at 1.
    if (reference === 'asce') rsRso = Math.max(rsRso, 0.3);
    source = 'measured';
    // The hour 2-3 hours before sunset, when the sun is still high enough for Rs/Rso to mean cloudiness,
    // stands for the night that follows (FAO-56 p. 75).
    if (sun.omega >= sun.omegaS - 0.79 && sun.omega <= sun.omegaS - 0.52) carryRsRso = rsRso;
  } else if (w.rsRsoNight !== undefined) [rsRso, source] = [w.rsRsoNight, 'input'];
  else if (carriedRsRso !== undefined) [rsRso, source] = [carriedRsRso, 'before-sunset'];
  else {
    [rsRso, source] = [DEFAULT_NIGHT_RS_RSO, 'default'];
    notes.push({
      code: 'night-rs-rso-default',
      id: `Jam malam tanpa rsRsoNight: Rs/Rso diasumsikan ${idNumber(DEFAULT_NIGHT_RS_RSO)} (iklim lembap, FAO-56 hlm. 75).`,
      en: `Night hour without rsRsoNight: Rs/Rso assumed ${DEFAULT_NIGHT_RS_RSO} (humid climate, FAO-56 p. 75).`,
    });
  }

  const rns = netShortwaveRadiation(w.rs);
  const rnl = netLongwaveRadiationHourly(t, w.ea, rsRso);
  const rn = rns - rnl;
  // FAO-56 distinguishes daylight from night hours; ASCE-EWRI 2005 defines daytime as Rn > 0.
  const daytime = reference === 'asce' ? rn > 0 : sun.ra > 0;
  const g = soilHeatFluxHourly(rn, daytime);
  const cd = reference === 'asce' ? (daytime ? 0.24 : 0.96) : 0.34;
  const et0 = penmanMonteithHourly(delta, gamma, rn, g, t, w.u2, es, w.ea, cd);
  return {
    result: {
      et0,
      reference,
      dayOfYear: w.dayOfYear,
      pressure,
      gamma,
      delta,
      es,
      ea: w.ea,
      vpd: es - w.ea,
      u2: w.u2,
      omega: sun.omega,
      omega1: sun.omega1,
      omega2: sun.omega2,
      omegaS: sun.omegaS,
      ra: sun.ra,
      rs: w.rs,
      rso,
      rsRso,
      rns,
      rnl,
      rn,
      g,
      daytime,
      cd,
      method: { rsRso: source },
      notes,
    },
    carryRsRso,
  };
}

/**
 * ET0 of consecutive hours in time order: each night hour takes its Rs/Rso from the hour 2-3 hours before
 * the sunset that preceded it (FAO-56 p. 75), or from its own `rsRsoNight`.
 */
export function et0HourlySeries(hours: readonly HourlyWeather[]): Et0HourlyResult[] {
  let carried: number | undefined;
  return hours.map((w) => {
    const { result, carryRsRso } = et0HourlyStep(w, carried);
    carried = carryRsRso;
    return result;
  });
}

/**
 * Hourly reference evapotranspiration of one hour from station data, with every intermediate. Expects input
 * valid by {@link Et0HourlyInput}. A night hour uses `rsRsoNight`, else 0.5 (see {@link DEFAULT_NIGHT_RS_RSO});
 * for a run of hours use {@link et0HourlySeries}, which carries the cloudiness of the evening into the night.
 */
export function et0Hourly(input: Et0HourlyInput): Et0HourlyResult {
  return et0HourlyStep({
    latitude: input.latitude,
    longitude: input.longitude,
    utcOffsetHours: input.utcOffsetHours,
    elevation: input.elevation,
    dayOfYear: dayOfYearOf(input.date),
    hourStart: input.hourStart,
    temperature: input.temperature,
    ea: vapourPressureFromRh(input.temperature, input.rh),
    u2: windSpeedAt2m(input.windSpeed, input.windHeight ?? 2),
    rs: input.solarRadiation,
    rsRsoNight: input.rsRsoNight,
    reference: input.reference,
  }).result;
}
