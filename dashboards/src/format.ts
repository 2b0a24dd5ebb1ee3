import { type Lang, LOCALES } from './i18n/index.ts';

/**
 * Indonesian abbreviations of the country's three time zones, used in both languages (WIB is what people
 * say and read). Asia/Pontianak is WIB too. Other zones fall back to Intl's short name.
 */
const ZONE_ABBR: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** Fraction digits that keep about three significant digits: 1.234 kWh → 1,23; 27.46 °C → 27,5; 1284 → 1.284. */
export function fractionDigits(value: number): number {
  const a = Math.abs(value);
  if (a >= 100 || Number.isInteger(value)) return 0;
  if (a >= 10) return 1;
  return 2;
}

/** Units written after the number with a space (°C, %, m/s); "%" follows the number directly in Indonesian too. */
const joinUnit = (n: string, unit: string): string => (!unit ? n : unit === '%' ? `${n}%` : `${n} ${unit}`);

export interface Formatter {
  readonly lang: Lang;
  readonly locale: string;
  readonly timeZone: string;
  /** WIB, WITA, WIT or Intl's short zone name. */
  readonly zone: string;
  number(value: number, digits?: number): string;
  /** A reading with its unit: "27,5 °C" (id), "27.5 °C" (en). */
  value(value: number, unit: string, digits?: number): string;
  /** 14.05 WIB */
  time(ts: number): string;
  /** 22 Nov 14.05 WIB (the year only when it is not this year) */
  dateTime(ts: number, now?: number): string;
  /** 22 Nov 2026 */
  date(ts: number): string;
  /** "5 menit yang lalu" / "5 minutes ago" */
  relative(ts: number, now: number): string;
  /** Axis ticks for a chart of the given span. */
  tick(ts: number, spanMs: number): string;
}

const DAY = 86_400_000;

/** Creates an Intl object on first use: each costs milliseconds on a cheap phone (ICU loads locale data). */
function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

const formatters = new Map<string, Formatter>();

/**
 * Dates and numbers for a language, in the village's time zone (never the phone's). One formatter per language
 * and zone, made once: constructing Intl formats was the largest JavaScript cost of the first paint.
 */
export function createFormatter(lang: Lang, timeZone: string): Formatter {
  const key = `${lang}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = makeFormatter(lang, timeZone)));
  return f;
}

function makeFormatter(lang: Lang, timeZone: string): Formatter {
  const locale = LOCALES[lang];
  const numbers = new Map<number, Intl.NumberFormat>();
  const nf = (digits: number) => {
    let f = numbers.get(digits);
    if (!f) numbers.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
    return f;
  };
  const dtf = (o: Intl.DateTimeFormatOptions) => lazy(() => new Intl.DateTimeFormat(locale, { timeZone, ...o }));
  // Times and dates of the pages come from the parts of ONE format (each Intl format costs on a phone).
  const full = dtf({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = (ts: number) => {
    const out: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    const ps = full().formatToParts(ts);
    ps.forEach((p, i) => {
      if (p.type !== 'literal') out[p.type] = p.value;
      // The separator between hour and minute: "." in Indonesian, ":" in English.
      else if (ps[i - 1]?.type === 'hour') out.literal = p.value;
    });
    return out;
  };
  const hm = (ts: number) => {
    const p = parts(ts);
    return `${p.hour}${p.literal ?? ':'}${p.minute}`;
  };
  const dayMonth = (ts: number) => {
    const p = parts(ts);
    return `${p.day} ${p.month}`;
  };
  const weekdayDay = dtf({ weekday: 'short', day: 'numeric' });
  const monthShort = dtf({ month: 'short' });
  const monthYear = dtf({ month: 'short', year: 'numeric' });
  const january = lazy(() => monthShort().format(Date.UTC(2000, 0, 15)));
  const rtf = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const zone =
    ZONE_ABBR[timeZone] ??
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(0)
      .find((p) => p.type === 'timeZoneName')?.value ??
    timeZone;

  const number = (value: number, digits = fractionDigits(value)) => nf(digits).format(value);
  return {
    lang,
    locale,
    timeZone,
    zone,
    number,
    value: (value, unit, digits) => joinUnit(number(value, digits), unit),
    time: (ts) => `${hm(ts)} ${zone}`,
    dateTime: (ts, now = Date.now()) => {
      const p = parts(ts);
      const year = p.year === parts(now).year ? '' : ` ${p.year}`;
      return `${p.day} ${p.month}${year} ${p.hour}${p.literal ?? ':'}${p.minute} ${zone}`;
    },
    date: (ts) => {
      const p = parts(ts);
      return `${p.day} ${p.month} ${p.year}`;
    },
    relative: (ts, now) => {
      const s = Math.round((ts - now) / 1000);
      const a = Math.abs(s);
      if (a < 45) return rtf().format(0, 'second');
      if (a < 3600) return rtf().format(Math.round(s / 60), 'minute');
      if (a < 86_400) return rtf().format(Math.round(s / 3600), 'hour');
      return rtf().format(Math.round(s / 86_400), 'day');
    },
    tick: (ts, spanMs) => {
      if (spanMs <= 2 * DAY) return hm(ts);
      if (spanMs <= 10 * DAY) return weekdayDay().format(ts);
      if (spanMs <= 120 * DAY) return dayMonth(ts);
      // A year: month names, with the year at January.
      const m = monthShort().format(ts);
      return m === january() ? monthYear().format(ts) : m;
    },
  };
}

const isoDays = new Map<string, Intl.DateTimeFormat>();

/** Whole local days between a local date (YYYY-MM-DD) and a moment, in a time zone. */
export function daysSince(isoDate: string, now: number, timeZone: string): number {
  let f = isoDays.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    isoDays.set(timeZone, f);
  }
  const today = f.format(now);
  return Math.round((Date.parse(today) - Date.parse(isoDate)) / DAY);
}
