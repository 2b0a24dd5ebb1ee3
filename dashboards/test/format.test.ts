import { describe, expect, it } from 'vitest';
import { createFormatter, daysSince, fractionDigits } from '../src/format.ts';

// 2026-11-22 08:05 UTC = 15.05 WIB = 16.05 WITA = 17.05 WIT
const T = Date.UTC(2026, 10, 22, 8, 5);

describe('formatting for the language, in the village time zone', () => {
  it('writes numbers the Indonesian way (comma decimals, dot thousands) and the English way', () => {
    const id = createFormatter('id', 'Asia/Jakarta');
    const en = createFormatter('en', 'Asia/Jakarta');
    expect(id.value(27.46, '°C')).toBe('27,5 °C');
    expect(en.value(27.46, '°C')).toBe('27.5 °C');
    expect(id.value(14981.82, 'kWh')).toBe('14.982 kWh');
    expect(en.value(14981.82, 'kWh')).toBe('14,982 kWh');
    expect(id.value(80.9, '%')).toBe('80,9%');
    expect(id.value(3.712, 'V', 2)).toBe('3,71 V');
  });

  it('keeps about three significant digits', () => {
    expect([0.456, 3.71, 27.46, 123.4, 12].map(fractionDigits)).toEqual([2, 2, 1, 0, 0]);
  });

  it('shows times in the village time zone with WIB, WITA or WIT, whatever the phone says', () => {
    expect(createFormatter('id', 'Asia/Jakarta').time(T)).toBe('15.05 WIB');
    expect(createFormatter('en', 'Asia/Jakarta').time(T)).toBe('15:05 WIB');
    expect(createFormatter('id', 'Asia/Makassar').time(T)).toBe('16.05 WITA');
    expect(createFormatter('id', 'Asia/Jayapura').time(T)).toBe('17.05 WIT');
    expect(createFormatter('id', 'Asia/Jakarta').dateTime(T, T)).toBe('22 Nov 15.05 WIB');
    expect(createFormatter('en', 'Asia/Jayapura').dateTime(Date.UTC(2026, 10, 22, 16), T)).toBe('23 Nov 01:00 WIT');
    expect(createFormatter('id', 'Asia/Jakarta').dateTime(Date.UTC(2025, 0, 2), T)).toBe('2 Jan 2025 07.00 WIB');
  });

  it('says how long ago in words', () => {
    const id = createFormatter('id', 'Asia/Jakarta');
    const en = createFormatter('en', 'Asia/Jakarta');
    expect(id.relative(T - 5 * 60_000, T)).toBe('5 menit yang lalu');
    expect(en.relative(T - 5 * 60_000, T)).toBe('5 minutes ago');
    expect(en.relative(T - 3 * 3_600_000, T)).toBe('3 hours ago');
    expect(id.relative(T - 10_000, T)).toBe('sekarang');
  });

  it('labels chart axes by span: hours, weekdays, days, months', () => {
    const id = createFormatter('id', 'Asia/Jakarta');
    expect(id.tick(T, 86_400_000)).toBe('15.05');
    expect(id.tick(T, 7 * 86_400_000)).toBe('Min, 22');
    expect(createFormatter('en', 'Asia/Jakarta').tick(T, 7 * 86_400_000)).toBe('Sun 22');
    expect(id.tick(T, 30 * 86_400_000)).toBe('22 Nov');
    expect(id.tick(T, 365 * 86_400_000)).toBe('Nov');
    expect(id.tick(Date.UTC(2026, 0, 10), 365 * 86_400_000)).toBe('Jan 2026');
  });

  it('counts days after planting in local days', () => {
    // 23.30 WIB on 21 Nov is still the 21st in Jakarta; the 22nd in Jayapura.
    const t = Date.UTC(2026, 10, 21, 16, 30);
    expect(daysSince('2026-11-01', t, 'Asia/Jakarta')).toBe(20);
    expect(daysSince('2026-11-01', t, 'Asia/Jayapura')).toBe(21);
  });
});
