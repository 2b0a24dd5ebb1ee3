import { describe, expect, it } from 'vitest';
import {
  dailyExtraterrestrialRadiation,
  inverseRelativeDistance,
  saturationVapourPressure,
  solarDeclination,
  sunsetHourAngle,
  VillageWeather,
} from '../../src/index.ts';

const madiun = {
  id: 'kel-taman',
  name: 'Kelurahan Taman',
  district: 'Taman',
  regency: 'Kota Madiun',
  timezone: 'Asia/Jakarta',
  latitude: -7.63,
  longitude: 111.52,
  elevation: 63,
};

describe('FAO-56 worked examples', () => {
  it('Example 8: Ra on 3 September at 20°S is 32.2 MJ/m²/day (dr 0.985, δ 0.120, ωs 1.527)', () => {
    const J = 246;
    expect(inverseRelativeDistance(J)).toBeCloseTo(0.985, 3);
    expect(solarDeclination(J)).toBeCloseTo(0.12, 2);
    expect(sunsetHourAngle(-20, J)).toBeCloseTo(1.527, 3);
    expect(dailyExtraterrestrialRadiation(-20, J)).toBeCloseTo(32.2, 1);
  });

  it('Example 3: e°(24.5 °C) = 3.075 kPa and e°(15 °C) = 1.705 kPa', () => {
    expect(saturationVapourPressure(24.5)).toBeCloseTo(3.075, 3);
    expect(saturationVapourPressure(15)).toBeCloseTo(1.705, 3);
  });
});

describe('solar radiation in Madiun', () => {
  const w = new VillageWeather(madiun, 7);
  const day = Date.parse('2026-08-12T00:00:00+07:00');
  const samples = Array.from({ length: 24 * 12 }, (_, i) => {
    const ts = day + i * 300_000;
    return { hour: i / 12, rs: w.solarRadiation(ts) };
  });

  it('is zero at night', () => {
    for (const s of samples) if (s.hour < 5.5 || s.hour > 18.5) expect(s.rs).toBe(0);
  });

  it('peaks near local solar noon (about 11:35 WIB at 111.5°E)', () => {
    // Clear-sky geometry alone, so clouds do not move the peak.
    const clear = new VillageWeather(madiun, 7, { wetClearness: 1, dryClearness: 1 });
    let best = { hour: 0, rs: -1 };
    for (let i = 0; i < 24 * 60; i++) {
      const rs = clear.solarRadiation(day + i * 60_000) / clear.clearness(day + i * 60_000);
      if (rs > best.rs) best = { hour: i / 60, rs };
    }
    expect(best.hour).toBeGreaterThan(11.2);
    expect(best.hour).toBeLessThan(12);
    expect(best.rs).toBeGreaterThan(850);
    expect(best.rs).toBeLessThan(1100);
  });
});
