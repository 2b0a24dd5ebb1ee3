import { describe, expect, it } from 'vitest';
import { defaultCatalogue, MetricCatalogue, UpPayload } from '../src/index.ts';

describe('up payload', () => {
  it('accepts a typical weather-station message', () => {
    const p = UpPayload.parse({ seq: 7, ts: 1_763_800_000_000, readings: { air_temperature: 31.2 }, battery: 3.9 });
    expect(p.readings.air_temperature).toBe(31.2);
  });

  it.each([
    [{ seq: -1, readings: { rainfall: 0 } }, 'negative seq'],
    [{ seq: 2 ** 32, readings: { rainfall: 0 } }, 'seq beyond uint32'],
    [{ seq: 1, readings: {} }, 'no readings'],
    [{ seq: 1, readings: { rainfall: '3' } }, 'string value'],
    [{ seq: 1, ts: 1.5, readings: { rainfall: 0 } }, 'fractional ts'],
    [{ seq: 1, readings: { rainfall: 0 }, extra: true }, 'unknown field'],
  ] as [unknown, string][])('rejects %j (%s)', (payload) => {
    expect(UpPayload.safeParse(payload).success).toBe(false);
  });
});

describe('metric catalogue', () => {
  it('checks range, finiteness and existence', () => {
    expect(defaultCatalogue.check('relative_humidity', 55)).toBeUndefined();
    expect(defaultCatalogue.check('relative_humidity', 101)).toBe('out_of_range');
    expect(defaultCatalogue.check('relative_humidity', Number.NaN)).toBe('not_finite');
    expect(defaultCatalogue.check('relative_humidity', Number.POSITIVE_INFINITY)).toBe('not_finite');
    expect(defaultCatalogue.check('radon', 1)).toBe('unknown_metric');
  });

  it('is extensible but never overrides a built-in', () => {
    const c = new MetricCatalogue();
    c.add({
      name: 'leaf_wetness',
      unit: 'min',
      ucum: 'min',
      kind: 'interval',
      min: 0,
      max: 60,
      label: { id: 'Lama daun basah', en: 'Leaf wetness' },
    });
    expect(c.check('leaf_wetness', 30)).toBeUndefined();
    expect(() => c.add({ ...c.get('rainfall')! })).toThrow(/already defined/);
  });

  it('carries the canonical units named in the design', () => {
    const units = Object.fromEntries(defaultCatalogue.list().map((m) => [m.name, m.unit]));
    expect(units).toMatchObject({
      air_temperature: '°C',
      relative_humidity: '%',
      wind_speed: 'm/s',
      solar_radiation: 'W/m²',
      rainfall: 'mm',
      soil_moisture: '% VWC',
      soil_temperature: '°C',
      soil_ec: 'dS/m',
      co2: 'ppm',
      energy: 'kWh',
      water_volume: 'm³',
      fuel_volume: 'L',
      battery: 'V',
    });
  });
});
