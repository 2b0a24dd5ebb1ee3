import { describe, expect, it } from 'vitest';
import { saturationVapourPressure } from '../../src/agro/atmosphere.ts';
import {
  celsiusToFahrenheit,
  dewPoint,
  fahrenheitToCelsius,
  heatIndex,
  heatIndexF,
  isLeafWet,
  leafWetnessHours,
  relativeHumidity,
} from '../../src/agro/humidity.ts';

describe('dew point (Magnus formula, Alduchov & Eskridge 1996 coefficients)', () => {
  it('1728.org worked example: 20 °C at 50 % RH has a dew point of 9.27 °C (Tetens coefficients; 9.26 °C with these)', () => {
    expect(dewPoint(20, 50)).toBeCloseTo(9.27, 1);
    // γ = ln 0.5 + 17.625·20/263.04 = 0.646953; Td = 243.04 γ/(17.625 − γ) = 9.2611
    expect(dewPoint(20, 50)).toBeCloseTo(9.2611, 4);
  });

  it('equals the air temperature at saturation', () => {
    for (const t of [-10, 0, 15.5, 27, 35]) expect(dewPoint(t, 100)).toBeCloseTo(t, 10);
  });

  it('agrees with FAO-56 Eq. 11 within 0.1 °C: e°(Td) = RH/100 · e°(T) over 10–35 °C and 40–100 % RH', () => {
    for (let t = 10; t <= 35; t += 5) {
      for (let rh = 40; rh <= 100; rh += 10) {
        const ea = (rh / 100) * saturationVapourPressure(t);
        // invert Eq. 11 for the dewpoint FAO-56's way (its Eq. 14 read backwards)
        const x = Math.log(ea / 0.6108);
        const tdFao = (237.3 * x) / (17.27 - x);
        expect(Math.abs(dewPoint(t, rh) - tdFao)).toBeLessThan(0.1);
      }
    }
  });

  it('inverts to the relative humidity it came from', () => {
    expect(relativeHumidity(28, dewPoint(28, 83))).toBeCloseTo(83, 10);
  });

  it('refuses a relative humidity outside (0, 100] %', () => {
    expect(() => dewPoint(25, 0)).toThrow(RangeError);
    expect(() => dewPoint(25, 101)).toThrow(RangeError);
  });
});

// The NWS heat index chart (NOAA), rows 80–110 °F, columns 40, 45, … 100 % RH, as republished by RF Cafe and
// others. It is the plain Rothfusz regression, rounded (90 °F at 45 % is 0.5 °F off). The WPC's later humid-air
// adjustment (RH > 85 % at 80–87 °F) lifts those cells by up to 2.3 °F above the chart: they are tested below
// against the equation instead.
const NWS_CHART: Record<number, number[]> = {
  80: [80, 80, 81, 81, 82, 82, 83, 84, 84, 85, 86, 86, 87],
  82: [81, 82, 83, 84, 84, 85, 86, 88, 89, 90, 91, 93, 95],
  84: [83, 84, 85, 86, 88, 89, 90, 92, 94, 96, 98, 100, 103],
  86: [85, 87, 88, 89, 91, 93, 95, 97, 100, 102, 105, 108, 112],
  88: [88, 89, 91, 93, 95, 98, 100, 103, 106, 110, 113, 117, 121],
  90: [91, 93, 95, 97, 100, 103, 106, 109, 113, 117, 122, 127, 132],
  92: [94, 96, 99, 101, 105, 108, 112, 116, 121, 126, 131],
  94: [97, 100, 102, 106, 110, 114, 119, 124, 129, 136],
  96: [101, 104, 108, 112, 116, 121, 126, 132],
  98: [105, 109, 113, 117, 123, 128, 134],
  100: [109, 114, 118, 124, 129, 136],
  102: [114, 119, 124, 130, 137],
  104: [119, 124, 131, 137],
  106: [124, 130, 137],
  108: [130, 137],
  110: [136],
};

