/**
 * Time-zone arithmetic shared by the simulator, the cloud and the dashboard (a village's "day" is its
 * local day, STYLE.md "Units, time, names"). No zod here: the dashboard imports this file alone
 * (`@lumbung/schemas/time`) and must not carry the contracts into its bundle.
 */

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/**
 * Offset of an IANA zone from UTC at `ts`, in milliseconds, east positive (Asia/Jakarta: 25,200,000).
 * Cached per zone and hour: zones change their offset on the hour.
 */
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

// ── Local calendar days ──
// A date YYYY-MM-DD is a label (a production date, a village's day), not an instant: arithmetic on dates
// goes through UTC, where every day has 24 h, so no server zone or daylight saving shifts it. Instants
// become dates, and dates instants, only through a village's zone (`localDate`, `localMidnight`).

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a text is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}

/** Days since 1970-01-01 of a calendar date YYYY-MM-DD; throws a RangeError on anything else. */
export function dayNumber(date: string): number {
  if (!DATE.test(date)) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

/** The calendar date YYYY-MM-DD of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** A date `n` days later (earlier when negative). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** The same day of the month `n` months later (earlier when negative); a day past the month's end rolls over. */
export function addMonths(date: string, n: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + n, d)).toISOString().slice(0, 10);
}

/** The local date of an instant in a time zone (a village's "today"). */
export function localDate(ts: number, timeZone: string): string {
  return new Date(ts + tzOffsetMs(timeZone, ts)).toISOString().slice(0, 10);
}

/** The instant (epoch ms) a local date begins in a time zone: its local midnight. */
export function localMidnight(date: string, timeZone: string): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  // The offset at the guessed instant, then at the found one: right across a zone's change of offset too.
  const first = utc - tzOffsetMs(timeZone, utc);
  return utc - tzOffsetMs(timeZone, first);
}

/**
 * The period just before [from, to) (`to` exclusive), of the same length: as many calendar months when both
 * ends are the 1st (October before November, though one has 31 days and the other 30), else as many days.
 * A report compares with it, and the dashboard shows the same comparison.
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  if (from.endsWith('-01') && to.endsWith('-01')) {
    const months =
      (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
    return { from: addMonths(from, -months), to: from };
  }
  return { from: addDays(from, -daysBetween(from, to)), to: from };
}
