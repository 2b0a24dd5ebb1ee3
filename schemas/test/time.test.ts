import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dateOfDay,
  dayNumber,
  daysBetween,
  isCalendarDate,
  localDate,
  localMidnight,
  previousPeriod,
} from '../src/time.ts';

describe('calendar dates', () => {
  it('counts calendar days without time zones', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-05-11', '2026-05-01')).toBe(-10);
    expect(dateOfDay(dayNumber('2026-05-11'))).toBe('2026-05-11');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('rejects impossible dates', () => {
    expect(() => dayNumber('2026-13-01')).toThrow(/calendar/);
    expect(() => dayNumber('2025-02-29')).toThrow(/calendar/);
    expect(() => dayNumber('2026-5-1')).toThrow(/YYYY-MM-DD/);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-30')).toBe(false);
  });
  it('moves by months and finds the period before, by months or by days', () => {
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-03-03');
    expect(previousPeriod('2026-10-01', '2026-11-01')).toEqual({ from: '2026-09-01', to: '2026-10-01' });
    expect(previousPeriod('2026-11-05', '2026-11-15')).toEqual({ from: '2026-10-26', to: '2026-11-05' });
  });
});

describe('local days of a village', () => {
  it('the local date and midnight of Asia/Jakarta (UTC+7) and Asia/Jayapura (UTC+9)', () => {
    const t = Date.parse('2026-10-31T18:30:00Z');
    expect(localDate(t, 'Asia/Jakarta')).toBe('2026-11-01');
    expect(localDate(t, 'UTC')).toBe('2026-10-31');
    expect(localMidnight('2026-11-01', 'Asia/Jakarta')).toBe(Date.parse('2026-10-31T17:00:00Z'));
    expect(localMidnight('2026-11-01', 'Asia/Jayapura')).toBe(Date.parse('2026-10-31T15:00:00Z'));
  });
});
