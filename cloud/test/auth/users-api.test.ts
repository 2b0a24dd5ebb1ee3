import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';

const V = '/api/v1/villages/kel-taman';

for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`village users, audit log and API tokens on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let admin: string;
    let ip = 0;
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const u = await f.registry.accounts.createUser({
        username: 'operator',
        displayName: 'Operator desa',
        passwordHash: await f.auth.hashPassword('operator-rahasia'),
        createdAt: NOW,
      });
      await f.registry.accounts.setMemberships(u.id, [{ role: 'village_admin', villageId: 'kel-taman' }], NOW);
      admin = (await signIn('operator', 'operator-rahasia')).accessToken;
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const as = (token: string | undefined, o: InjectOptions) =>
      f.app.inject({
        ...o,
        remoteAddress: `10.2.0.${++ip}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    async function signIn(username: string, password: string) {
      const res = await f.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
        remoteAddress: `10.3.0.${++ip}`,
      });
      return res.json() as { accessToken: string; refreshToken: string };
    }

    it('a village admin creates a farmer with plots, changes roles and resets the password', async () => {
      const created = await as(admin, {
        method: 'POST',
        url: `${V}/users`,
        payload: { username: 'Pak-Tani', displayName: 'Pak Tani', roles: [{ role: 'farmer', siteIds: ['sawah-b'] }] },
      });
      expect(created.statusCode).toBe(201);
      const { user, temporaryPassword } = created.json();
      expect(user).toMatchObject({ username: 'pak-tani', roles: [{ role: 'farmer', siteIds: ['sawah-b'] }] });
      const farmer = await signIn('pak-tani', temporaryPassword);
      // The farmer sees their plot, not the others, and cannot manage users.
      const sites = (await as(farmer.accessToken, { url: `${V}/sites` })).json().map((s: { id: string }) => s.id);
      expect(sites.sort()).toEqual(['sawah-b', 'stasiun-cuaca']);
      expect((await as(farmer.accessToken, { url: `${V}/users` })).statusCode).toBe(403);

      const roles = await as(admin, {
        method: 'PUT',
        url: `${V}/users/${user.id}/roles`,
        payload: { roles: [{ role: 'packing_staff' }] },
      });
      expect(roles.json().roles).toEqual([{ role: 'packing_staff', siteIds: [] }]);
      const reset = await as(admin, { method: 'POST', url: `${V}/users/${user.id}/reset-password` });
      expect(reset.statusCode).toBe(200);
      // The old sessions end; the new password works.
      expect((await as(farmer.accessToken, { url: '/api/v1/auth/me' })).statusCode).toBe(401);
      expect((await signIn('pak-tani', reset.json().temporaryPassword)).accessToken).toBeTruthy();
      const list = (await as(admin, { url: `${V}/users` })).json().map((u: { username: string }) => u.username);
      expect(list).toEqual(expect.arrayContaining(['operator', 'pak-tani']));
    });

    it('refuses a duplicate username and a platform_admin role given by a village admin', async () => {
      const dup = await as(admin, {
        method: 'POST',
        url: `${V}/users`,
        payload: { username: 'operator', displayName: 'x', roles: [{ role: 'farmer' }] },
      });
      expect(dup.statusCode).toBe(409);
      const escalate = await as(admin, {
        method: 'POST',
        url: `${V}/users`,
        payload: { username: 'naik-pangkat', displayName: 'x', roles: [{ role: 'platform_admin' }] },
      });
      expect(escalate.statusCode).toBe(400);
    });

    it('shows sign-ins, failed sign-ins, user changes and resets in the village audit log', async () => {
      await f.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'operator', password: 'salah' },
        remoteAddress: '10.4.0.1',
      });
      const events = (await as(admin, { url: `${V}/audit?limit=100` })).json() as { action: string; actor: string }[];
      const actions = new Set(events.map((e) => e.action));
      for (const a of ['auth.login', 'auth.login_failed', 'user.created', 'user.role_changed', 'user.password_reset'])
        expect(actions, a).toContain(a);
      const failed = (await as(admin, { url: `${V}/audit?action=auth.login_failed` })).json();
      expect(failed.every((e: { action: string }) => e.action === 'auth.login_failed')).toBe(true);
    });

    it('API tokens: created once, listed without the secret, usable, revocable', async () => {
      const made = await as(admin, { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'spreadsheet' } });
      expect(made.statusCode).toBe(201);
      const { token, id } = made.json();
      expect(token).toMatch(/^lbt_/);
      expect((await as(token, { url: `${V}/latest?siteId=ruang-telur` })).statusCode).toBe(200);
      const listed = await as(admin, { url: '/api/v1/auth/tokens' });
      expect(listed.body).not.toContain(token);
      expect(listed.json()).toEqual([expect.objectContaining({ id, name: 'spreadsheet', revoked: false })]);
      expect((await as(admin, { method: 'POST', url: `/api/v1/auth/tokens/${id}/revoke` })).statusCode).toBe(200);
      expect((await as(token, { url: `${V}/latest` })).statusCode).toBe(401);
    });
  });
}
