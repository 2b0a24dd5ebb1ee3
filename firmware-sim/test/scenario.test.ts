import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_SCENARIO_PATH, loadScenario, parseScenario, ScenarioError } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lumbung-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = JSON.parse(readFileSync(DEMO_SCENARIO_PATH, 'utf8'));

async function errorOf(raw: unknown | string): Promise<ScenarioError> {
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof raw === 'string' ? raw : JSON.stringify(raw));
  const err = await loadScenario(path).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScenarioError);
  return err as ScenarioError;
}

describe('loadScenario', () => {
  it('loads the demo: Kelurahan Taman, Kota Madiun', async () => {
    const s = await loadScenario(DEMO_SCENARIO_PATH);
    expect(s.village).toMatchObject({ id: 'kel-taman', regency: 'Kota Madiun', latitude: -7.63, longitude: 111.52 });
    expect(s.village.kodeWilayah).toBeUndefined(); // not verified, so left out
    expect(s.sites.filter((x) => x.kind === 'plot').map((x) => x.kind === 'plot' && x.crop)).toEqual([
      'rice',
      'rice',
      'chilli',
    ]);
    expect(s.sites.filter((x) => x.kind === 'storage_room')).toHaveLength(2);
  });

  it('names the bad field in a readable message', async () => {
    const bad = structuredClone(demo);
    bad.devices[2].intervalSeconds = 0;
    const err = await errorOf(bad);
    expect(err.message).toMatch(/invalid scenario/);
    expect(err.message).toMatch(/devices\[2\]\.intervalSeconds: /);
    expect(err.issues[0]?.path).toBe('devices[2].intervalSeconds');
  });

  it('rejects an unknown family and lists the known ones', async () => {
    const bad = structuredClone(demo);
    bad.devices[0].family = 'rain_gauge';
    const err = await errorOf(bad);
    expect(err.message).toMatch(/devices\[0\]\.family: unknown family "rain_gauge"; known: weather_station/);
  });

  it('rejects a family on the wrong kind of site, a meter on the wrong meter point, a battery fault on mains', async () => {
    const bad = structuredClone(demo);
    bad.devices[1].siteId = 'ruang-telur'; // a soil probe in the egg room
    bad.devices[6].siteId = 'meter-air'; // the energy meter on the water meter point
    bad.devices[6].faults = [{ type: 'battery_decline' }];
    const err = await errorOf(bad);
    const paths = err.issues.map((i) => i.path);
    expect(paths).toContain('devices[1].siteId');
    expect(paths).toContain('devices[6].siteId');
    expect(paths).toContain('devices[6].faults[0]');
  });

  it('reports a file that is not JSON, or missing', async () => {
    expect((await errorOf('{ nope')).message).toMatch(/not JSON/);
    const err = await loadScenario(join(dir, 'missing.json')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cannot read file/);
  });

  it('parseScenario accepts a value already in memory', () => {
    expect(parseScenario(demo).devices).toHaveLength(8);
  });
});
