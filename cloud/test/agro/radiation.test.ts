import { describe, expect, it } from 'vitest';
import {
  clearSkyRadiation,
  daylightHours,
  dayOfYear,
  extraterrestrialRadiation,
  inverseRelativeDistance,
  isCalendarDate,
  KRS_COASTAL,
  netLongwaveRadiation,
  netLongwaveRadiationHourly,
  netShortwaveRadiation,
  periodSun,
  STEFAN_BOLTZMANN,
  seasonalCorrection,
  soilHeatFluxHourly,
  soilHeatFluxMonthly,
  solarDeclination,
  solarRadiationFromSunshine,
  solarRadiationFromTemperature,
  solarTimeAngle,
  sunsetHourAngle,
} from '../../src/agro/radiation.ts';
import { expectPrinted } from './printed.ts';

const RIO = -(22 + 54 / 60);
const BANGKOK = 13 + 44 / 60;
const LYON = 45 + 43 / 60;
const NDIAYE = { latitude: 16 + 13 / 60, longitude: -(16 + 15 / 60), utcOffsetHours: -1 };

// Every number is printed in FAO Irrigation and Drainage Paper 56 (Allen et al. 1998); the test names say where.
describe('radiation (FAO-56 chapter 3)', () => {
  it('day of the year J (FAO-56 Annex 2, Table 2.5; leap years count)', () => {
    expect(dayOfYear('2001-09-03')).toBe(246); // Example 8
    expect(dayOfYear('2001-05-15')).toBe(135); // Example 10
    expect(dayOfYear('2001-04-15')).toBe(105); // Example 17
    expect(dayOfYear('2001-07-06')).toBe(187); // Example 18
    expect(dayOfYear('2001-07-15')).toBe(196); // Example 20
    expect(dayOfYear('2001-10-01')).toBe(274); // Example 19
    expect(dayOfYear('2024-03-01')).toBe(61);
    expect(dayOfYear('2024-12-31')).toBe(366);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-7-6')).toBe(false);
    expect(() => dayOfYear('2026-13-01')).toThrow(RangeError);
  });

  it('FAO-56 Example 8 (3 September, 20°S): dr 0.985, δ 0.120 rad, ωs 1.527 rad, Ra 32.2 MJ m⁻² day⁻¹ (Eq. 21-25)', () => {
    const j = dayOfYear('2001-09-03');
    expectPrinted(inverseRelativeDistance(j), '0.985');
    expectPrinted(solarDeclination(j), '0.120');
    expectPrinted(sunsetHourAngle((-20 * Math.PI) / 180, solarDeclination(j)), '1.527');
    expectPrinted(extraterrestrialRadiation(-20, j), '32.2');
  });

  it('FAO-56 Example 9 (3 September, 20°S): daylight hours N = 11.7 h (Eq. 34)', () => {
    expectPrinted(daylightHours(-20, 246), '11.7');
  });

  it('FAO-56 Example 10 (Rio de Janeiro, May, 220 h of sunshine): Ra 25.1, N 10.9 h, Rs 14.5 MJ m⁻² day⁻¹ (Eq. 35)', () => {
    const ra = extraterrestrialRadiation(RIO, 135);
    const n = daylightHours(RIO, 135);
    expectPrinted(ra, '25.1');
    expectPrinted(n, '10.9');
    expectPrinted(solarRadiationFromSunshine(ra, 220 / 31, n), '14.5');
  });

  it('FAO-56 Examples 11-12 (Rio de Janeiro, May): Rso 18.8, Rnl 3.5, Rns 11.1, Rn 7.6 MJ m⁻² day⁻¹ (Eq. 36-40)', () => {
    const ra = extraterrestrialRadiation(RIO, 135);
    const rs = solarRadiationFromSunshine(ra, 220 / 31, daylightHours(RIO, 135));
    const rso = clearSkyRadiation(ra, 0); // Eq. 36 with as + bs = 0.75, as the example does
    expectPrinted(rso, '18.8');
    expectPrinted(STEFAN_BOLTZMANN * (25.1 + 273.16) ** 4, '38.8');
    expectPrinted(STEFAN_BOLTZMANN * (19.1 + 273.16) ** 4, '35.8');
    const rnl = netLongwaveRadiation(25.1, 19.1, 2.1, rs / rso);
    expectPrinted(rnl, '3.5');
    const rns = netShortwaveRadiation(rs);
    expectPrinted(rns, '11.1');
    expectPrinted(rns - rnl, '7.6');
  });

  it('FAO-56 Example 13 (Algiers, April; March 14.1, May 18.8 °C): G = 0.33 MJ m⁻² day⁻¹ (Eq. 43)', () => {
    expectPrinted(soilHeatFluxMonthly(14.1, 16.1, 18.8), '0.33');
  });

  it('FAO-56 Example 17 (Bangkok, April 30.2 °C, March 29.2 °C, no May): G = 0.14 MJ m⁻² day⁻¹ (Eq. 44)', () => {
    expectPrinted(soilHeatFluxMonthly(29.2, 30.2), '0.14');
  });

  it('FAO-56 Example 15 (Lyon, July, Tmax 26.6, Tmin 14.8 °C): Ra 40.6, Rs 22.3 MJ m⁻² day⁻¹ (Eq. 50, kRs 0.16)', () => {
    const ra = extraterrestrialRadiation(LYON, 196);
    expectPrinted(ra, '40.6');
    expectPrinted(solarRadiationFromTemperature(ra, 26.6, 14.8), '22.3');
  });

  it('FAO-56 Example 16 (Bangkok, coastal, April): Ra 38.1, Rs 21.9, Rso 28.5, Rns 16.9, Rnl 3.0, Rn 13.9 MJ m⁻² day⁻¹', () => {
    const ra = extraterrestrialRadiation(BANGKOK, 105);
    expectPrinted(ra, '38.1');
    const rs = solarRadiationFromTemperature(ra, 34.8, 25.6, KRS_COASTAL);
    expectPrinted(rs, '21.9');
    const rso = clearSkyRadiation(ra, 2);
    expectPrinted(rso, '28.5');
    expectPrinted(netShortwaveRadiation(rs), '16.9');
    expectPrinted(STEFAN_BOLTZMANN * (34.8 + 273.16) ** 4, '44.1');
    expectPrinted(STEFAN_BOLTZMANN * (25.6 + 273.16) ** 4, '39.1');
    const rnl = netLongwaveRadiation(34.8, 25.6, 2.85, rs / rso);
    expectPrinted(rnl, '3.0');
    expectPrinted(netShortwaveRadiation(rs) - rnl, '13.9');
  });

  it('Rs from the temperature range is limited to Rso, and Rs/Rso in Eq. 39 to 1.0 (FAO-56 pp. 52, 61)', () => {
    const ra = extraterrestrialRadiation(LYON, 196);
    const rso = clearSkyRadiation(ra, 200);
    expect(solarRadiationFromTemperature(ra, 40, 5, 0.19, rso)).toBe(rso);
    expect(netLongwaveRadiation(30, 20, 2, 1.4)).toBe(netLongwaveRadiation(30, 20, 2, 1));
  });

  it('FAO-56 Example 19 (N’Diaye, 1 October, 14-15 h): dr 1.0001, δ −0.0753, Sc 0.1889 h, ω 0.682, ω1 0.5512, ω2 0.8130, Ra 3.543 (Eq. 28-33)', () => {
    const j = dayOfYear('2001-10-01');
    expectPrinted(inverseRelativeDistance(j), '1.0001');
    expectPrinted(solarDeclination(j), '-0.0753');
    expectPrinted(seasonalCorrection(j), '0.1889');
    const day = periodSun(NDIAYE.latitude, NDIAYE.longitude, NDIAYE.utcOffsetHours, j, 14);
    expectPrinted(day.omega, '0.682');
    expectPrinted(day.omega1, '0.5512');
    expectPrinted(day.omega2, '0.8130');
    expectPrinted(day.ra, '3.543');
    expectPrinted(clearSkyRadiation(day.ra, 8), '2.658');
    expectPrinted(netShortwaveRadiation(2.45), '1.887');
  });

  it('FAO-56 Example 19 (N’Diaye, 02-03 h): ω −2.46 rad, the sun below the horizon, Ra 0', () => {
    const night = periodSun(NDIAYE.latitude, NDIAYE.longitude, NDIAYE.utcOffsetHours, 274, 2);
    expectPrinted(night.omega, '-2.46');
    expect(night.ra).toBe(0);
  });

  it('FAO-56 Eq. 31 with its own Bangkok values (Lz 255°, Lm 259.5° west of Greenwich) equals the east-longitude form', () => {
    for (const t of [6.5, 12.5, 17.5]) {
      const fao = (Math.PI / 12) * (t + 0.06667 * (255 - 259.5) + seasonalCorrection(105) - 12);
      expect(solarTimeAngle(t, 100.5, 7, 105)).toBeCloseTo(fao, 12);
    }
    // A site west of its zone's meridian has its solar noon after 12:00 clock time.
    expect(solarTimeAngle(12, 100.5, 7, 172)).toBeLessThan(0);
  });

  it('FAO-56 Example 19: hourly Rnl 0.100 (night, Rs/Rso 0.8) and 0.137 MJ m⁻² h⁻¹ (Eq. 39 with σ/24); G −0.050 and 0.175 (Eq. 45-46)', () => {
    expectPrinted((STEFAN_BOLTZMANN / 24) * (28 + 273.16) ** 4, '1.681');
    expectPrinted((STEFAN_BOLTZMANN / 24) * (38 + 273.16) ** 4, '1.915');
    const ea2 = 0.9 * 3.78;
    const ea14 = 0.52 * 6.625;
    expectPrinted(netLongwaveRadiationHourly(28, ea2, 0.8), '0.100');
    expectPrinted(netLongwaveRadiationHourly(38, ea14, 2.45 / 2.658), '0.137');
    expectPrinted(soilHeatFluxHourly(-0.1, false), '-0.050');
    expectPrinted(soilHeatFluxHourly(1.749, true), '0.175');
  });

  it('polar night and polar day give ωs = 0 and π instead of NaN (Eq. 25 clamped)', () => {
    expect(sunsetHourAngle((80 * Math.PI) / 180, solarDeclination(355))).toBe(0);
    expect(sunsetHourAngle((80 * Math.PI) / 180, solarDeclination(172))).toBe(Math.PI);
    expect(extraterrestrialRadiation(80, 355)).toBe(0);
  });
});
