import type { StorageRoomSite } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { DAY, DEMO_SCENARIO_PATH, HOUR, LaggedRoom, loadScenario, MINUTE, VillageWeather } from '../../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const dry = scenario.sites.find((s) => s.id === 'ruang-kering') as StorageRoomSite;
const eggs = scenario.sites.find((s) => s.id === 'ruang-telur') as StorageRoomSite;
const noDoor = { doorChancePer10Min: 0 };

describe('lagged storage room', () => {
  it('follows outside temperature with a smaller swing and a later peak', () => {
    const w = new VillageWeather(scenario.village, scenario.seed, { wetPowerCutsPerDay: 0, dryPowerCutsPerDay: 0 });
    const room = new LaggedRoom(dry, w, noDoor);
    const day = Date.parse('2026-08-10T00:00:00+07:00');
    room.spinUp(day);
    const inside: number[] = [];
    const outside: number[] = [];
    for (let m = 0; m < 24 * 60; m += 5) {
      room.advance(day + m * MINUTE);
      inside.push(room.temperature);
      outside.push(w.airTemperature(day + m * MINUTE));
    }
    const swing = (a: number[]) => Math.max(...a) - Math.min(...a);
    expect(swing(inside)).toBeLessThan(swing(outside) * 0.7);
    expect(swing(inside)).toBeGreaterThan(0.5);
    const peak = (a: number[]) => a.indexOf(Math.max(...a));
    expect(peak(inside)).toBeGreaterThan(peak(outside) + 12); // more than an hour later
  });

  it('the egg room holds its set point and warms during a power cut (an excursion)', () => {
    const w = new VillageWeather(scenario.village, scenario.seed);
    const from = Date.parse('2026-01-01T00:00:00+07:00');
    const cut = w.powerCuts(from, from + 60 * DAY).find((c) => c.end - c.start > 90 * MINUTE);
    expect(cut).toBeDefined();
    const room = new LaggedRoom(eggs, w, noDoor);
    room.spinUp(cut!.start - 1);
    const before = room.temperature;
    expect(before).toBeGreaterThan(10);
    expect(before).toBeLessThan(14);
    room.advance(cut!.end);
    expect(room.temperature).toBeGreaterThan(before + 2);
    room.advance(cut!.end + 3 * HOUR);
    expect(room.temperature).toBeLessThan(before + 1); // recovers when the mains is back
  });

  it('door openings give short spikes during working hours only', () => {
    const w = new VillageWeather(scenario.village, scenario.seed, { wetPowerCutsPerDay: 0, dryPowerCutsPerDay: 0 });
    const room = new LaggedRoom(eggs, w);
    const monday = Date.parse('2026-03-02T00:00:00+07:00');
    let openings = 0;
    for (let m = 0; m < 24 * 60; m++) {
      const ts = monday + m * MINUTE;
      if (room.doorOpen(ts)) {
        openings++;
        const h = m / 60;
        expect(h >= 7 && h < 16).toBe(true);
      }
    }
    expect(openings).toBeGreaterThan(0);
  });
});
