import { hashSecret } from '@lumbung/runtime';
import { localDate, localMidnight } from '@lumbung/schemas/time';
import type { StoredReading } from '@lumbung/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { et0Daily, et0Hourly } from '../../src/agro/et0.ts';
import { dailyWeather, hourlyWeather, STATION_KRS, WM2_TO_MJ_DAY } from '../../src/agro/station.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const STEP = 300_000;
const TZ = 'Asia/Jakarta';

/** A second village with a weather mast whose readings the tests write themselves. */
const V = 'desa-uji-cuaca';
const WS = 'uji-ws-01';

/** A smooth day at the mast: temperature, humidity, wind and sun as functions of the local hour. */
function synthetic(local: number) {
  const h = local / HOUR;
  return {
    air_temperature: 27 + 5 * Math.sin((2 * Math.PI * (h - 9)) / 24),
    relative_humidity: 80 - 18 * Math.sin((2 * Math.PI * (h - 9)) / 24),
    wind_speed: 1.2 + 0.8 * Math.max(0, Math.sin((Math.PI * (h - 8)) / 10)),
    solar_radiation: Math.max(0, 900 * Math.sin((Math.PI * (h - 6)) / 12)),
    rainfall: h >= 16 && h < 17 ? 0.5 : 0,
  };
}

/** Readings every 5 minutes over [from, to) local instants, with the metrics named (default all). */
function readings(from: number, to: number, metrics?: readonly string[], over?: (ts: number) => object) {
  const out: StoredReading[] = [];
  for (let ts = from; ts < to; ts += STEP) {
    const local = (ts - localMidnight(localDate(ts, TZ), TZ)) % DAY;
    const values: Record<string, number> = { ...synthetic(local), ...over?.(ts) };
    for (const [metric, value] of Object.entries(values))
      if (!metrics || metrics.includes(metric))
        out.push({ villageId: V, deviceId: WS, metric, ts, value, tsSource: 'device' });
  }
  return out;
}

