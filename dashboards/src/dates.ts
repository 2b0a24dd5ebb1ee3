/**
 * Calendar-date helpers of the lazy page chunks (farm, CSR). They are `@lumbung/schemas/time`'s, written
 * again on purpose: the entry already bundles that module (the charts use `tzOffsetMs`), and a chunk may not
 * import from the entry, which is inlined into index.html (vite.config.ts refuses the build). Kept equal
 * to the shared ones by dashboards/test/dates.test.ts.
 */

const DAY_MS = 86_400_000;
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A date (YYYY-MM-DD) `n` days later (earlier when negative), counted in UTC where every day has 24 h. */
export const addDays = (date: string, n: number): string => iso(day(date) + n * DAY_MS);

/** The same day of the month `n` months later; a day past the month's end rolls over. */
export function addMonths(date: string, n: number): string {
  return iso(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1 + n, Number(date.slice(8, 10))));
}

/** Whether a text is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export const isCalendarDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && Number.isFinite(day(s)) && iso(day(s)) === s;

/** Today in the village (YYYY-MM-DD): the village's local day, not the phone's. */
export function localToday(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The period just before [from, to): as many calendar months when both ends are the 1st, else as many days. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  if (from.endsWith('-01') && to.endsWith('-01')) {
    const months =
      (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
    return { from: addMonths(from, -months), to: from };
  }
  return { from: addDays(from, -Math.round((day(to) - day(from)) / DAY_MS)), to: from };
}
