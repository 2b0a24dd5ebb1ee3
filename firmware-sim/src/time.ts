import { tzOffsetMs } from '@lumbung/schemas';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export { tzOffsetMs };

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
