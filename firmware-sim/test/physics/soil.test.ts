import type { PlotSite } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { DAY, DEMO_SCENARIO_PATH, HOUR, loadScenario, SoilWaterBucket, VillageWeather } from '../../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const chilli = scenario.sites.find((s) => s.id === 'kebun-cabai') as PlotSite;
const paddy = scenario.sites.find((s) => s.id === 'sawah-b') as PlotSite;
const rainfed: PlotSite = { ...chilli, water: 'rainfed', irrigation: undefined };

describe('soil water bucket', () => {
  it('falls day after day in the dry season without irrigation, never below wilting point', () => {
    const w = new VillageWeather(scenario.village, scenario.seed);
    const b = new SoilWaterBucket(rainfed, w);
    const start = Date.parse('2026-08-01T00:00:00+07:00');
    b.spinUp(start, 1);
    b.depletion = 0;
    let prev = b.theta;
    for (let d = 1; d <= 10; d++) {
      b.advance(start + d * DAY);
      expect(b.theta).toBeLessThan(prev);
      expect(b.theta).toBeGreaterThanOrEqual(rainfed.soil.wiltingPoint);
      prev = b.theta;
    }
    expect(prev).toBeLessThan(rainfed.soil.fieldCapacity - 0.05);
  });

  it('rises after rain and drains back toward field capacity', () => {
    const w = new VillageWeather(scenario.village, scenario.seed);
    const events = w.rainEvents(Date.parse('2026-01-05T00:00:00+07:00'), Date.parse('2026-02-05T00:00:00+07:00'));
    const big = events.find((e) => (e.intensity * (e.end - e.start)) / HOUR > 10);
    expect(big).toBeDefined();
    const b = new SoilWaterBucket(rainfed, w);
    b.spinUp(big!.start - 1, 3);
    const before = b.theta;
    b.advance(big!.end + HOUR);
    expect(b.theta).toBeGreaterThan(before + 0.01);
    expect(b.theta).toBeLessThanOrEqual(b.sat);
  });

  it('rises with scheduled irrigation', () => {
    const w = new VillageWeather(scenario.village, scenario.seed, { wetEventsPerDay: 0, dryEventsPerDay: 0 });
    const b = new SoilWaterBucket(chilli, w);
    // Irrigation every 3 days at 06:00 from the planting date 2026-07-10.
    const irrigationAt = Date.parse('2026-08-09T06:00:00+07:00');
    expect(b.irrigationBetween(irrigationAt - 1, irrigationAt + 1)).toBe(12);
    b.spinUp(irrigationAt - HOUR, 5);
    const before = b.theta;
    b.advance(irrigationAt + HOUR);
    expect(b.theta).toBeGreaterThan(before + 0.02);
  });

  it('a flooded paddy stays at saturation, and is drained before harvest', () => {
    const w = new VillageWeather(scenario.village, scenario.seed);
    const b = new SoilWaterBucket(paddy, w);
    const planted = Date.parse('2026-09-15T00:00:00+07:00');
    b.spinUp(planted + 20 * DAY);
    expect(b.theta).toBeCloseTo(paddy.soil.saturation!, 5);
    b.advance(planted + 60 * DAY);
    expect(b.theta).toBeCloseTo(paddy.soil.saturation!, 5);
    expect(b.flooded(planted + 145 * DAY)).toBe(false);
  });
});