const max = (xs: number[]) => Math.max(...xs);
const min = (xs: number[]) => Math.min(...xs);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`station weather from the store on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      await f.registry.upsertVillage({
        id: V,
        name: 'Desa Uji Cuaca',
        kodeWilayah: null,
        district: null,
        regency: null,
        province: null,
        timeZone: TZ,
        latitude: -7.63,
        longitude: 111.52,
        elevation: 63,
      });
      await f.registry.upsertSite({
        id: 'stasiun',
        villageId: V,
        kind: 'weather',
        name: 'Stasiun cuaca',
        parentId: null,
        plot: null,
        storageRoom: null,
        meterPoint: null,
      });
      await f.registry.upsertDevice({
        id: WS,
        villageId: V,
        siteId: 'stasiun',
        family: 'weather_station',
        intervalSeconds: 300,
        sensorHeight: 3,
        revoked: false,
        secretHash: hashSecret(WS),
      });
      const day = (date: string) => localMidnight(date, TZ);
      await f.store.write([
        // 10 and 11 November: whole days; a hot reading at 23:30 on the 10th and a cold one at 00:30 on the 11th.
        ...readings(day('2026-11-10'), day('2026-11-12'), undefined, (ts) =>
          ts === day('2026-11-10') + 23.5 * HOUR
            ? { air_temperature: 40 }
            : ts === day('2026-11-11') + 0.5 * HOUR
              ? { air_temperature: 5 }
              : {},
        ),
        // 12 November: the mast went silent at noon.
        ...readings(day('2026-11-12'), day('2026-11-12') + 12 * HOUR),
        // 13 November: temperatures and humidity only (no radiation, no wind); 250 W/m² all day on the 14th.
        ...readings(day('2026-11-13'), day('2026-11-14'), ['air_temperature', 'relative_humidity', 'rainfall']),
        ...readings(day('2026-11-14'), day('2026-11-15'), undefined, () => ({ solar_radiation: 250 })),
      ]);
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    it('a day of the simulated village equals the aggregation of its readings by hand (Kelurahan Taman, 19 Nov)', async () => {
      const village = (await f.registry.getVillage('kel-taman'))!;
      const [day] = await dailyWeather(f.registry, f.store, village, '2026-11-19', '2026-11-19', NOW);
      const from = Date.parse('2026-11-18T17:00:00Z'); // 19 November 00:00 WIB
      const of = (metric: string) =>
        f.readings
          .filter((r) => r.deviceId === 'taman-ws-01' && r.metric === metric && r.ts >= from && r.ts < from + DAY)
          .map((r) => r.value);
      const t = of('air_temperature');
      const rh = of('relative_humidity');
      expect(t.length).toBe(288);
      expect(day).toMatchObject({ date: '2026-11-19', coverage: 1 });
      expect(day!.tmax).toBeCloseTo(max(t), 9);
      expect(day!.tmin).toBeCloseTo(min(t), 9);
      expect(day!.rhmax).toBeCloseTo(max(rh), 9);
      expect(day!.rhmin).toBeCloseTo(min(rh), 9);
      expect(day!.windSpeed).toBeCloseTo(mean(of('wind_speed')), 9);
      expect(day!.solarRadiation).toBeCloseTo(mean(of('solar_radiation')) * 0.0864, 9);
      expect(day!.rainfall).toBeCloseTo(sum(of('rainfall')), 9);
      const expected = et0Daily({
        latitude: -7.63,
        elevation: 63,
        date: '2026-11-19',
        tmax: max(t),
        tmin: min(t),
        rhmax: max(rh),
        rhmin: min(rh),
        windSpeed: mean(of('wind_speed')),
        windHeight: 3,
        solarRadiation: mean(of('solar_radiation')) * 0.0864,
      });
      expect(day!.et0).toBeCloseTo(expected.et0, 9);
      expect(day!.intermediates.u2).toBeCloseTo(expected.u2, 9);
      expect(day!.intermediates.rn).toBeCloseTo(expected.rn, 9);
      expect(day!.method).toContain('Eq. 17');
      expect(day!.method).toContain('3 m (Eq. 47)');
      // A plausible ET0 for lowland Java in November.
      expect(day!.et0).toBeGreaterThan(3);
      expect(day!.et0).toBeLessThan(6);
    });

    it('local days in Asia/Jakarta: 23:30 belongs to that day, 00:30 to the next', async () => {
      const village = (await f.registry.getVillage(V))!;
      const days = await dailyWeather(f.registry, f.store, village, '2026-11-10', '2026-11-11', NOW);
      expect(days.map((d) => d.date)).toEqual(['2026-11-10', '2026-11-11']);
      const [d10, d11] = days;
      expect(d10!.tmax).toBe(40);
      expect(d11!.tmin).toBe(5);
      expect(d10!.tmin).toBeGreaterThan(21);
      expect(d11!.tmax).toBeLessThan(33);
      // The same instants by UTC: 23:30 WIB is 16:30 UTC of the same date, 00:30 WIB 17:30 UTC the day before.
      expect(localDate(Date.parse('2026-11-10T16:30:00Z'), TZ)).toBe('2026-11-10');
      expect(localDate(Date.parse('2026-11-10T17:30:00Z'), TZ)).toBe('2026-11-11');
      expect(d10!.coverage).toBe(1);
      expect(d10!.rainfall).toBeCloseTo(12 * 0.5, 9);
    });

    it('converts the mean W/m² to MJ m⁻² day⁻¹ (× 0.0864) and uses it as Rs', async () => {
      const village = (await f.registry.getVillage(V))!;
      const [d] = await dailyWeather(f.registry, f.store, village, '2026-11-14', '2026-11-14', NOW);
      expect(WM2_TO_MJ_DAY).toBe(0.0864);
      expect(d!.solarRadiation).toBeCloseTo(21.6, 9);
      expect(d!.intermediates.rs).toBeCloseTo(21.6, 9);
      expect(d!.method).toContain('Rs measured');
    });

    it('a day with a gap has its coverage and no ET0; missing radiation and wind follow FAO-56', async () => {
      const village = (await f.registry.getVillage(V))!;
      const days = await dailyWeather(f.registry, f.store, village, '2026-11-12', '2026-11-13', NOW);
      const [gap, noSun] = days;
      expect(gap!.coverage).toBeCloseTo(0.5, 9);
      expect(gap!.et0).toBeNull();
      expect(gap!.method).toContain('50 %');
      expect(gap!.intermediates).toEqual({});
      expect(gap!.tmax).not.toBeNull();

      expect(noSun!.coverage).toBe(1);
      expect(noSun!.solarRadiation).toBeNull();
      expect(noSun!.windSpeed).toBeNull();
      const expected = et0Daily({
        latitude: -7.63,
        elevation: 63,
        date: '2026-11-13',
        tmax: noSun!.tmax!,
        tmin: noSun!.tmin!,
        rhmax: noSun!.rhmax!,
        rhmin: noSun!.rhmin!,
        krs: STATION_KRS,
      });
      expect(expected.method).toMatchObject({ radiation: 'temperature', wind: 'default' });
      expect(noSun!.et0).toBeCloseTo(expected.et0, 9);
      expect(noSun!.intermediates.u2).toBe(2);
      expect(noSun!.method).toContain('Eq. 50, kRs 0.16');
      expect(noSun!.method).toContain('wind 2 m/s');

      // A day after the last reading exists but is empty; today is never given an ET0.
      const later = await dailyWeather(f.registry, f.store, village, '2026-11-15', '2026-11-15', NOW);
      expect(later[0]).toMatchObject({ coverage: 0, et0: null, tmax: null, rainfall: null });
      const taman = (await f.registry.getVillage('kel-taman'))!;
      const [today] = await dailyWeather(f.registry, f.store, taman, '2026-11-20', '2026-11-20', NOW);
      expect(today!.coverage).toBe(1); // of the 19 hours past
      expect(today!.et0).toBeNull();
      expect(today!.method).toContain('not over');
    });

    it('hours start on the local hour, Rs per hour is W/m² × 0.0036, and ET0 per hour is FAO-56 Eq. 53', async () => {
      const village = (await f.registry.getVillage(V))!;
      const from = localMidnight('2026-11-14', TZ);
      const hours = await hourlyWeather(f.registry, f.store, village, from, from + DAY);
      expect(hours).toHaveLength(24);
      expect(hours[0]!.time).toBe(Date.parse('2026-11-13T17:00:00Z'));
      expect(hours.every((h) => h.date === '2026-11-14')).toBe(true);
      expect(hours[0]!.rs).toBeCloseTo(250 * 0.0036, 9);
      const noon = hours[12]!;
      const t = readings(from + 12 * HOUR, from + 13 * HOUR, undefined, () => ({ solar_radiation: 250 }));
      const of = (metric: string) => mean(t.filter((r) => r.metric === metric).map((r) => r.value));
      expect(noon.temperature).toBeCloseTo(of('air_temperature'), 9);
      const expected = et0Hourly({
        latitude: -7.63,
        longitude: 111.52,
        utcOffsetHours: 7,
        elevation: 63,
        date: '2026-11-14',
        hourStart: 12,
        temperature: of('air_temperature'),
        rh: of('relative_humidity'),
        windSpeed: of('wind_speed'),
        windHeight: 3,
        solarRadiation: 250 * 0.0036,
      });
      expect(noon.et0).toBeCloseTo(expected.et0, 9);
      // The 16-17 h shower: 12 readings of 0.5 mm.
      expect(hours[16]!.rain).toBeCloseTo(6, 9);
    });
  });
}
