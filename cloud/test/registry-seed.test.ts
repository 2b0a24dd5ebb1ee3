import { DEMO_SCENARIO_PATH, loadScenario, provisionScenario } from '@lumbung/firmware-sim';
import { generateSecret, hashSecret } from '@lumbung/runtime';
import { type Scenario, SITE_KINDS } from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry, seedFromScenario } from '../src/registry/index.ts';
import { type TestDatabase, testDatabases } from './databases.ts';

const EDGE_ID = 'taman-box';
const EDGE_SECRET = generateSecret();

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`seedFromScenario on ${db.name} with the demo scenario (Kelurahan Taman)`, () => {
    let d: TestDatabase;
    let r: Registry;
    let scenario: Scenario;
    let secrets: Record<string, string>;
    const seed = (s: Scenario = scenario) =>
      seedFromScenario(r, s, {
        edgeId: EDGE_ID,
        edgeName: 'Kotak desa Taman',
        edgeSecretHash: hashSecret(EDGE_SECRET),
        deviceSecretHashes: Object.fromEntries(Object.entries(secrets).map(([id, s]) => [id, hashSecret(s)])),
      });

    beforeAll(async () => {
      scenario = await loadScenario(DEMO_SCENARIO_PATH);
      secrets = provisionScenario(scenario, { edgeId: EDGE_ID }).secrets;
      d = await db.create();
      r = openRegistry(d);
      await r.start();
      await seed();
    });
    afterAll(async () => {
      await r?.stop();
      await d?.cleanup();
    });

    it('stores the village with its time zone and without a kode wilayah the scenario leaves out', async () => {
      expect(await r.getVillage('kel-taman')).toEqual({
        id: 'kel-taman',
        name: 'Kelurahan Taman',
        kodeWilayah: null,
        district: 'Taman',
        regency: 'Kota Madiun',
        province: 'Jawa Timur',
        timeZone: 'Asia/Jakarta',
        latitude: -7.63,
        longitude: 111.52,
        elevation: 63,
      });
    });

    it('stores every site with the details of its kind and its parent', async () => {
      const sites = await r.listSites('kel-taman');
      expect(sites.map((s) => [s.kind, s.id])).toEqual(
        [...scenario.sites]
          .sort((a, b) => SITE_KINDS.indexOf(a.kind) - SITE_KINDS.indexOf(b.kind) || (a.id < b.id ? -1 : 1))
          .map((s) => [s.kind, s.id]),
      );
      const sawahA = scenario.sites.find((s) => s.id === 'sawah-a');
      if (sawahA?.kind !== 'plot') throw new Error('the demo scenario changed: sawah-a is no plot');
      expect(await r.getSite('kel-taman', 'sawah-a')).toMatchObject({
        parentId: null,
        plot: {
          crop: sawahA.crop,
          plantingDate: sawahA.plantingDate,
          areaM2: sawahA.areaM2,
          fieldCapacity: sawahA.soil.fieldCapacity,
          wiltingPoint: sawahA.soil.wiltingPoint,
          rootDepth: sawahA.soil.rootDepth,
          water: sawahA.water,
        },
        storageRoom: null,
        meterPoint: null,
      });
      expect(await r.getSite('kel-taman', 'ruang-kering')).toMatchObject({
        parentId: 'rumah-kemasan',
        storageRoom: { purpose: 'dry_goods', temperature: { min: 18, max: 30 }, humidity: { max: 70 } },
      });
      expect((await r.getSite('kel-taman', 'meter-air'))?.meterPoint).toEqual({ measures: 'water' });
      expect(await r.getSite('kel-taman', 'stasiun-cuaca')).toMatchObject({ plot: null, storageRoom: null });
    });

    it('stores every device on its site with its interval and sensor height', async () => {
      const devices = await r.listDevices('kel-taman');
      expect(devices).toHaveLength(scenario.devices.length);
      for (const sd of scenario.devices)
        expect(devices.find((x) => x.id === sd.id)).toEqual({
          id: sd.id,
          villageId: 'kel-taman',
          siteId: sd.siteId,
          family: sd.family,
          intervalSeconds: sd.intervalSeconds,
          sensorHeight: sd.sensorHeight ?? null,
          revoked: false,
        });
      expect(devices.find((x) => x.id === 'taman-ws-01')?.sensorHeight).toBe(3);
    });

    it('provisions the village box as the simulator does: same devices, hashes and rules', async () => {
      const expected = provisionScenario(scenario, { edgeId: EDGE_ID, secrets }).provisioning;
      const prov = await r.edgeProvisioning(EDGE_ID);
      const byId = (a: { deviceId: string }, b: { deviceId: string }) => (a.deviceId < b.deviceId ? -1 : 1);
      expect(prov?.devices).toEqual([...expected.devices].sort(byId));
      expect(prov?.rules).toEqual(expected.rules);
      expect(prov?.rules.length).toBeGreaterThan(0);
      expect(await r.verifyEdgeSecret(EDGE_ID, EDGE_SECRET)).toBe(true);
      expect(await r.getEdge(EDGE_ID)).toEqual({
        id: EDGE_ID,
        villageId: 'kel-taman',
        name: 'Kotak desa Taman',
        revoked: false,
      });
    });

    it('seeds again without change, keeping presence and alerts', async () => {
      const before = {
        sites: await r.listSites('kel-taman'),
        devices: await r.listDevices('kel-taman'),
        edges: await r.listEdges('kel-taman'),
      };
      await r.setPresence('device', [{ id: 'taman-ws-01', state: 'online', at: 1_000 }]);
      await r.recordAlert({
        id: 'seed-alert',
        key: 'rule:ruang-telur-temperature:taman-th-telur',
        villageId: 'kel-taman',
        source: 'rule',
        state: 'raised',
        severity: 'warning',
        ts: 1_000,
        message: { id: 'x', en: 'x' },
      });
      await seed();
      expect({
        sites: await r.listSites('kel-taman'),
        devices: await r.listDevices('kel-taman'),
        edges: await r.listEdges('kel-taman'),
      }).toEqual(before);
      expect((await r.presence('device', 'kel-taman')).get('taman-ws-01')).toEqual({ state: 'online', at: 1_000 });
      expect(await r.countOpenAlerts('kel-taman')).toBe(1);
    });

    it('keeps a revocation and a changed secret when seeded again (the registry is the source of truth)', async () => {
      await r.setDeviceRevoked('kel-taman', 'taman-em-01', true);
      await r.setDeviceSecret('kel-taman', 'taman-wm-01', hashSecret('rotated'));
      await seed();
      const prov = await r.edgeProvisioning(EDGE_ID);
      expect(prov?.devices.find((d) => d.deviceId === 'taman-em-01')?.revoked).toBe(true);
      expect(prov?.devices.find((d) => d.deviceId === 'taman-wm-01')?.secretHash).toBe(hashSecret('rotated'));
      await r.setDeviceRevoked('kel-taman', 'taman-em-01', false);
      await r.setDeviceSecret('kel-taman', 'taman-wm-01', hashSecret(secrets['taman-wm-01']!));
    });

    it('puts a parent before its child whatever the scenario order', async () => {
      const reversed: Scenario = {
        ...scenario,
        village: { ...scenario.village, id: 'kel-taman-rev' },
        sites: [...scenario.sites].reverse(),
        devices: scenario.devices.map((x) => ({ ...x, id: `${x.id}-rev` })),
      };
      const rev = Object.fromEntries(Object.entries(secrets).map(([id, s]) => [`${id}-rev`, hashSecret(s)]));
      await seedFromScenario(r, reversed, {
        edgeId: 'taman-box-rev',
        edgeName: 'Box',
        edgeSecretHash: hashSecret('x'),
        deviceSecretHashes: rev,
      });
      expect((await r.getSite('kel-taman-rev', 'ruang-telur'))?.parentId).toBe('rumah-kemasan');
      expect(await r.listDevices('kel-taman-rev')).toHaveLength(scenario.devices.length);
    });

    it('refuses to seed a device without a secret hash', async () => {
      const first = scenario.devices[0]!.id;
      await expect(
        seedFromScenario(r, scenario, {
          edgeId: EDGE_ID,
          edgeName: 'Box',
          edgeSecretHash: hashSecret('x'),
          deviceSecretHashes: { [first]: hashSecret('x') },
        }),
      ).rejects.toThrow(/no secret hash for device/);
      expect(await r.verifyEdgeSecret(EDGE_ID, EDGE_SECRET)).toBe(true);
    });
  });
}
