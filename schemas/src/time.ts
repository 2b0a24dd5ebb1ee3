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
