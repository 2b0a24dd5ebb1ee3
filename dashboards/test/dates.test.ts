import * as shared from '@lumbung/schemas/time';
import { describe, expect, it } from 'vitest';
import * as chunk from '../src/dates.ts';

/** The chunks' copy of the date helpers (dashboards/src/dates.ts says why there is one) agrees with the shared one. */
describe('dashboards/src/dates.ts equals @lumbung/schemas/time', () => {
  const dates = ['2024-02-28', '2024-02-29', '2025-12-31', '2026-01-31', '2026-10-01', '2026-11-05'];
  it('addDays, addMonths, isCalendarDate', () => {
    for (const d of dates)
      for (const n of [-400, -31, -1, 0, 1, 30, 365]) {
        expect(chunk.addDays(d, n), `${d} ${n}`).toBe(shared.addDays(d, n));
        expect(chunk.addMonths(d, n % 25), `${d} ${n}`).toBe(shared.addMonths(d, n % 25));
      }
    for (const s of [...dates, '2026-02-30', '2026-13-01', '2026-5-1', 'x'])
      expect(chunk.isCalendarDate(s), s).toBe(shared.isCalendarDate(s));
  });
  it('previousPeriod and the local date', () => {
    for (const [from, to] of [
      ['2026-10-01', '2026-11-01'],
      ['2026-01-01', '2027-01-01'],
      ['2026-11-05', '2026-11-15'],
      ['2024-02-10', '2024-03-10'],
    ] as const)
      expect(chunk.previousPeriod(from, to)).toEqual(shared.previousPeriod(from, to));
    for (const t of [Date.parse('2026-10-31T16:59:59Z'), Date.parse('2026-10-31T17:00:00Z')])
      for (const tz of ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'])
        expect(chunk.localToday(t, tz)).toBe(shared.localDate(t, tz));
  });
});
