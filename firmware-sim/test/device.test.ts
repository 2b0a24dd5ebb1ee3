import type { FaultInput } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { DAY, DEMO_SCENARIO_PATH, generateReadings, HOUR, loadScenario } from '../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const from = Date.parse('2026-03-10T00:00:00+07:00');
const iso = (ts: number) => new Date(ts).toISOString();
const run = (deviceId: string, faults: FaultInput[], to = from + DAY) =>
  generateReadings(scenario, { from, to, devices: [deviceId], faults: { [deviceId]: faults } });
const clean = (deviceId: string, to = from + DAY) => generateReadings(scenario, { from, to, devices: [deviceId] });

describe('faults', () => {
  it('stuck: a metric repeats the last value read before the fault, only inside its window', () => {
    const out = run('taman-ws-01', [
      { type: 'stuck', metric: 'air_temperature', from: iso(from + 6 * HOUR), to: iso(from + 12 * HOUR) },
    ]);
    const base = clean('taman-ws-01');
    const inside = out.filter((e) => e.ts >= from + 6 * HOUR && e.ts < from + 12 * HOUR);
    const last = base.filter((e) => e.ts < from + 6 * HOUR).at(-1)!;
    expect(new Set(inside.map((e) => e.payload.readings.air_temperature))).toEqual(
      new Set([last.payload.readings.air_temperature]),
    );
    // Other metrics and times are untouched.
    const after = out.filter((e) => e.ts >= from + 12 * HOUR);
    expect(after.map((e) => e.payload.readings)).toEqual(
      base.filter((e) => e.ts >= from + 12 * HOUR).map((e) => e.payload.readings),
    );
    expect(inside.map((e) => e.payload.readings.relative_humidity)).toEqual(
      base
        .filter((e) => e.ts >= from + 6 * HOUR && e.ts < from + 12 * HOUR)
        .map((e) => e.payload.readings.relative_humidity),
    );
  });

  it('spikes: some readings jump by the magnitude', () => {
    const out = run('taman-th-telur', [
      { type: 'spikes', metric: 'air_temperature', probability: 0.05, magnitude: 20 },
    ]);
    const base = clean('taman-th-telur');
    const diffs = out.map((e, i) =>
      Math.abs(e.payload.readings.air_temperature! - base[i]!.payload.readings.air_temperature!),
    );
    const spikes = diffs.filter((d) => d > 19.9);
    expect(spikes.length).toBeGreaterThan(30);
    expect(spikes.length).toBeLessThan(120);
    expect(diffs.filter((d) => d > 0 && d < 19.9)).toEqual([]);
  });

  it('dropout: messages go missing and leave gaps in seq', () => {
    const out = run('taman-th-telur', [{ type: 'dropout', probability: 0.2 }]);
    expect(out.length).toBeGreaterThan(1440 * 0.7);
    expect(out.length).toBeLessThan(1440 * 0.9);
    const gaps = out.filter((e, i) => i > 0 && e.payload.seq !== out[i - 1]!.payload.seq + 1);
    expect(gaps.length).toBeGreaterThan(100);
  });

  it('clock drift: the device timestamp runs away from true time, increasingly', () => {
    const out = run('taman-ws-01', [{ type: 'clock_drift', secondsPerDay: 120 }], from + 2 * DAY);
    const skew = out.map((e) => e.payload.ts! - e.ts);
    expect(skew[0]).toBeLessThan(1000);
    expect(skew.at(-1)).toBeGreaterThan(230_000);
    for (let i = 1; i < skew.length; i++) expect(skew[i]).toBeGreaterThanOrEqual(skew[i - 1]!);
  });

  it('battery decline: the voltage falls, then the device browns out and goes silent', () => {
    const out = run('taman-soil-cabai', [{ type: 'battery_decline', voltsPerDay: 0.5 }], from + 4 * DAY);
    const v = out.map((e) => e.payload.battery!);
    expect(v[0]).toBeGreaterThan(2.5);
    expect(v.at(-1)).toBeLessThan(2.3);
    expect(v.at(-1)).toBeGreaterThanOrEqual(2.2);
    expect(out.length).toBeLessThan(4 * 96);
    expect(out.at(-1)!.ts).toBeLessThan(from + 3 * DAY);
  });

  it('intermittent (buffered): nothing is sent while offline, then the backlog comes with original timestamps', () => {
    const out = run('taman-th-telur', [{ type: 'intermittent', meanOnlineMinutes: 120, meanOfflineMinutes: 60 }]);
    expect(out).toHaveLength(1440); // nothing lost
    const late = out.filter((e) => e.sentAt > e.ts);
    expect(late.length).toBeGreaterThan(100);
    for (const e of late) expect(e.payload.ts).toBe(e.ts);
    const seqs = out.map((e) => e.payload.seq);
    expect(new Set(seqs).size).toBe(1440);
  });

  it('intermittent (lost): readings taken offline never arrive', () => {
    const out = run('taman-th-telur', [
      { type: 'intermittent', meanOnlineMinutes: 120, meanOfflineMinutes: 60, buffer: false },
    ]);
    expect(out.length).toBeLessThan(1440 * 0.9);
    expect(out.every((e) => e.sentAt === e.ts)).toBe(true);
  });

  it('faults from the scenario apply too', () => {
    const s = structuredClone(scenario);
    s.devices[0]!.faults = [{ type: 'dropout', probability: 1 }];
    expect(generateReadings(s, { from, to: from + DAY, devices: [s.devices[0]!.id] })).toEqual([]);
  });
});
