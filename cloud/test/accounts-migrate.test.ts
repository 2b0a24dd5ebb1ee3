import { hashSecret } from '@lumbung/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTarget } from '../src/registry/database.ts';
import { openRegistry } from '../src/registry/index.ts';
import { migrateTarget, readMigrations } from '../src/registry/migrate.ts';
import { sql, type TestDatabase, testDatabases } from './databases.ts';

const T0 = Date.UTC(2026, 10, 1);
const deviceHash = hashSecret('node-lama-secret');

/** A village as a registry at 0001_init holds it: written with the SQL of that time, not the current client. */
const DATA_AT_0001 = [
  `INSERT INTO villages (id, name, time_zone, latitude, longitude) VALUES ('kel-lama', 'Kelurahan Lama', 'Asia/Jakarta', -7.45, 112.7)`,
  `INSERT INTO sites (village_id, id, kind, name, crop, planting_date, area_m2, field_capacity, wilting_point, root_depth, water)
   VALUES ('kel-lama', 'sawah-1', 'plot', 'Sawah 1', 'rice', '2026-10-01', 1200, 0.32, 0.15, 0.4, 'irrigated')`,
  `INSERT INTO devices (id, village_id, site_id, family, interval_seconds, secret_hash, presence_state, presence_at)
   VALUES ('node-lama', 'kel-lama', 'sawah-1', 'soil_probe', 300, '${deviceHash}', 'online', ${T0})`,
  `INSERT INTO edges (id, village_id, name, secret_hash) VALUES ('box-lama', 'kel-lama', 'Kotak', '${hashSecret('box')}')`,
  `INSERT INTO alerts (id, key, village_id, source, severity, message_id, message_en, raised_at)
   VALUES ('al-1', 'k1', 'kel-lama', 'edge', 'warning', 'Suhu tinggi', 'High temperature', ${T0})`,
];

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`migration 0002_accounts on ${db.name}`, () => {
    let d: TestDatabase;
    beforeEach(async () => {
      d = await db.create();
    });
    afterEach(async () => {
      await d?.cleanup();
    });

    it('takes a database at 0001 with data to 0002, keeping its data, which accounts can then refer to', async () => {
      const all = await readMigrations(db.name);
      expect(all.map((m) => m.name).slice(0, 2)).toEqual(['0001_init', '0002_accounts']);
      expect(await migrateTarget(databaseTarget(d.url, d.dataDir), all.slice(0, 1))).toEqual(['0001_init']);
      for (const statement of DATA_AT_0001) await sql(d, statement);

      const registry = openRegistry(d);
      await registry.start();
      try {
        expect(await registry.getVillage('kel-lama')).toMatchObject({
          name: 'Kelurahan Lama',
          timeZone: 'Asia/Jakarta',
        });
        expect(await registry.getSite('kel-lama', 'sawah-1')).toMatchObject({ kind: 'plot', plot: { areaM2: 1200 } });
        expect(await registry.getDevice('kel-lama', 'node-lama')).toMatchObject({ siteId: 'sawah-1', revoked: false });
        expect((await registry.edgeProvisioning('box-lama'))?.devices).toEqual([
          expect.objectContaining({ deviceId: 'node-lama', secretHash: deviceHash }),
        ]);
        expect(await registry.presence('device', 'kel-lama')).toEqual(
          new Map([['node-lama', { state: 'online', at: T0 }]]),
        );
        expect((await registry.listAlerts('kel-lama', { limit: 10 })).map((a) => a.id)).toEqual(['al-1']);

        const a = registry.accounts;
        const u = await a.createUser({ username: 'petani', displayName: 'Pak Tani', createdAt: T0 });
        expect(
          await a.setMemberships(u.id, [{ role: 'farmer', villageId: 'kel-lama', siteIds: ['sawah-1'] }], T0),
        ).toEqual([expect.objectContaining({ role: 'farmer', villageId: 'kel-lama', siteIds: ['sawah-1'] })]);
        const code = await a.createProvisioningCode({
          villageId: 'kel-lama',
          deviceId: 'node-lama',
          codeHash: hashSecret('code'),
          createdAt: T0,
          expiresAt: T0 + 60_000,
          createdBy: u.id,
        });
        expect(await a.consumeProvisioningCode(code.codeHash, T0 + 1)).toEqual({ ...code, usedAt: T0 + 1 });
      } finally {
        await registry.stop();
      }
    });
  });
}
