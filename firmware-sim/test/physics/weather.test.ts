import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIO_PATH, HOUR, loadScenario, VillageWeather } from '../../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const w = new VillageWeather(scenario.village, scenario.seed);
const localHour = (ts: number) => new Date(ts + 7 * HOUR).getUTCHours() + new Date(ts).getUTCMinutes() / 60;

function days(start: string, n: number) {
  const from = Date.parse(start);
  return Array.from({ length: n }, (_, d) => from + d * 24 * HOUR);
}

describe('village weather', () => {
  it('air temperature peaks in the afternoon (13:00-15:30 local) on a dry-season day', () => {
    for (const day of days('2026-08-03T00:00:00+07:00', 5)) {
      let best = { ts: 0, t: -99 };
      for (let m = 0; m < 24 * 60; m += 10) {
        const ts = day + m * 60_000;
        const t = w.airTemperature(ts);
        if (t > best.t) best = { ts, t };
      }
      expect(localHour(best.ts)).toBeGreaterThanOrEqual(12.5);
      expect(localHour(best.ts)).toBeLessThanOrEqual(15.5);
    }
  });

  it('relative humidity is higher at night than in the afternoon', () => {
    for (const day of days('2026-01-12T00:00:00+07:00', 5)) {
      expect(w.relativeHumidity(day + 4 * HOUR)).toBeGreaterThan(w.relativeHumidity(day + 14 * HOUR) + 10);
    }
  });

  it('it rains far more in the wet season (Nov-Apr) than in the dry season', () => {
    const wet = w.rainBetween(Date.parse('2026-01-01T00:00:00+07:00'), Date.parse('2026-02-01T00:00:00+07:00'));
    const dry = w.rainBetween(Date.parse('2026-08-01T00:00:00+07:00'), Date.parse('2026-09-01T00:00:00+07:00'));
    expect(wet).toBeGreaterThan(120);
    expect(dry).toBeLessThan(wet / 4);
    const year = w.rainBetween(Date.parse('2026-01-01T00:00:00+07:00'), Date.parse('2027-01-01T00:00:00+07:00'));
    expect(year).toBeGreaterThan(1200);
    expect(year).toBeLessThan(2800);
  });

  it('a shower lowers air temperature and radiation', () => {
    const events = w.rainEvents(Date.parse('2026-01-01T00:00:00+07:00'), Date.parse('2026-02-01T00:00:00+07:00'));
    const daytime = events.filter((e) => {
      const h = localHour(e.start);
      return h > 10 && h < 15 && e.end - e.start > 40 * 60_000;
    });
    expect(daytime.length).toBeGreaterThan(0);
    const dry = new VillageWeather(scenario.village, scenario.seed, { wetEventsPerDay: 0, dryEventsPerDay: 0 });
    for (const e of daytime) {
      const mid = (e.start + e.end) / 2;
      expect(w.airTemperature(mid)).toBeLessThan(dry.airTemperature(mid) - 1);
      expect(w.solarRadiation(mid)).toBeLessThan(dry.solarRadiation(mid));
    }
  });
});
