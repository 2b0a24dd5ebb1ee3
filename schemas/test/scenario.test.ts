import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Fault, Scenario, type ScenarioInput, scenarioRules, ThresholdRule } from '../src/index.ts';

const demo = JSON.parse(
  readFileSync(new URL('../../firmware-sim/scenarios/kelurahan-taman.json', import.meta.url), 'utf8'),
) as ScenarioInput;

const issues = (raw: unknown) => {
  const r = Scenario.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('Scenario', () => {
  it('accepts the demo scenario and fills defaults', () => {
    const s = Scenario.parse(demo);
    expect(s.village.id).toBe('kel-taman');
    expect(s.devices.every((d) => Array.isArray(d.faults))).toBe(true);
    expect(s.version).toBe(1);
  });

  it('rejects duplicate site and device ids', () => {
    const bad = structuredClone(demo);
    bad.sites.push({ ...bad.sites[0]! });
    bad.devices.push({ ...bad.devices[0]! });
    const found = issues(bad);
    expect(found).toContain(`sites.${bad.sites.length - 1}.id: duplicate site id "stasiun-cuaca"`);
    expect(found).toContain(`devices.${bad.devices.length - 1}.id: duplicate device id "taman-ws-01"`);
  });

  it('rejects a device on a missing site, and a storage room outside a packing house', () => {
    const bad = structuredClone(demo);
    bad.devices[0]!.siteId = 'nowhere';
    const room = bad.sites.find((s) => s.id === 'ruang-telur')!;
    room.parentId = 'sawah-a';
    const found = issues(bad);
    expect(found).toContain('devices.0.siteId: no site "nowhere"');
    expect(found.some((f) => /parentId: a storage room's parent must be a packing_house/.test(f))).toBe(true);
  });

  it('rejects bad field values with the field named', () => {
    const bad = structuredClone(demo);
    bad.village.timezone = 'Asia/Madiun';
    bad.devices[1]!.intervalSeconds = 1;
    (bad.sites[1] as { soil: { wiltingPoint: number } }).soil.wiltingPoint = 0.9;
    const found = issues(bad);
    expect(found.some((f) => f.startsWith('village.timezone:'))).toBe(true);
    expect(found.some((f) => f.startsWith('devices.1.intervalSeconds:'))).toBe(true);
    expect(found.some((f) => f.startsWith('sites.1.soil') && /wiltingPoint must be below fieldCapacity/.test(f))).toBe(
      true,
    );
  });

  it('rejects a reserved device id and an implausible kode wilayah', () => {
    const bad = structuredClone(demo);
    bad.devices[0]!.id = 'edges';
    bad.village.kodeWilayah = '3577011007';
    const found = issues(bad);
    expect(found.some((f) => f.startsWith('devices.0.id:'))).toBe(true);
    expect(found.some((f) => f.startsWith('village.kodeWilayah:'))).toBe(true);
    bad.devices[0]!.id = 'taman-ws-01';
    bad.village.kodeWilayah = '35.77.01.1007';
    expect(issues(bad)).toEqual([]);
  });

  it('faults default their parameters', () => {
    expect(Fault.parse({ type: 'intermittent' })).toMatchObject({
      buffer: true,
      bufferSize: 256,
      meanOfflineMinutes: 60,
    });
    expect(Fault.safeParse({ type: 'melting' }).success).toBe(false);
  });
});

describe('scenarioRules', () => {
  it('turns each storage room range into temperature and humidity threshold rules', () => {
    const rules = scenarioRules(Scenario.parse(demo));
    for (const r of rules) expect(ThresholdRule.safeParse(r).success).toBe(true);
    expect(rules.map((r) => r.id).sort()).toEqual([
      'ruang-kering-humidity',
      'ruang-kering-temperature',
      'ruang-telur-humidity',
      'ruang-telur-temperature',
    ]);
    expect(rules.find((r) => r.id === 'ruang-telur-temperature')).toMatchObject({
      siteId: 'ruang-telur',
      metric: 'air_temperature',
      min: 10,
      max: 15,
      forSeconds: 900,
      severity: 'warning',
    });
    const dryRh = rules.find((r) => r.id === 'ruang-kering-humidity')!;
    expect(dryRh).toMatchObject({ metric: 'relative_humidity', max: 70 });
    expect(dryRh.min).toBeUndefined();
    expect(dryRh.label?.id).toContain('Ruang barang kering');
    expect(scenarioRules(Scenario.parse(demo), { forSeconds: 60 })[0]?.forSeconds).toBe(60);
  });
});
