import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/permissions.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';

const V = '/api/v1/villages/kel-taman';

/** What each role gets from the API in its own village (docs/permissions.md), through real sign-ins. */
const USERS: { username: string; role: Role; siteIds?: string[] }[] = [
  { username: 'operator', role: 'village_admin' },
  { username: 'petani', role: 'farmer', siteIds: ['sawah-a'] },
  { username: 'kemasan', role: 'packing_staff' },
  { username: 'kub', role: 'kub_coordinator' },
  { username: 'csr', role: 'csr_partner' },
  { username: 'pembeli', role: 'buyer' },
];

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`roles in their own village on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const a = f.registry.accounts;
      let i = 0;
      for (const u of USERS) {
        const user = await a.createUser({
          username: u.username,
          displayName: u.username,
          passwordHash: await f.auth.hashPassword('rahasia-peran'),
          createdAt: NOW,
        });
        await a.setMemberships(user.id, [{ role: u.role, villageId: 'kel-taman', siteIds: u.siteIds ?? [] }], NOW);
        tokens[u.username] = (await f.auth.login(u.username, 'rahasia-peran', { ip: `10.5.0.${++i}` })).accessToken;
      }
      await f.registry.recordAlert({
        id: 'a-room',
        key: 'rule:ruang-telur-temperature:taman-th-telur',
        villageId: 'kel-taman',
        source: 'rule',
        state: 'raised',
        severity: 'warning',
        siteId: 'ruang-telur',
        deviceId: 'taman-th-telur',
        ts: NOW - 1000,
        message: { id: 'x', en: 'x' },
      });
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const get = (user: string, url: string) =>
      f.app.inject({ url, headers: { authorization: `Bearer ${tokens[user]}` } });
    const sitesOf = async (user: string, path: 'latest' | 'device-health' | 'sites') => {
      const res = await get(user, `${V}/${path}`);
      if (res.statusCode !== 200) return res.statusCode;
      return [
        ...new Set((res.json() as { siteId?: string | null; id?: string }[]).map((x) => x.siteId ?? x.id)),
      ].sort();
    };

    it('a village admin sees every site', async () => {
      expect(await sitesOf('operator', 'sites')).toHaveLength(f.scenario.sites.length);
      expect(await sitesOf('operator', 'latest')).toContain('ruang-telur');
    });

    it('a farmer sees their own plot and the weather, nothing else', async () => {
      expect(await sitesOf('petani', 'latest')).toEqual(['sawah-a', 'stasiun-cuaca']);
      expect(await sitesOf('petani', 'device-health')).toEqual(['sawah-a', 'stasiun-cuaca']);
      const room = await get('petani', `${V}/readings?deviceId=taman-th-telur&metric=air_temperature&from=0&step=1d`);
      expect(room.statusCode).toBe(404);
      expect((await get('petani', `${V}/alerts`)).json()).toEqual([]);
      expect((await get('petani', `${V}/users`)).statusCode).toBe(403);
    });

    it('packing-house staff see the packing house, its rooms and meters, and the weather', async () => {
      expect(await sitesOf('kemasan', 'latest')).toEqual([
        'meter-air',
        'meter-listrik',
        'ruang-kering',
        'ruang-telur',
        'stasiun-cuaca',
      ]);
      expect((await get('kemasan', `${V}/alerts`)).json().map((a: { id: string }) => a.id)).toEqual(['a-room']);
    });

    it('a KUB coordinator reads the storage rooms and their alerts but cannot act on them', async () => {
      expect(await sitesOf('kub', 'latest')).toEqual(['ruang-kering', 'ruang-telur']);
      const ack = await f.app.inject({
        method: 'POST',
        url: `${V}/alerts/a-room/acknowledge`,
        headers: { authorization: `Bearer ${tokens.kub}` },
      });
      expect(ack.statusCode).toBe(403);
    });

    it('a CSR partner sees the village but no sensor data; a buyer sees neither', async () => {
      expect((await get('csr', V)).statusCode).toBe(200);
      expect(await sitesOf('csr', 'latest')).toBe(403);
      expect(await sitesOf('pembeli', 'latest')).toBe(403);
      expect((await get('pembeli', V)).statusCode).toBe(403);
      expect((await get('pembeli', '/api/v1/villages')).json()).toEqual([]);
    });
  });
}
