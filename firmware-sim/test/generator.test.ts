import { describe, expect, it } from 'vitest';
import { countSlots, DAY, DEMO_SCENARIO_PATH, generateReadings, loadScenario, seqOfSlot } from '../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const from = Date.parse('2026-03-10T00:00:00+07:00');
const to = from + 2 * DAY;

describe('generateReadings', () => {
  it('is deterministic: the same seed and range give identical output', () => {
    const a = generateReadings(scenario, { from, to });
    const b = generateReadings(scenario, { from, to });
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('a different seed gives different readings on the same schedule', () => {
    const a = generateReadings(scenario, { from, to });
    const b = generateReadings(scenario, { from, to, seed: scenario.seed + 1 });
    expect(b.map((e) => [e.deviceId, e.ts, e.payload.seq])).toEqual(a.map((e) => [e.deviceId, e.ts, e.payload.seq]));
    const differ = a.filter((e, i) => JSON.stringify(e.payload.readings) !== JSON.stringify(b[i]!.payload.readings));
    expect(differ.length).toBeGreaterThan(a.length * 0.9);
  });

  it('weather does not depend on where a range starts (pure in time)', () => {
    const long = generateReadings(scenario, { from: from - DAY, to, devices: ['taman-ws-01'] });
    const short = generateReadings(scenario, { from, to, devices: ['taman-ws-01'] });
    const tail = long.filter((e) => e.ts >= from);
    const pick = (e: (typeof short)[number]) => {
      const { rainfall: _r, ...rest } = e.payload.readings;
      return [e.ts, e.payload.seq, rest, e.payload.rssi];
    };
    expect(tail.map(pick)).toEqual(short.map(pick));
  });

  it('is in time order, one message per slot, seq incrementing by one per device', () => {
    const out = generateReadings(scenario, { from, to });
    for (let i = 1; i < out.length; i++) expect(out[i]!.sentAt).toBeGreaterThanOrEqual(out[i - 1]!.sentAt);
    const slots = countSlots(scenario, { from, to });
    for (const d of scenario.devices) {
      const mine = out.filter((e) => e.deviceId === d.id);
      expect(mine).toHaveLength(slots[d.id]!);
      expect(mine).toHaveLength((2 * DAY) / (d.intervalSeconds * 1000));
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.payload.seq).toBe(mine[i - 1]!.payload.seq + 1);
        expect(mine[i]!.ts - mine[i - 1]!.ts).toBe(d.intervalSeconds * 1000);
      }
    }
  });

  it('seq wraps like a uint32', () => {
    expect(seqOfSlot(2 ** 32 - 1)).toBe(4294967295);
    expect(seqOfSlot(2 ** 32)).toBe(0);
    expect(seqOfSlot(2 ** 32 + 5)).toBe(5);
  });
});
