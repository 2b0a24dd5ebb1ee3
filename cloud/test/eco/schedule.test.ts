import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SCENARIO_PATH, loadScenario } from '@lumbung/firmware-sim';
import { createLogger, hashSecret, waitFor } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import { DuckDbStore } from '@lumbung/store';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Cloud } from '../../src/cloud.ts';
import { CsrReportSchedule } from '../../src/eco/schedule.ts';
import { EcoService } from '../../src/eco/service.ts';
import { openRegistry, type Registry, seedFromScenario } from '../../src/registry/index.ts';
import { type TestDatabase, testDatabases } from '../databases.ts';
import { villageReadings } from '../fixture.ts';

const V = 'kel-taman';
const OTHER = 'desa-lain';
/** A local time in Kelurahan Taman (WIB, UTC+7). */
const wib = (s: string) => Date.parse(`${s}+07:00`);
const HOUR = 3_600_000;

function otherVillage(base: Scenario): Scenario {
  return {
    ...base,
    village: { ...base.village, id: OTHER, name: 'Desa Lain' },
    devices: base.devices.map((d) => ({ ...d, id: d.id.replace(/^taman-/, 'lain-') })),
  };
}

const settings = (villageId: string, csrPartnerName: string | null) => ({
  villageId,
  gridRegion: 'jamali',
  meterSources: {},
  csrPartnerName,
  csrProgrammeName: csrPartnerName ? 'Program Uji' : null,
});

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`the monthly CSR report on ${db.name}`, () => {
    let d: TestDatabase;
    let dir: string;
    let registry: Registry;
    let store: DuckDbStore;
    const clock = { now: wib('2026-12-01T12:00:00') };
    const now = () => clock.now;
    const schedule = () => new CsrReportSchedule({ registry, service: new EcoService({ registry, store, now }), now });
    const scheduled = async (villageId: string) =>
      (await registry.eco.listCsrReports(villageId)).filter((r) => r.trigger === 'schedule');

    beforeAll(async () => {
      d = await db.create();
      dir = await mkdtemp(path.join(tmpdir(), 'lumbung-csr-schedule-'));
      const scenario = await loadScenario(DEMO_SCENARIO_PATH);
      store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
      await store.start();
      // Two days of the village's readings at the end of November: the report has meter data to show.
      const meters = new Set(['taman-em-01', 'taman-wm-01']);
      await store.write(
        villageReadings(scenario, wib('2026-11-28T00:00:00'), wib('2026-12-01T00:00:00')).filter((r) =>
          meters.has(r.deviceId),
        ),
      );
      registry = openRegistry(d);
      await registry.start();
      for (const s of [scenario, otherVillage(scenario)])
        await seedFromScenario(registry, s, {
          edgeId: `box-${s.village.id}`,
          edgeName: 'Kotak desa',
          edgeSecretHash: hashSecret('x'),
          deviceSecretHashes: Object.fromEntries(s.devices.map((x) => [x.id, hashSecret('y')])),
        });
      await registry.eco.putEcoSettings(settings(V, 'PT Contoh Hijau'));
      // The other village has settings but no CSR partner yet: no report.
      await registry.eco.putEcoSettings(settings(OTHER, null));
    }, 120_000);
    afterEach(() => {
      vi.useRealTimers();
    });
    afterAll(async () => {
      await registry?.stop();
      await store?.stop();
      await d?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('waits a day after the month ends (a village box may still be sending its last night)', async () => {
      clock.now = wib('2026-12-01T12:00:00');
      const r = await schedule().check();
      expect(r).toEqual({ made: [], existing: [], failed: [] });
      expect(await scheduled(V)).toEqual([]);
    });

    it('makes last month’s report for the village with a CSR partner, only for it', async () => {
      clock.now = wib('2026-12-02T00:30:00');
      const r = await schedule().check();
      expect(r.made.map((m) => [m.villageId, m.from, m.to])).toEqual([[V, '2026-11-01', '2026-12-01']]);
      const [report] = await scheduled(V);
      expect(report).toMatchObject({
        from: '2026-11-01',
        to: '2026-12-01',
        trigger: 'schedule',
        generatedBy: 'jadwal',
        generatedAt: clock.now,
        partnerName: 'PT Contoh Hijau',
      });
      expect(report?.headline.find((h) => h.key === 'energy.total.kwh')?.value).toBeGreaterThan(30);
      expect(await registry.eco.listCsrReports(OTHER)).toEqual([]);
    });

    it('does not make it twice: not after a restart, not on the next hourly look', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      clock.now = wib('2026-12-02T03:00:00');
      const job = schedule();
      await job.start();
      expect((await job.idle())?.existing).toEqual([V]);
      clock.now += HOUR;
      vi.advanceTimersByTime(HOUR);
      const next = await job.idle();
      expect(next).toEqual({ made: [], existing: [V], failed: [] });
      await job.stop();
      expect(await scheduled(V)).toHaveLength(1);
    });

    it('looks every hour, and makes the next month’s report when it is due', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      clock.now = wib('2027-01-01T22:00:00');
      const job = schedule();
      await job.start();
      expect((await job.idle())?.made).toEqual([]);
      for (let h = 0; h < 3; h++) {
        clock.now += HOUR;
        vi.advanceTimersByTime(HOUR);
        await job.idle();
      }
      await job.stop();
      expect((await scheduled(V)).map((r) => r.from)).toEqual(['2026-12-01', '2026-11-01']);
      // Stopped: the timer no longer fires.
      clock.now += 40 * 24 * HOUR;
      vi.advanceTimersByTime(5 * HOUR);
      expect(await job.idle()).toBeUndefined();
      expect(await scheduled(V)).toHaveLength(2);
    });

    it('two cloud processes looking at once make one report: the store refuses the second', async () => {
      clock.now = wib('2027-02-02T06:00:00');
      const [a, b] = await Promise.all([schedule().check(), schedule().check()]);
      expect([...a.made, ...b.made].map((m) => m.from)).toEqual(['2027-01-01']);
      expect([...a.existing, ...b.existing]).toEqual([V]);
      expect([...a.failed, ...b.failed]).toEqual([]);
      expect((await scheduled(V)).filter((r) => r.from === '2027-01-01')).toHaveLength(1);
    });

    it('leaves a month alone whose report someone already made by hand', async () => {
      await registry.eco.putEcoSettings(settings(OTHER, 'PT Mitra Lain'));
      clock.now = wib('2027-02-02T07:00:00');
      const service = new EcoService({ registry, store, now });
      await service.createReport(OTHER, { from: '2027-01-01', to: '2027-02-01' }, { trigger: 'manual', by: 'mitra' });
      const r = await schedule().check();
      expect(r.made).toEqual([]);
      expect(r.existing.sort()).toEqual([OTHER, V].sort());
      expect(await scheduled(OTHER)).toEqual([]);
    });

    it('runs with the Cloud component: started with it, on its clock', async () => {
      clock.now = wib('2027-03-02T02:00:00');
      const cloud = new Cloud({
        host: '127.0.0.1',
        port: 0,
        registry: openRegistry(d),
        store,
        version: '0.0.0-test',
        logger: createLogger('csr-schedule-test', 'silent'),
        now,
      });
      await cloud.start();
      try {
        const made = await waitFor('the scheduled report of February', async () => {
          const list = await scheduled(V);
          return list.find((r) => r.from === '2027-02-01');
        });
        expect(made.generatedAt).toBe(clock.now);
        await waitFor('the other village’s', async () => (await scheduled(OTHER)).length === 1 || undefined);
      } finally {
        await cloud.stop();
      }
    });
  });
}
