import { readdirSync } from 'node:fs';
import { defaultCatalogue, UpPayload } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIO_PATH, type DeviceFamily, families, generateReadings, loadScenario } from '../../src/index.ts';

const scenario = await loadScenario(DEMO_SCENARIO_PATH);
const familyFiles = readdirSync(new URL('../../src/families/', import.meta.url)).filter(
  (f) => f.endsWith('.ts') && f !== 'index.ts',
);

describe('family catalogue', () => {
  it.each(familyFiles)('%s defines a family that is registered', async (file) => {
    const mod = (await import(`../../src/families/${file}`)) as Record<string, DeviceFamily>;
    const defs = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'extend' in v);
    expect(defs.length).toBe(1);
    const def = defs[0]!;
    expect(families[def.id]).toBe(def);
  });

  it('registers exactly the family files, with the five families of the issue', () => {
    expect(Object.keys(families).sort()).toEqual(
      ['energy_meter', 'soil_probe', 'storage_room_sensor', 'water_meter', 'weather_station'].sort(),
    );
    expect(Object.keys(families)).toHaveLength(familyFiles.length);
  });

  it.each(Object.values(families).map((f) => [f.id, f] as const))('%s writes only catalogue metrics', (_id, f) => {
    expect(f.metrics.length).toBeGreaterThan(0);
    for (const m of f.metrics) expect(defaultCatalogue.has(m), m).toBe(true);
    if (f.power !== 'mains') expect(f.cutoffVolts).toBeGreaterThan(0);
  });

  it('every demo device references a known family that fits its site', () => {
    const sites = new Map(scenario.sites.map((s) => [s.id, s]));
    for (const d of scenario.devices) {
      const f = families[d.family];
      expect(f, d.family).toBeDefined();
      expect(f!.siteKinds).toContain(sites.get(d.siteId)!.kind);
    }
    // Every family is used by the demo, so the demo exercises the whole catalogue.
    expect(new Set(scenario.devices.map((d) => d.family))).toEqual(new Set(Object.keys(families)));
  });

  // Two weeks in the wet season and two in the dry season: every value valid and plausible.
  it.each([
    ['wet season', '2026-01-05T00:00:00+07:00'],
    ['dry season', '2026-08-05T00:00:00+07:00'],
  ])('emits valid payloads with every value inside its plausible range (%s)', (_name, start) => {
    const from = Date.parse(start);
    const out = generateReadings(scenario, { from, to: from + 14 * 86_400_000 });
    const seen = new Map<string, Set<string>>();
    const problems: string[] = [];
    const familyOf = new Map(scenario.devices.map((d) => [d.id, families[d.family]!]));
    for (const e of out) {
      if (!UpPayload.safeParse(e.payload).success) problems.push(`${e.deviceId}: invalid payload`);
      const fam = familyOf.get(e.deviceId)!;
      const s = seen.get(e.deviceId) ?? new Set();
      for (const [metric, value] of Object.entries(e.payload.readings)) {
        const why = defaultCatalogue.check(metric, value);
        if (why) problems.push(`${e.deviceId} ${metric}=${value}: ${why}`);
        if (!fam.metrics.includes(metric)) problems.push(`${e.deviceId} ${metric}: not declared by ${fam.id}`);
        s.add(metric);
      }
      seen.set(e.deviceId, s);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    for (const d of scenario.devices)
      expect([...(seen.get(d.id) ?? [])].sort()).toEqual([...families[d.family]!.metrics].sort());
  });
});
