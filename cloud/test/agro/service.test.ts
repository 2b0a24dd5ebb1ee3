import { BLAST_LEVELS, type SiteRecord } from '@lumbung/schemas';
import { localMidnight } from '@lumbung/schemas/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROPS, kcCurve } from '../../src/agro/crop.ts';
import { dewPoint, heatIndex } from '../../src/agro/humidity.ts';
import { AgroService } from '../../src/agro/service.ts';
import { paddyBalance } from '../../src/agro/water-balance.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';
import { addHighlandVillage, HIGH } from './fixture.ts';

const V = 'kel-taman';
const TZ = 'Asia/Jakarta';
const HOUR = 3_600_000;
/** Local midnight starting 20 November 2026, the fixture's "today" (NOW is 19:00 WIB). */
const MIDNIGHT = localMidnight('2026-11-20', TZ);

const sentences = (s: string) => s.split(/(?<=\.) /).length;

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`agro service on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let agro: AgroService;
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      agro = new AgroService({ registry: f.registry, store: f.store, now: () => NOW });
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const village = async (id = V) => (await f.registry.getVillage(id))!;
    const site = async (id: string) => (await f.registry.getSite(V, id))! as SiteRecord & { plot: object };
    const plant = async (id: string, plantingDate: string) => {
      const s = await site(id);
      await f.registry.upsertSite({ ...s, plot: { ...s.plot!, plantingDate } } as SiteRecord);
    };
    /** The fixture's complete days (18, 19 Nov) and today so far, as the API returns them. */
    const weather = async () => {
      const [d18, d19, d20] = await agro.weather(await village(), '2026-11-18', '2026-11-20');
      return { d18: d18!, d19: d19!, d20: d20! };
    };

    it('sawah-a (flooded rice): the ponded-water balance from the station days, and water to let in', async () => {
      const { d18, d19, d20 } = await weather();
      expect(d18.et0).not.toBeNull();
      expect(d19.et0).not.toBeNull();
      const a = await agro.advice(await village(), 'sawah-a');
      expect(a).toMatchObject({ crop: 'rice', daysAfterPlanting: 111, stage: { id: 'mid' }, kc: 1.2 });
      expect(a.water.model).toBe('paddy');
      // Today's whole-day ET0: the last complete day's (persistence) unless today's hours already exceed it.
      const todayEt0 = Math.max(a.et0Today!, d19.et0!);
      const kc = (dap: number) => kcCurve(CROPS.rice, dap);
      const expected = paddyBalance({
        initialDepth: 50,
        days: [
          { et0: d18.et0!, kc: kc(109), rain: d18.rainfall! },
          { et0: d19.et0!, kc: kc(110), rain: d19.rainfall! },
          { et0: todayEt0, kc: kc(111), rain: d20.rainfall! },
        ],
      }).days.at(-1)!;
      if (a.water.model !== 'paddy') throw new Error('paddy expected');
      expect(a.water.pondingMm).toBeCloseTo(expected.depth, 9);
      expect(a.water).toMatchObject({ targetMinMm: 30, targetMaxMm: 50 });
      // Below 3 cm: fill to 5 cm now.
      expect(expected.depth).toBeLessThan(30);
      expect(a.irrigation.action).toBe('now');
      expect(a.irrigation.mm).toBeCloseTo(50 - expected.depth, 1);
      expect(a.irrigation.message.id).toMatch(/^Alirkan air \d+ mm/);
      expect(a.etcToday).toBeCloseTo(1.2 * a.et0Today!, 9);

      // 30 mm let in today raise the ponding by 30 mm (nothing spills below the 150 mm bund).
      await agro.recordIrrigation(await village(), 'sawah-a', { date: '2026-11-20', mm: 30, note: null }, 'petani');
      const after = await agro.advice(await village(), 'sawah-a');
      if (after.water.model !== 'paddy') throw new Error('paddy expected');
      expect(after.water.pondingMm).toBeCloseTo(expected.depth + 30, 9);
      expect(after.irrigation.action).toBe('none');
      expect(after.recentIrrigation.map((r) => r.mm)).toEqual([30]);
    });

    it('kebun-cabai (chilli): the probe reading at midnight resets the depletion (FAO-56 Eq. 87), then today', async () => {
      await plant('kebun-cabai', '2026-10-01'); // 50 days: development stage
      // 24 % VWC a second before midnight: newer than the simulated probe's 23:45 reading.
      await f.store.write([
        {
          villageId: V,
          deviceId: 'taman-soil-cabai',
          metric: 'soil_moisture',
          ts: MIDNIGHT - 1000,
          value: 24,
          tsSource: 'device',
        },
      ]);
      const { d19, d20 } = await weather();
      const a = await agro.advice(await village(), 'kebun-cabai');
      if (a.water.model !== 'soil') throw new Error('soil expected');
      const taw = 1000 * (0.28 - 0.12) * 0.4;
      expect(a.water.taw).toBeCloseTo(taw, 9);
      expect(a.water.raw).toBeCloseTo(0.3 * taw, 9);
      expect(a.water.correctedByProbe).toBe(true);
      const kc = kcCurve(CROPS.chilli, 50);
      expect(a.kc).toBeCloseTo(kc, 12);
      const todayEt0 = Math.max(a.et0Today!, d19.et0!);
      // Dr = 1000 (θFC − θ) Zr = 16 mm at midnight; today's rain soaks in, the crop takes Kc ET0 (Ks = 1 below RAW).
      const dr = 1000 * (0.28 - 0.24) * 0.4 - d20.rainfall! + kc * todayEt0;
      expect(a.water.depletion).toBeCloseTo(dr, 9);
      expect(a.water.ks).toBe(1);
      // Tomorrow (persistence: yesterday's ET0, no rain) takes it past RAW: irrigate tomorrow morning.
      const tomorrow = dr + kcCurve(CROPS.chilli, 51) * d19.et0!;
      expect(tomorrow).toBeGreaterThan(0.3 * taw);
      expect(a.irrigation.action).toBe('tomorrow');
      expect(a.irrigation.mm).toBeCloseTo(tomorrow, 1);
      expect(a.irrigation.message.id).toContain('besok pagi');
      expect(a.blast).toBeNull();
      expect(sentences(a.explanation.id)).toBeGreaterThanOrEqual(2);
      expect(sentences(a.explanation.id)).toBeLessThanOrEqual(3);
      expect(a.explanation.id).toContain('Siram');
      expect(a.explanation.en).toContain('Irrigate');
    });

    it('an irrigation event lowers the depletion by its mm; one before the probe reading does not', async () => {
      const v = await village();
      const before = await agro.advice(v, 'kebun-cabai');
      await agro.recordIrrigation(v, 'kebun-cabai', { date: '2026-11-20', mm: 5, note: 'ember' }, 'petani');
      const after = await agro.advice(v, 'kebun-cabai');
      if (before.water.model !== 'soil' || after.water.model !== 'soil') throw new Error('soil expected');
      expect(after.water.depletion).toBeCloseTo(before.water.depletion - 5, 9);
      expect(after.recentIrrigation).toMatchObject([{ date: '2026-11-20', mm: 5, note: 'ember', createdBy: 'petani' }]);
      // Yesterday's irrigation is already in the probe's reading at midnight.
      await agro.recordIrrigation(v, 'kebun-cabai', { date: '2026-11-19', mm: 8, note: null }, 'petani');
      const again = await agro.advice(v, 'kebun-cabai');
      if (again.water.model !== 'soil') throw new Error('soil expected');
      expect(again.water.depletion).toBeCloseTo(after.water.depletion, 9);
      expect(again.recentIrrigation.map((r) => r.date)).toEqual(['2026-11-19', '2026-11-20']);
      await expect(
        agro.recordIrrigation(v, 'kebun-cabai', { date: '2026-11-21', mm: 5, note: null }, 'petani'),
      ).rejects.toMatchObject({ code: 'LUMBUNG_ERR_VALIDATION' });
    });

    it('stage and degree-days since planting (base 10 °C), and the harvest once the season is over', async () => {
      const { d18, d19 } = await weather();
      await plant('kebun-cabai', '2026-11-18');
      const young = await agro.advice(await village(), 'kebun-cabai');
      expect(young).toMatchObject({ daysAfterPlanting: 2, stage: { id: 'ini', label: { id: 'awal' } }, kc: 0.6 });
      // Both days wholly above 10 °C: GDD = (Tmax + Tmin)/2 − 10 each.
      const gdd = (d18.tmax! + d18.tmin!) / 2 - 10 + ((d19.tmax! + d19.tmin!) / 2 - 10);
      expect(young.gdd).toBeCloseTo(gdd, 9);

      await plant('kebun-cabai', '2026-10-01');
      const growing = await agro.advice(await village(), 'kebun-cabai');
      expect(growing.stage).toEqual({ id: 'dev', label: { id: 'perkembangan', en: 'development' } });
      // Two days of temperatures for 50 days since planting: too few to sum.
      expect(growing.gdd).toBeNull();

      await plant('kebun-cabai', '2026-07-10'); // the scenario's date: 133 days, the 125-day season is over
      const over = await agro.advice(await village(), 'kebun-cabai');
      expect(over.stage.id).toBe('harvest');
      expect(over.kc).toBe(CROPS.chilli.kcEnd);
      expect(over.irrigation).toMatchObject({ action: 'none', mm: 0 });
      expect(over.irrigation.message.id).toContain('panen');

      await plant('kebun-cabai', '2026-12-01'); // not yet
      const planned = await agro.advice(await village(), 'kebun-cabai');
      expect(planned).toMatchObject({ daysAfterPlanting: -11, stage: { id: 'planned' }, etcToday: null });
      expect(planned.irrigation).toMatchObject({ action: 'none', mm: 0 });
      expect(planned.explanation.id).toBe(
        'Cabai di Kebun cabai belum ditanam. Belum perlu menyiram: tanggal tanam 2026-12-01.',
      );
      await plant('kebun-cabai', '2026-07-10');

      const sawahB = await agro.advice(await village(), 'sawah-b');
      expect(sawahB).toMatchObject({ daysAfterPlanting: 66, stage: { id: 'mid' } });
    });

    it('heat index (NWS) and dew point (Magnus) at the latest station reading', async () => {
      const last = (metric: string) =>
        f.readings.filter((r) => r.deviceId === 'taman-ws-01' && r.metric === metric && r.ts <= NOW).at(-1)!;
      const t = last('air_temperature');
      const rh = last('relative_humidity');
      expect(NOW - t.ts).toBeLessThan(HOUR);
      const a = await agro.advice(await village(), 'sawah-b');
      expect(a.heatIndex).toBeCloseTo(heatIndex(t.value, rh.value), 9);
      expect(a.dewPoint).toBeCloseTo(dewPoint(t.value, rh.value), 9);
    });

    it('blast risk for rice only; high after nights that favour it (BLASTAM), with its reasons', async () => {
      const all = await agro.adviceFor(await village());
      expect(all.map((a) => a.siteId)).toEqual(['kebun-cabai', 'sawah-a', 'sawah-b']);
      for (const a of all) {
        if (a.crop === 'rice') expect(BLAST_LEVELS).toContain(a.blast?.level);
        else expect(a.blast).toBeNull();
      }
      // The fixture's lowland nights: no wet period of 10 hours.
      expect(all.find((a) => a.siteId === 'sawah-a')!.blast!.level).toBe('low');

      // The highland village (fixture.ts): its last six nights had 13 wet hours at 19 °C.
      await addHighlandVillage(f);
      const [high] = await agro.adviceFor(await village(HIGH));
      expect(high!.blast!.level).toBe('high');
      expect(high!.blast!.label).toEqual({ id: 'tinggi', en: 'high' });
      expect(high!.blast!.reasons[0]!.id).toContain('Daun basah 13 jam');
      expect(high!.explanation.id).toContain('Risiko penyakit blas tinggi');
      expect(high!.gdd).toBeNull();
    });
  });
}
