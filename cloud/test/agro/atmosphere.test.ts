import { describe, expect, it } from 'vitest';
import {
  atmosphericPressure,
  meanSaturationVapourPressure,
  psychrometricConstant,
  saturationVapourPressure,
  vapourPressureFromDewPoint,
  vapourPressureFromRh,
  vapourPressureFromRhMax,
  vapourPressureFromRhMaxMin,
  vapourPressureFromRhMean,
  vapourPressureFromTmin,
  vapourPressureSlope,
  windSpeedAt2m,
} from '../../src/agro/atmosphere.ts';
import { expectPrinted } from './printed.ts';

// Every number is printed in FAO Irrigation and Drainage Paper 56 (Allen et al. 1998); the test names say where.
describe('atmospheric parameters, humidity and wind (FAO-56 chapter 3)', () => {
  it('FAO-56 Example 2 (1 800 m): P = 81.8 kPa (Eq. 7), γ = 0.054 kPa/°C (Eq. 8)', () => {
    const p = atmosphericPressure(1800);
    expectPrinted(p, '81.8');
    expectPrinted(psychrometricConstant(p), '0.054');
  });

  it('FAO-56 Examples 17, 18, 20: P = 101.3 kPa at 2 m, 100.1 kPa at 100 m; γ = 0.0666 at 100 m, 0.066 at 200 m', () => {
    expectPrinted(atmosphericPressure(2), '101.3');
    expectPrinted(atmosphericPressure(100), '100.1');
    expectPrinted(psychrometricConstant(atmosphericPressure(100)), '0.0666');
    expectPrinted(psychrometricConstant(atmosphericPressure(200)), '0.066');
  });

  it('FAO-56 Example 3 (Tmax 24.5, Tmin 15 °C): e° = 3.075 and 1.705 kPa (Eq. 11), es = 2.39 kPa (Eq. 12), e°(Tmean) = 2.30', () => {
    expectPrinted(saturationVapourPressure(24.5), '3.075');
    expectPrinted(saturationVapourPressure(15), '1.705');
    expectPrinted(meanSaturationVapourPressure(24.5, 15), '2.39');
    // Why Eq. 12 averages the extremes: e° at the mean temperature is lower.
    expectPrinted(saturationVapourPressure(19.75), '2.30');
  });

  it('FAO-56 Example 5 (Tmin 18 °C, RHmax 82 %, Tmax 25 °C, RHmin 54 %): ea = 1.70 kPa (Eq. 17), 1.78 kPa by Eq. 19', () => {
    expectPrinted(saturationVapourPressure(18), '2.064');
    expectPrinted(saturationVapourPressure(25), '3.168');
    expectPrinted(vapourPressureFromRhMaxMin(25, 18, 82, 54), '1.70');
    expectPrinted(vapourPressureFromRhMean(25, 18, (82 + 54) / 2), '1.78');
  });

  it('FAO-56 Example 6: vapour pressure deficit es − ea = 0.91 kPa', () => {
    expectPrinted(meanSaturationVapourPressure(25, 18) - vapourPressureFromRhMaxMin(25, 18, 82, 54), '0.91');
  });

  it('FAO-56 Examples 17-20: slope Δ = 0.246 (30.2 °C), 0.122 (16.9 °C), 0.150 (20.7 °C), 0.220 (28 °C), 0.358 (38 °C) kPa/°C (Eq. 13)', () => {
    expectPrinted(vapourPressureSlope(30.2), '0.246');
    expectPrinted(vapourPressureSlope(16.9), '0.122');
    expectPrinted(vapourPressureSlope(20.7), '0.150');
    expectPrinted(vapourPressureSlope(28), '0.220');
    expectPrinted(vapourPressureSlope(38), '0.358');
  });

  it('FAO-56 Example 20 (Lyon, only Tmax 26.6 and Tmin 14.8 °C): Tdew ≈ Tmin gives ea = 1.68 kPa (Eq. 48, Eq. 14), i.e. RHmax 100 % (Eq. 18), RHmin 48 % (Eq. 17)', () => {
    expectPrinted(vapourPressureFromTmin(14.8), '1.68');
    expectPrinted(vapourPressureFromDewPoint(14.8), '1.68');
    expectPrinted(vapourPressureFromRhMax(14.8, 100), '1.68');
    expectPrinted(vapourPressureFromRhMaxMin(26.6, 14.8, 100, 48), '1.68');
    expectPrinted(saturationVapourPressure(26.6), '3.48');
    expectPrinted(meanSaturationVapourPressure(26.6, 14.8), '2.58');
  });

  it('FAO-56 Example 19 (N’Diaye, hourly): ea = 3.402 kPa at 28 °C and 90 %, 3.445 kPa at 38 °C and 52 % (Eq. 54)', () => {
    expectPrinted(saturationVapourPressure(28), '3.780');
    expectPrinted(saturationVapourPressure(38), '6.625');
    expectPrinted(vapourPressureFromRh(28, 90), '3.402');
    expectPrinted(vapourPressureFromRh(38, 52), '3.445');
  });

  it('FAO-56 Example 14: 3.2 m/s at 10 m is 2.4 m/s at 2 m (Eq. 47, factor 0.75); Example 18: 10 km/h at 10 m is 2.078 m/s', () => {
    expectPrinted(windSpeedAt2m(1, 10), '0.75');
    expectPrinted(windSpeedAt2m(3.2, 10), '2.4');
    expectPrinted(windSpeedAt2m(1, 10), '0.748');
    expectPrinted(windSpeedAt2m(10 / 3.6, 10), '2.078');
  });

  it('wind measured at 2 m is used as measured (Eq. 47 converts other heights; at 2 m it would give 1.0002)', () => {
    expect(windSpeedAt2m(3.3, 2)).toBe(3.3);
    expect(windSpeedAt2m(3.3, 3)).toBeLessThan(3.3);
  });
});
