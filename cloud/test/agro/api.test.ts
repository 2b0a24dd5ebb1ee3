import { AgroWeatherDay, IrrigationRecord, PlotAdvice } from '@lumbung/schemas';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MembershipInput } from '../../src/registry/accounts.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';
import { addUser } from './fixture.ts';

const V = '/api/v1/villages/kel-taman';

/** A user with these memberships, signed in: their access token. */
async function signIn(f: Fixture, username: string, memberships: MembershipInput[]): Promise<string> {
  await addUser(f, username, memberships, { passwordHash: await f.auth.hashPassword(`${username}-password`) });
  return (await f.auth.login(username, `${username}-password`, { ip: '10.6.6.6' })).accessToken;
}

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`agro API on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const village = (role: MembershipInput['role'], siteIds?: string[]) => [
        { role, villageId: 'kel-taman', ...(siteIds ? { siteIds } : {}) },
      ];
      tokens.farmer = await signIn(f, 'petani-a', village('farmer', ['sawah-a']));
      tokens.csr = await signIn(f, 'mitra-csr', village('csr_partner'));
      tokens.packing = await signIn(f, 'kemasan', village('packing_staff'));
      tokens.kub = await signIn(f, 'koordinator', village('kub_coordinator'));
      tokens.admin = await signIn(f, 'operator', village('village_admin'));
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const call = (who: string, o: InjectOptions) =>
      f.app.inject({ ...o, headers: { authorization: `Bearer ${tokens[who]}`, ...o.headers } });

    it('a farmer sees the advice of their own plot only; any other plot is 404', async () => {
      const own = await call('farmer', { url: `${V}/plots/sawah-a/advice` });
      expect(own.statusCode).toBe(200);
      const advice = PlotAdvice.parse(own.json());
      expect(advice).toMatchObject({ villageId: 'kel-taman', siteId: 'sawah-a', crop: 'rice', date: '2026-11-20' });
      expect(advice.water.model).toBe('paddy');
      expect(advice.blast).not.toBeNull();

      const other = await call('farmer', { url: `${V}/plots/kebun-cabai/advice` });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('LUMBUNG_ERR_SITE_NOT_FOUND');

      const all = await call('farmer', { url: `${V}/agro/advice` });
      expect(all.statusCode).toBe(200);
      expect(
        z
          .array(PlotAdvice)
          .parse(all.json())
          .map((a) => a.siteId),
      ).toEqual(['sawah-a']);
      const admin = await call('admin', { url: `${V}/agro/advice` });
      expect(admin.json().map((a: { siteId: string }) => a.siteId)).toEqual(['kebun-cabai', 'sawah-a', 'sawah-b']);

      // The shared weather station is the farmer's to read.
      const weather = await call('farmer', { url: `${V}/agro/weather?from=2026-11-18&to=2026-11-19` });
      expect(weather.statusCode).toBe(200);
      const days = z.array(AgroWeatherDay).parse(weather.json());
      expect(days.map((d) => d.date)).toEqual(['2026-11-18', '2026-11-19']);
      expect(days.every((d) => d.et0 !== null && d.et0 > 0)).toBe(true);
    });

    it('a CSR partner gets 403 on every agronomy route; a KUB coordinator cannot see the weather station', async () => {
      for (const url of [
        `${V}/agro/weather`,
        `${V}/agro/advice`,
        `${V}/plots/sawah-a/advice`,
        `${V}/plots/sawah-a/irrigation`,
      ]) {
        const res = await call('csr', { url });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().code).toBe('LUMBUNG_ERR_FORBIDDEN');
      }
      const post = await call('csr', {
        method: 'POST',
        url: `${V}/plots/sawah-a/irrigation`,
        payload: { date: '2026-11-20', mm: 5 },
      });
      expect(post.statusCode).toBe(403);
      expect((await call('kub', { url: `${V}/agro/weather` })).statusCode).toBe(403);
      // Another village is 404, as for every village route.
      const elsewhere = await call('farmer', { url: '/api/v1/villages/desa-lain/agro/advice' });
      expect(elsewhere.statusCode).toBe(404);
    });

    it('records irrigation on a farmer’s own plot (201) and lists it; not on others’ plots', async () => {
      const res = await call('farmer', {
        method: 'POST',
        url: `${V}/plots/sawah-a/irrigation`,
        payload: { date: '2026-11-20', mm: 25, note: 'Buka pintu air pagi' },
      });
      expect(res.statusCode).toBe(201);
      const rec = IrrigationRecord.parse(res.json());
      expect(rec).toMatchObject({
        villageId: 'kel-taman',
        siteId: 'sawah-a',
        date: '2026-11-20',
        mm: 25,
        note: 'Buka pintu air pagi',
        createdBy: 'petani-a',
        createdAt: NOW,
      });
      const list = await call('farmer', { url: `${V}/plots/sawah-a/irrigation` });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual([rec]);
      const advice = await call('farmer', { url: `${V}/plots/sawah-a/advice` });
      expect(advice.json().recentIrrigation).toEqual([rec]);

      const theirs = await call('farmer', {
        method: 'POST',
        url: `${V}/plots/kebun-cabai/irrigation`,
        payload: { date: '2026-11-20', mm: 5 },
      });
      expect(theirs.statusCode).toBe(404);
      expect((await call('farmer', { url: `${V}/plots/kebun-cabai/irrigation` })).statusCode).toBe(404);
      // Packing-house staff read the weather but record no irrigation.
      const staff = await call('packing', {
        method: 'POST',
        url: `${V}/plots/sawah-a/irrigation`,
        payload: { date: '2026-11-20', mm: 5 },
      });
      expect(staff.statusCode).toBe(403);
      // A site that is no plot is no plot.
      const room = await call('admin', { url: `${V}/plots/ruang-telur/advice` });
      expect(room.statusCode).toBe(404);
      expect(room.json().code).toBe('LUMBUNG_ERR_SITE_NOT_FOUND');
      expect(await f.registry.eco.listIrrigation('kel-taman', { siteId: 'kebun-cabai' })).toEqual([]);
    });

    it('refuses bad irrigation with 400 and a message in Bahasa Indonesia or English', async () => {
      const post = (payload: unknown, lang?: string) =>
        call('farmer', {
          method: 'POST',
          url: `${V}/plots/sawah-a/irrigation`,
          payload: payload as object,
          headers: lang ? { 'accept-language': lang } : {},
        });
      for (const payload of [
        { date: '2026-11-20', mm: -5 },
        { date: '2026-11-20', mm: 0 },
        { date: '2026-11-20', mm: 301 },
        { date: '20-11-2026', mm: 5 },
        { mm: 5 },
        { date: '2026-11-20', mm: '5' },
        { date: '2026-11-20', mm: 5, note: 'x'.repeat(301) },
      ]) {
        const res = await post(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().code).toBe('LUMBUNG_ERR_VALIDATION');
        expect(res.json().message).toMatch(/^Permintaan tidak valid/);
      }
      const future = await post({ date: '2026-11-21', mm: 5 });
      expect(future.statusCode).toBe(400);
      expect(future.json().message).toContain('belum tiba');
      const en = await post({ date: '2026-11-21', mm: 5 }, 'en');
      expect(en.statusCode).toBe(400);
      expect(en.json().message).toMatch(/^Invalid request: .*after today \(2026-11-20\)/);
      expect(en.headers['content-language']).toBe('en');
      const negative = await post({ date: '2026-11-20', mm: -5 }, 'en');
      expect(negative.json().message).toMatch(/^Invalid request: body\.mm/);
      expect((await call('farmer', { url: `${V}/plots/sawah-a/irrigation` })).json()).toHaveLength(1);
    });

    it('validates the weather range: dates, order, at most 366 days; today has no ET0 yet', async () => {
      const get = (q: string) => call('admin', { url: `${V}/agro/weather${q}` });
      expect((await get('?from=2026-11-19&to=2026-11-18')).json().code).toBe('LUMBUNG_ERR_TIME_RANGE');
      expect((await get('?from=2026-13-01')).statusCode).toBe(400);
      expect((await get('?from=2025-01-01&to=2026-11-20')).statusCode).toBe(400);
      const def = await get('');
      expect(def.statusCode).toBe(200);
      const days = def.json() as AgroWeatherDay[];
      expect(days).toHaveLength(14);
      expect(days.at(-1)).toMatchObject({ date: '2026-11-20', et0: null });
      // Days after today are not returned.
      const ahead = await get('?from=2026-11-19&to=2026-12-31');
      expect(ahead.json().map((d: AgroWeatherDay) => d.date)).toEqual(['2026-11-19', '2026-11-20']);
    });
  });
}
