import { describe, expect, it } from 'vitest';
import { DAY, DEMO_SCENARIO_PATH, generateReadings, loadScenario, VillageWeather } from '../../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);

describe('cumulative meters', () => {
  const from = Date.parse('2026-02-02T00:00:00+07:00');
  const out = generateReadings(scenario, { from, to: from + 7 * DAY, devices: ['taman-em-01', 'taman-wm-01'] });
  const series = (id: string, metric: string) =>
    out.filter((e) => e.deviceId === id).map((e) => ({ ts: e.ts, v: e.payload.readings[metric]! }));

  it.each([
    ['taman-em-01', 'energy', 14],
    ['taman-wm-01', 'water_volume', 1.8],
  ] as const)('%s is monotonic and uses about its daily use', (id, metric, dailyUse) => {
    const s = series(id, metric);
    expect(s.length).toBe(7 * 96);
    for (let i = 1; i < s.length; i++) expect(s[i]!.v).toBeGreaterThanOrEqual(s[i - 1]!.v);
    const perDay = (s.at(-1)!.v - s[0]!.v) / 7;
    expect(perDay).toBeGreaterThan(dailyUse * 0.7);
    expect(perDay).toBeLessThan(dailyUse * 1.3);
  });

  it('water is used in the morning and afternoon far more than at night', () => {
    const s = series('taman-wm-01', 'water_volume');
    const use = (h0: number, h1: number) => {
      let sum = 0;
      for (let i = 1; i < s.length; i++) {
        const h = new Date(s[i]!.ts + 7 * 3_600_000).getUTCHours();
        if (h >= h0 && h < h1) sum += s[i]!.v - s[i - 1]!.v;
      }
      return sum / (h1 - h0);
    };
    expect(use(5, 8)).toBeGreaterThan(10 * use(0, 4));
    expect(use(15, 18)).toBeGreaterThan(10 * use(0, 4));
  });

  it('the energy meter stands still during a power cut', () => {
    const w = new VillageWeather(scenario.village, scenario.seed);
    const cutFrom = from - 60 * DAY;
    const cut = w.powerCuts(cutFrom, from).find((c) => c.end - c.start > 2 * 3_600_000);
    expect(cut).toBeDefined();
    const r = generateReadings(scenario, { from: cut!.start, to: cut!.end, devices: ['taman-em-01'] });
    const v = r.map((e) => e.payload.readings.energy!);
    expect(v.length).toBeGreaterThan(4);
    expect(v.at(-1)).toBe(v[0]);
  });
});
