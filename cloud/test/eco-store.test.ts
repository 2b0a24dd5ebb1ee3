import type { CsrReportSummary } from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry, RegistryError } from '../src/registry/index.ts';
import { type TestDatabase, testDatabases } from './databases.ts';

const V = 'desa-uji';

/** The agronomy and indicator records (EcoStore) on both databases. */
for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`EcoStore on ${db.name}`, () => {
    let d: TestDatabase;
    let registry: Registry;
    beforeAll(async () => {
      d = await db.create();
      registry = openRegistry(d);
      await registry.start();
      await registry.upsertVillage({
        id: V,
        name: 'Desa Uji',
        kodeWilayah: null,
        district: null,
        regency: null,
        province: null,
        timeZone: 'Asia/Jakarta',
        latitude: -7.6,
        longitude: 111.5,
        elevation: 60,
      });
    });
    afterAll(async () => {
      await registry?.stop();
      await d?.cleanup();
    });

    it('keeps irrigation per plot and lists it by date, inclusive', async () => {
      const base = { villageId: V, siteId: 'sawah-a', note: null, createdAt: 1, createdBy: 'petani' };
      await registry.eco.addIrrigation({ ...base, id: 'i2', date: '2026-11-10', mm: 20 });
      await registry.eco.addIrrigation({ ...base, id: 'i1', date: '2026-11-05', mm: 30 });
      await registry.eco.addIrrigation({ ...base, id: 'i3', date: '2026-11-12', mm: 25, siteId: 'kebun' });
      const got = await registry.eco.listIrrigation(V, { siteId: 'sawah-a', from: '2026-11-05', to: '2026-11-10' });
      expect(got.map((r) => [r.id, r.mm])).toEqual([
        ['i1', 30],
        ['i2', 20],
      ]);
      await expect(
        registry.eco.addIrrigation({ ...base, id: 'x', villageId: 'nope', date: '2026-11-10', mm: 1 }),
      ).rejects.toBeInstanceOf(RegistryError);
    });

    it('keeps records, settings and CSR reports (one scheduled report per period)', async () => {
      await registry.eco.addEcoRecord({
        id: 'r1',
        villageId: V,
        date: '2026-10-03',
        kind: 'fuel',
        source: 'diesel',
        quantity: 40,
        note: 'genset',
        createdAt: 5,
        createdBy: 'operator',
      });
      expect((await registry.eco.listEcoRecords(V, { from: '2026-10-01', to: '2026-11-01' })).length).toBe(1);
      expect(await registry.eco.listEcoRecords(V, { from: '2026-10-04', to: '2026-11-01' })).toEqual([]);
      expect(await registry.eco.getEcoSettings(V)).toBeUndefined();
      const settings = {
        villageId: V,
        gridRegion: 'jamali',
        meterSources: { 'meter-listrik': 'grid' },
        csrPartnerName: 'PT Contoh',
        csrProgrammeName: 'Desa Hijau',
      };
      expect(await registry.eco.putEcoSettings(settings)).toEqual(settings);
      expect(await registry.eco.getEcoSettings(V)).toEqual(settings);
      const summary: CsrReportSummary = {
        id: 'csr-1',
        villageId: V,
        villageIds: [V],
        from: '2026-10-01',
        to: '2026-11-01',
        generatedAt: 1000,
        trigger: 'schedule',
        generatedBy: 'jadwal',
        partnerName: 'PT Contoh',
        programmeName: 'Desa Hijau',
        headline: [{ key: 'energy_total', value: 12.5, unit: 'kWh', changePct: null }],
      };
      await registry.eco.addCsrReport({ ...summary, inputs: { a: 1 } });
      await expect(registry.eco.addCsrReport({ ...summary, id: 'csr-2', inputs: {} })).rejects.toMatchObject({
        kind: 'conflict',
      });
      expect(await registry.eco.listCsrReports(V)).toEqual([summary]);
      expect(await registry.eco.getCsrReport(V, 'csr-1')).toEqual({ ...summary, inputs: { a: 1 } });
      expect(await registry.eco.getCsrReport('other', 'csr-1')).toBeUndefined();
    });
  });
}
