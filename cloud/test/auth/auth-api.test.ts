import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opaqueToken, tokenHash } from '../../src/auth/tokens.ts';
import { testDatabases } from '../databases.ts';
import { createFixture, type Fixture, NOW } from '../fixture.ts';

// Sign-in on a real registry database (SQLite and PostgreSQL) through the real HTTP app.
for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`sign-in on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    let userId: string;
    let ip = 0;
    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      const a = f.registry.accounts;
      const user = await a.createUser({
        username: 'Bu-Siti',
        displayName: 'Bu Siti',
        phone: '+6281234567890',
        passwordHash: await f.auth.hashPassword('telur-asin-2026'),
        createdAt: NOW,
      });
      userId = user.id;
      await a.setMemberships(user.id, [{ role: 'packing_staff', villageId: 'kel-taman' }], NOW);
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    // Each test signs in from its own address, so the per-address limit of one does not spill into another.
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      f.app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        payload: payload as object,
        headers,
        remoteAddress: `10.0.0.${++ip}`,
      });
    const login = (username: string, password: string) => post('/auth/login', { username, password });
    const me = (token: string) =>
      f.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });

    it('signs in with username (any case) and password, and knows the user and their roles', async () => {
      const res = await login('bu-siti', 'telur-asin-2026');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.user).toMatchObject({ username: 'bu-siti', displayName: 'Bu Siti' });
      expect(body.memberships).toEqual([{ role: 'packing_staff', villageId: 'kel-taman', siteIds: [] }]);
      expect(body.expiresIn).toBe(900);
      const who = await me(body.accessToken);
      expect(who.statusCode).toBe(200);
      expect(who.json().user.username).toBe('bu-siti');
      expect((await login('BU-SITI', 'telur-asin-2026')).statusCode).toBe(200);
    });

    it('answers a wrong password and an unknown user the same way', async () => {
      const wrong = await login('bu-siti', 'salah');
      const unknown = await login('tidak-ada', 'salah');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json().message).toBe('Nama pengguna atau kata sandi salah');
      const audit = await f.registry.accounts.listAudit({ limit: 10, actions: ['auth.login_failed'] });
      expect(audit.map((e) => e.actorLabel)).toEqual(expect.arrayContaining(['bu-siti', 'tidak-ada']));
      await f.registry.accounts.resetLoginFailures(userId);
    });

    it('locks an account for a while after five failures, even with the right password', async () => {
      const victim = await f.registry.accounts.createUser({
        username: 'pak-budi',
        displayName: 'Pak Budi',
        passwordHash: await f.auth.hashPassword('sawah-hijau'),
        createdAt: NOW,
      });
      for (let i = 0; i < 5; i++) expect((await login('pak-budi', `salah-${i}`)).statusCode).toBe(401);
      const locked = await login('pak-budi', 'sawah-hijau');
      expect(locked.statusCode).toBe(423);
      expect(locked.json()).toMatchObject({ code: 'LUMBUNG_ERR_ACCOUNT_LOCKED' });
      expect(locked.json().message).toMatch(/15 menit/);
      const audit = await f.registry.accounts.listAudit({ limit: 50, actions: ['auth.locked'] });
      expect(audit.some((e) => e.actorUserId === victim.id)).toBe(true);
      f.clock.now += 15 * 60_000 + 1;
      expect((await login('pak-budi', 'sawah-hijau')).statusCode).toBe(200);
      f.clock.now = NOW;
    });

    it('limits quick sign-in attempts from one address', async () => {
      const statuses = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          (
            await f.app.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              payload: { username: 'x', password: 'y' },
              remoteAddress: '10.9.9.9',
            })
          ).statusCode,
        );
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
    });

    it('exchanges a refresh token once', async () => {
      const first = (await login('bu-siti', 'telur-asin-2026')).json();
      const second = await post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.statusCode).toBe(200);
      expect(second.json().refreshToken).not.toBe(first.refreshToken);
      expect((await me(second.json().accessToken)).statusCode).toBe(200);
      const replay = await post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(replay.statusCode).toBe(401);
      expect((await post('/auth/refresh', { refreshToken: 'lbr_nonsense' })).statusCode).toBe(401);
    });

    it('ends a session at once on sign-out: its access token and refresh token stop working', async () => {
      const s = (await login('bu-siti', 'telur-asin-2026')).json();
      const out = await post('/auth/logout', undefined, { authorization: `Bearer ${s.accessToken}` });
      expect(out.statusCode).toBe(204);
      expect((await me(s.accessToken)).statusCode).toBe(401);
      expect((await post('/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
    });

    it('refuses an access token after it expires, and a bad bearer anywhere', async () => {
      const s = (await login('bu-siti', 'telur-asin-2026')).json();
      f.clock.now += 901_000;
      expect((await me(s.accessToken)).statusCode).toBe(401);
      f.clock.now = NOW;
      const bad = await f.app.inject({ url: '/api/v1/villages', headers: { authorization: 'Bearer lb1.x.y' } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().code).toBe('LUMBUNG_ERR_UNAUTHORIZED');
      expect((await f.app.inject({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    });

    it('accepts an API token until it is revoked', async () => {
      const token = opaqueToken('lbt');
      const t = await f.registry.accounts.createApiToken({
        userId,
        name: 'integrasi gudang',
        tokenHash: tokenHash(token),
        createdAt: NOW,
      });
      expect((await me(token)).json().user.username).toBe('bu-siti');
      await f.registry.accounts.revokeApiToken(t.id, NOW);
      expect((await me(token)).statusCode).toBe(401);
    });

    it('signs in with a one-time code sent to the phone (to the outbox in the demo), once', async () => {
      const req = await post('/auth/otp/request', { phone: '+6281234567890' });
      expect(req.statusCode).toBe(202);
      const [sms] = await f.registry.accounts.listNotifications({ limit: 1 });
      expect(sms).toMatchObject({ channel: 'sms', recipient: '+6281234567890' });
      const code = /Kode masuk Lumbung: (\d{6})/.exec(sms!.body)![1]!;
      const wrong = code === '000000' ? '111111' : '000000';
      expect((await post('/auth/otp/verify', { phone: '+6281234567890', code: wrong })).statusCode).toBe(401);
      const ok = await post('/auth/otp/verify', { phone: '+6281234567890', code });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().user.username).toBe('bu-siti');
      expect((await post('/auth/otp/verify', { phone: '+6281234567890', code })).statusCode).toBe(401);
      // An unknown number gets the same answer, and nothing is sent.
      const before = (await f.registry.accounts.listNotifications({ limit: 100 })).length;
      expect((await post('/auth/otp/request', { phone: '+6289999999999' })).statusCode).toBe(202);
      expect((await f.registry.accounts.listNotifications({ limit: 100 })).length).toBe(before);
      expect((await post('/auth/otp/request', { phone: '0812' })).statusCode).toBe(400);
    });
  });
}