// The NWS Weather Prediction Center's "The Heat Index Equation", written out independently as the oracle.
function rothfusz(t: number, rh: number): number {
  return (
    -42.379 +
    2.04901523 * t +
    10.14333127 * rh -
    0.22475541 * t * rh -
    6.83783e-3 * t ** 2 -
    5.481717e-2 * rh ** 2 +
    1.22874e-3 * t ** 2 * rh +
    8.5282e-4 * t * rh ** 2 -
    1.99e-6 * t ** 2 * rh ** 2
  );
}

describe('heat index (NWS, "The Heat Index Equation")', () => {
  it('NWS heat index chart: 90 °F at 70 % RH feels like 106 °F, 96 °F at 65 % like 121 °F', () => {
    expect(Math.round(heatIndexF(90, 70))).toBe(106);
    expect(Math.round(heatIndexF(96, 65))).toBe(121);
  });

  it('NWS heat index chart: every cell from 80 to 110 °F within 1 °F, outside the humid-air adjustment', () => {
    let cells = 0;
    for (const [t, row] of Object.entries(NWS_CHART)) {
      row.forEach((chart, i) => {
        const rh = 40 + 5 * i;
        if (rh > 85 && Number(t) <= 87) return;
        cells++;
        expect(Math.abs(heatIndexF(Number(t), rh) - chart), `${t} °F, ${rh} %`).toBeLessThanOrEqual(1);
      });
    }
    expect(cells).toBe(123);
  });

  it('uses Steadman’s simple formula averaged with the temperature below 80 °F', () => {
    // 0.5 (70 + 61 + 1.2·2 + 0.094·50) = 69.05
    expect(heatIndexF(70, 50)).toBeCloseTo(69.05, 10);
  });

  it('subtracts the dry-air adjustment below 13 % RH between 80 and 112 °F', () => {
    // [(13 − 10)/4] √{[17 − |100 − 95|]/17}
    expect(heatIndexF(100, 10)).toBeCloseTo(rothfusz(100, 10) - 0.75 * Math.sqrt(12 / 17), 10);
    expect(heatIndexF(115, 10)).toBeCloseTo(rothfusz(115, 10), 10);
  });

  it('adds the humid-air adjustment above 85 % RH between 80 and 87 °F', () => {
    // [(95 − 85)/10] [(87 − 84)/5]
    expect(heatIndexF(84, 95)).toBeCloseTo(rothfusz(84, 95) + 0.6, 10);
    expect(heatIndexF(88, 95)).toBeCloseTo(rothfusz(88, 95), 10);
  });

  it('works in °C: 32.2 °C (90 °F) at 70 % feels like 41.1 °C (106 °F)', () => {
    expect(heatIndex(fahrenheitToCelsius(90), 70)).toBeCloseTo(fahrenheitToCelsius(heatIndexF(90, 70)), 10);
    expect(heatIndex(fahrenheitToCelsius(90), 70)).toBeCloseTo(41.1, 1);
    expect(celsiusToFahrenheit(fahrenheitToCelsius(77))).toBeCloseTo(77, 10);
    expect(() => heatIndex(30, 120)).toThrow(RangeError);
  });
});

describe('leaf wetness estimated from the station (RH ≥ 90 %, Sentelhas et al. 2008)', () => {
  it('is wet from 90 % RH, or in rain', () => {
    expect(isLeafWet({ rh: 90 })).toBe(true);
    expect(isLeafWet({ rh: 89.9 })).toBe(false);
    expect(isLeafWet({ rh: 60, rain: 0.2 })).toBe(true);
    expect(isLeafWet({ rh: 88 }, { rhThreshold: 87 })).toBe(true);
  });

  it('is dried by wind above 3 m/s, unless it rains', () => {
    expect(isLeafWet({ rh: 95, wind: 3 })).toBe(true);
    expect(isLeafWet({ rh: 95, wind: 3.5 })).toBe(false);
    expect(isLeafWet({ rh: 95, wind: 6, rain: 1 })).toBe(true);
  });

  it('counts wet hours', () => {
    expect(leafWetnessHours([{ rh: 95 }, { rh: 70 }, { rh: 91 }, { rh: 50, rain: 2 }])).toBe(3);
  });
});
