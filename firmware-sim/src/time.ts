export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** Offset of an IANA zone from UTC at `ts`, in milliseconds (cached per zone and hour). */
export function tzOffsetMs(timeZone: string, ts: number): number {
  const hour = Math.floor(ts / HOUR);
  const key = `${timeZone}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const at = hour * HOUR;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const off = local - at;
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, off);
  return off;
}

/** Local civil time of `ts` in a zone. */
export interface LocalTime {
  /** Hours since local midnight, fractional. */
  hour: number;
  /** Day of the year, 1..366 (FAO-56 J). */
  dayOfYear: number;
  /** Month 1..12. */
  month: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Local days since 1970-01-01, an integer key for things that change once a day. */
  dayIndex: number;
}

export function localTime(timeZone: string, ts: number): LocalTime {
  const l = ts + tzOffsetMs(timeZone, ts);
  const d = new Date(l);
  const dayIndex = Math.floor(l / DAY);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    hour: (l - dayIndex * DAY) / HOUR,
    dayOfYear: Math.floor((l - start) / DAY) + 1,
    month: d.getUTCMonth() + 1,
    weekday: d.getUTCDay(),
    dayIndex,
  };
}

/** UTC epoch ms of local midnight starting `date` (YYYY-MM-DD) in a zone. */
export function localMidnight(timeZone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  return guess - tzOffsetMs(timeZone, guess - tzOffsetMs(timeZone, guess));
}
