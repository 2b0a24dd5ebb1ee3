import { createHash } from 'node:crypto';
import { hashSecret } from '@lumbung/runtime';
import type { VillageRecord } from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accounts, Registry, RegistryError, UserRecord } from '../src/registry/index.ts';
import { expectError, type RegistryFixture } from './registry.contract.ts';

/** What the auth service stores for a token: SHA-256 hex. */
const h = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const MIN = 60_000;

/**
 * The contract of the `Accounts` port (cloud/src/registry/accounts.ts), run on every database. Tests
 * share one database and keep apart by their own usernames, phones, villages and hashes.
 */
export function accountsContract(name: string, factory: () => Promise<RegistryFixture>): void {
  describe(`Accounts contract: ${name}`, () => {
    let fx: RegistryFixture;
    let r: Registry;
    let a: Accounts;
    let n = 0;
    /** Unique per test run and call: usernames, phones and hashes never collide across tests. */
    const uniq = () => `${++n}${Math.random().toString(36).slice(2, 8)}`;
    const phone = () => `+628${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}${n % 10}`;

    beforeAll(async () => {
      fx = await factory();
      r = fx.open();
      await r.start();
      a = r.accounts;
    });
    afterAll(async () => {
      await r?.stop();
      await fx?.cleanup();
    });

    const newUser = (over: Partial<Parameters<Accounts['createUser']>[0]> = {}): Promise<UserRecord> =>
      a.createUser({ username: `u${uniq()}`, displayName: 'Bu Sari', createdAt: T0, ...over });

    const newVillage = async (): Promise<VillageRecord> =>
      r.upsertVillage({
        id: `desa-${uniq()}`,
        name: 'Desa Uji',
        kodeWilayah: null,
        district: null,
        regency: null,
        province: null,
        timeZone: 'Asia/Jakarta',
        latitude: -7.45,
        longitude: 112.7,
        elevation: null,
      });

    const plot = (villageId: string, id: string) =>
      r.upsertSite({
        id,
        villageId,
        kind: 'plot',
        name: id,
        parentId: null,
        plot: {
          crop: 'rice',
          plantingDate: '2026-10-01',
          areaM2: 1000,
          fieldCapacity: 0.32,
          wiltingPoint: 0.15,
          rootDepth: 0.4,
          water: 'irrigated',
        },
        storageRoom: null,
        meterPoint: null,
      });

    const newDevice = async (villageId: string) => {
      const id = `node-${uniq()}`;
      await r.upsertDevice({
        id,
        villageId,
        siteId: null,
        family: 'soil_probe',
        intervalSeconds: 300,
        sensorHeight: null,
        revoked: false,
        secretHash: hashSecret(id),
      });
      return id;
    };

    describe('users', () => {
      it('creates a user with a lowercase username and finds it by id, username (any case) and phone', async () => {
        const p = phone();
        const base = `Pak.Budi_${uniq()}`;
        const u = await a.createUser({
          username: `  ${base} `,
          displayName: 'Pak Budi',
          phone: p,
          passwordHash: 'scrypt$17$8$1$c2FsdA$a2V5',
          createdAt: T0,
        });
        expect(u).toEqual({
          id: expect.stringMatching(/^usr_[0-9a-f]{24}$/),
          username: base.toLowerCase(),
          displayName: 'Pak Budi',
          phone: p,
          passwordHash: 'scrypt$17$8$1$c2FsdA$a2V5',
          createdAt: T0,
          disabledAt: null,
          failedLogins: 0,
          lockedUntil: null,
          passwordChangedAt: null,
        });
        expect(await a.getUser(u.id)).toEqual(u);
        expect(await a.getUserByUsername(base.toUpperCase())).toEqual(u);
        expect(await a.getUserByPhone(p)).toEqual(u);
        expect(await a.getUser('usr_none')).toBeUndefined();
        expect(await a.getUserByUsername('nobody-here')).toBeUndefined();
        expect(await a.getUserByPhone('+6200000000')).toBeUndefined();
        expect(await a.getUserByPhone('not a phone')).toBeUndefined();
      });

      it('keeps a phone-only user without a password', async () => {
        const u = await newUser({ phone: phone() });
        expect(u.passwordHash).toBeNull();
        expect((await a.getUser(u.id))?.passwordHash).toBeNull();
      });

      it('refuses a taken username (in any case) or phone with conflict, and allows many users without a phone', async () => {
        const u = await newUser({ phone: phone() });
        await expectError(newUser({ username: u.username.toUpperCase() }), 'conflict', /taken/);
        await expectError(newUser({ phone: u.phone }), 'conflict');
        const x = await newUser();
        const y = await newUser();
        expect(x.phone).toBeNull();
        expect(y.phone).toBeNull();
      });

      it('refuses invalid users', async () => {
        await expectError(newUser({ username: 'a' }), 'invalid');
        await expectError(newUser({ username: 'bad name' }), 'invalid');
        await expectError(newUser({ phone: '081234567890' }), 'invalid', /E\.164/);
        await expectError(newUser({ displayName: '  ' }), 'invalid');
        await expectError(newUser({ createdAt: 1.5 }), 'invalid');
        await expectError(newUser({ passwordHash: '' }), 'invalid');
      });

      it('updates only the fields given, clears with null, and refuses a phone of another user', async () => {
        const other = await newUser({ phone: phone() });
        const p = phone();
        const u = await newUser({ phone: p, passwordHash: 'old-hash' });
        const changed = await a.updateUser(u.id, {
          displayName: 'Ibu Sari',
          passwordHash: 'new-hash',
          passwordChangedAt: T0 + MIN,
        });
        expect(changed).toEqual({
          ...u,
          displayName: 'Ibu Sari',
          passwordHash: 'new-hash',
          passwordChangedAt: T0 + MIN,
        });
        const disabled = await a.updateUser(u.id, { disabledAt: T0 + 2 * MIN, phone: null });
        expect(disabled).toEqual({ ...changed, disabledAt: T0 + 2 * MIN, phone: null });
        expect(await a.getUser(u.id)).toEqual(disabled);
        expect(await a.getUserByPhone(p)).toBeUndefined();
        expect(await a.updateUser(u.id, { disabledAt: null })).toEqual({ ...disabled, disabledAt: null });
        await expectError(a.updateUser(u.id, { phone: other.phone }), 'conflict');
        await expectError(a.updateUser('usr_none', { displayName: 'x' }), 'not_found');
        await expectError(a.updateUser(u.id, { phone: '12' }), 'invalid');
      });

      it('lists users by username in byte order, and those of one village', async () => {
        const p = `l${uniq()}`;
        const names = [`${p}b`, `${p}-a`, `${p}_a`, `${p}a`];
        const users = [];
        for (const username of names) users.push(await newUser({ username }));
        const listed = (await a.listUsers()).map((u) => u.username).filter((u) => u.startsWith(p));
        expect(listed).toEqual([`${p}-a`, `${p}_a`, `${p}a`, `${p}b`]);
        const v = await newVillage();
        await a.setMemberships(users[0]!.id, [{ role: 'farmer', villageId: v.id }], T0);
        await a.setMemberships(users[2]!.id, [{ role: 'buyer', villageId: v.id }], T0);
        expect((await a.listUsers({ villageId: v.id })).map((u) => u.username)).toEqual([`${p}_a`, `${p}b`]);
        expect(await a.listUsers({ villageId: 'no-such-village' })).toEqual([]);
      });
    });

    describe('sign-in failures', () => {
      const policy = { maxFailures: 3, lockMs: 15 * MIN };

      it('counts failures, locks at the limit, extends the lock on each further failure, and resets', async () => {
        const u = await newUser();
        expect(await a.recordLoginFailure(u.id, T0, policy)).toEqual({ failedLogins: 1, lockedUntil: null });
        expect(await a.recordLoginFailure(u.id, T0 + 1, policy)).toEqual({ failedLogins: 2, lockedUntil: null });
        expect(await a.recordLoginFailure(u.id, T0 + 2, policy)).toEqual({
          failedLogins: 3,
          lockedUntil: T0 + 2 + 15 * MIN,
        });
        expect(await a.recordLoginFailure(u.id, T0 + 20 * MIN, policy)).toEqual({
          failedLogins: 4,
          lockedUntil: T0 + 35 * MIN,
        });
        expect(await a.getUser(u.id)).toMatchObject({ failedLogins: 4, lockedUntil: T0 + 35 * MIN });
        await a.resetLoginFailures(u.id);
        expect(await a.getUser(u.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
        expect(await a.recordLoginFailure(u.id, T0, policy)).toEqual({ failedLogins: 1, lockedUntil: null });
      });

      it('counts every one of concurrent failures', async () => {
        const u = await newUser();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => a.recordLoginFailure(u.id, T0 + i, { maxFailures: 8, lockMs: MIN })),
        );
        expect(results.map((x) => x?.failedLogins).sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect((await a.getUser(u.id))?.failedLogins).toBe(8);
        expect(results.filter((x) => x?.lockedUntil !== null)).toHaveLength(1);
        expect((await a.getUser(u.id))?.lockedUntil).not.toBeNull();
      });

      it('answers undefined for an unknown user and refuses a bad policy', async () => {
        expect(await a.recordLoginFailure('usr_none', T0, policy)).toBeUndefined();
        const u = await newUser();
        await expectError(a.recordLoginFailure(u.id, T0, { maxFailures: 0, lockMs: MIN }), 'invalid');
        await expectError(a.recordLoginFailure(u.id, T0, { maxFailures: 3, lockMs: -1 }), 'invalid');
        expect((await a.getUser(u.id))?.failedLogins).toBe(0);
      });
    });

    describe('memberships', () => {
      it('stores memberships in role order then village, and a farmer with plots', async () => {
        const [v1, v2] = [await newVillage(), await newVillage()];
        await plot(v1.id, 'sawah-a');
        await plot(v1.id, 'sawah-b');
        const u = await newUser();
        const set = await a.setMemberships(
          u.id,
          [
            { role: 'buyer', villageId: v2.id },
            { role: 'farmer', villageId: v1.id, siteIds: ['sawah-b', 'sawah-a'] },
            { role: 'village_admin', villageId: v2.id },
            { role: 'village_admin', villageId: v1.id },
            { role: 'platform_admin', villageId: null },
          ],
          T0,
        );
        const [lo, hi] = [v1.id, v2.id].sort();
        expect(set.map((m) => [m.role, m.villageId])).toEqual([
          ['platform_admin', null],
          ['village_admin', lo],
          ['village_admin', hi],
          ['farmer', v1.id],
          ['buyer', v2.id],
        ]);
        expect(set.find((m) => m.role === 'farmer')).toEqual({
          id: expect.stringMatching(/^mem_[0-9a-f]{24}$/),
          userId: u.id,
          role: 'farmer',
          villageId: v1.id,
          siteIds: ['sawah-b', 'sawah-a'],
          createdAt: T0,
        });
        expect(set.find((m) => m.role === 'buyer')?.siteIds).toEqual([]);
        expect(await a.listMemberships(u.id)).toEqual(set);
      });

      it('replaces the whole set, keeping the id and createdAt of memberships that stay', async () => {
        const v = await newVillage();
        await plot(v.id, 'petak-1');
        const u = await newUser();
        const first = await a.setMemberships(
          u.id,
          [
            { role: 'farmer', villageId: v.id },
            { role: 'packing_staff', villageId: v.id },
          ],
          T0,
        );
        const second = await a.setMemberships(
          u.id,
          [
            { role: 'farmer', villageId: v.id, siteIds: ['petak-1'] },
            { role: 'kub_coordinator', villageId: v.id },
          ],
          T0 + MIN,
        );
        const farmer = first.find((m) => m.role === 'farmer')!;
        expect(second).toEqual([
          { ...farmer, siteIds: ['petak-1'] },
          expect.objectContaining({ role: 'kub_coordinator', createdAt: T0 + MIN }),
        ]);
        expect(second[1]?.id).not.toBe(first[1]?.id);
        expect(await a.setMemberships(u.id, [], T0)).toEqual([]);
        expect(await a.listMemberships(u.id)).toEqual([]);
        expect(await a.listMemberships('usr_none')).toEqual([]);
      });

      it('refuses invalid sets and leaves the old set in place', async () => {
        const v = await newVillage();
        const u = await newUser();
        const kept = await a.setMemberships(u.id, [{ role: 'csr_partner', villageId: v.id }], T0);
        const refused: [Parameters<Accounts['setMemberships']>[1], RegistryError['kind'], RegExp?][] = [
          [[{ role: 'platform_admin', villageId: v.id }], 'invalid', /no village/],
          [[{ role: 'farmer', villageId: null }], 'invalid', /belongs to a village/],
          [[{ role: 'buyer', villageId: v.id, siteIds: ['x'] }], 'invalid', /only a farmer/],
          [[{ role: 'farmer', villageId: v.id, siteIds: ['x', 'x'] }], 'invalid'],
          [[{ role: 'chief' as 'buyer', villageId: v.id }], 'invalid'],
          [
            [
              { role: 'buyer', villageId: v.id },
              { role: 'buyer', villageId: v.id },
            ],
            'invalid',
            /twice/,
          ],
          [
            [
              { role: 'platform_admin', villageId: null },
              { role: 'platform_admin', villageId: null },
            ],
            'invalid',
            /twice/,
          ],
          [[{ role: 'buyer', villageId: 'no-such-village' }], 'not_found', /no-such-village/],
          [[{ role: 'farmer', villageId: v.id, siteIds: ['ghost-plot'] }], 'not_found', /ghost-plot/],
        ];
        for (const [set, kind, message] of refused) await expectError(a.setMemberships(u.id, set, T0), kind, message);
        await expectError(a.setMemberships('usr_none', [{ role: 'buyer', villageId: v.id }], T0), 'not_found');
        expect(await a.listMemberships(u.id)).toEqual(kept);
      });

      it('lists the users of a village with their memberships there only', async () => {
        const [v, w] = [await newVillage(), await newVillage()];
        const p = `m${uniq()}`;
        const zed = await newUser({ username: `${p}z` });
        const amy = await newUser({ username: `${p}a` });
        await newUser({ username: `${p}none` });
        await a.setMemberships(
          zed.id,
          [
            { role: 'farmer', villageId: v.id },
            { role: 'farmer', villageId: w.id },
          ],
          T0,
        );
        await a.setMemberships(
          amy.id,
          [
            { role: 'packing_staff', villageId: v.id },
            { role: 'village_admin', villageId: v.id },
          ],
          T0,
        );
        const of = await a.usersOfVillage(v.id);
        expect(of.map((x) => x.user)).toEqual([amy, zed]);
        expect(of[0]?.memberships.map((m) => m.role)).toEqual(['village_admin', 'packing_staff']);
        expect(of[1]?.memberships.map((m) => [m.role, m.villageId])).toEqual([['farmer', v.id]]);
        expect((await a.usersOfVillage(w.id)).map((x) => x.user.id)).toEqual([zed.id]);
        expect(await a.usersOfVillage('no-such-village')).toEqual([]);
      });
    });

    describe('sessions', () => {
      const newSession = async (userId: string, over: Partial<Parameters<Accounts['createSession']>[0]> = {}) =>
        a.createSession({
          userId,
          refreshTokenHash: h(`refresh-${uniq()}`),
          createdAt: T0,
          expiresAt: T0 + 30 * 24 * 60 * MIN,
          ip: '10.0.0.7',
          userAgent: 'Mozilla/5.0',
          ...over,
        });

      it('creates a session and finds it by id and by refresh hash; lists a user’s sessions newest first', async () => {
        const u = await newUser();
        const hash = h(`refresh-${uniq()}`);
        const s = await newSession(u.id, { refreshTokenHash: hash });
        expect(s).toEqual({
          id: expect.stringMatching(/^ses_[0-9a-f]{24}$/),
          userId: u.id,
          refreshTokenHash: hash,
          createdAt: T0,
          expiresAt: T0 + 30 * 24 * 60 * MIN,
          revokedAt: null,
          lastUsedAt: T0,
          ip: '10.0.0.7',
          userAgent: 'Mozilla/5.0',
        });
        expect(await a.getSession(s.id)).toEqual(s);
        expect(await a.getSessionByRefreshHash(hash)).toEqual(s);
        expect(await a.getSessionByRefreshHash(h('unknown'))).toBeUndefined();
        expect(await a.getSession('ses_none')).toBeUndefined();
        const later = await newSession(u.id, { createdAt: T0 + MIN, ip: null, userAgent: null });
        expect(later).toMatchObject({ ip: null, userAgent: null });
        expect(await a.listSessions(u.id)).toEqual([later, s]);
        expect(await a.listSessions('usr_none')).toEqual([]);
      });

      it('refuses an unknown user, a refresh hash in use and a plain token', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        await expectError(newSession('usr_none'), 'not_found', /usr_none/);
        await expectError(newSession(u.id, { refreshTokenHash: s.refreshTokenHash }), 'conflict');
        await expectError(newSession(u.id, { refreshTokenHash: 'lbr_plain-refresh-token' }), 'invalid', /SHA-256/);
        expect((await newSession(u.id, { refreshTokenHash: hashSecret('x') })).refreshTokenHash).toMatch(/^sha256:/);
      });

      it('rotates a refresh token once: the old hash is gone, a second use gets undefined', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const next = h(`next-${uniq()}`);
        const rotated = await a.rotateSession(s.id, {
          fromHash: s.refreshTokenHash,
          toHash: next,
          expiresAt: T0 + 60 * MIN,
          at: T0 + MIN,
        });
        expect(rotated).toEqual({ ...s, refreshTokenHash: next, expiresAt: T0 + 60 * MIN, lastUsedAt: T0 + MIN });
        expect(await a.getSessionByRefreshHash(s.refreshTokenHash)).toBeUndefined();
        expect(await a.getSessionByRefreshHash(next)).toEqual(rotated);
        expect(
          await a.rotateSession(s.id, {
            fromHash: s.refreshTokenHash,
            toHash: h(`again-${uniq()}`),
            expiresAt: T0 + 60 * MIN,
            at: T0 + 2 * MIN,
          }),
        ).toBeUndefined();
        expect(await a.getSession(s.id)).toEqual(rotated);
      });

      it('lets exactly one of two concurrent uses of a refresh token rotate it', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const [x, y] = [h(`x-${uniq()}`), h(`y-${uniq()}`)];
        const results = await Promise.all(
          [x, y].map((toHash) =>
            a.rotateSession(s.id, { fromHash: s.refreshTokenHash, toHash, expiresAt: T0 + 60 * MIN, at: T0 + MIN }),
          ),
        );
        const winners = results.filter((res) => res !== undefined);
        expect(winners).toHaveLength(1);
        expect((await a.getSession(s.id))?.refreshTokenHash).toBe(winners[0]!.refreshTokenHash);
      });

      it('does not rotate an expired or revoked session', async () => {
        const u = await newUser();
        const s = await newSession(u.id, { expiresAt: T0 + MIN });
        const rotate = (at: number) =>
          a.rotateSession(s.id, { fromHash: s.refreshTokenHash, toHash: h(`z-${uniq()}`), expiresAt: at + MIN, at });
        expect(await rotate(T0 + MIN)).toBeUndefined();
        const t = await newSession(u.id);
        expect(await a.revokeSession(t.id, T0 + MIN)).toBe(true);
        expect(
          await a.rotateSession(t.id, {
            fromHash: t.refreshTokenHash,
            toHash: h(`w-${uniq()}`),
            expiresAt: T0,
            at: T0,
          }),
        ).toBeUndefined();
        expect(await rotate(T0 + MIN - 1)).toMatchObject({ lastUsedAt: T0 + MIN - 1 });
      });

      it('revokes one session once, and all active sessions of a user', async () => {
        const u = await newUser();
        const other = await newUser();
        const [s1, s2, s3] = [await newSession(u.id), await newSession(u.id), await newSession(u.id)];
        const theirs = await newSession(other.id);
        expect(await a.revokeSession(s1.id, T0 + MIN)).toBe(true);
        expect(await a.revokeSession(s1.id, T0 + 2 * MIN)).toBe(false);
        expect(await a.revokeSession('ses_none', T0)).toBe(false);
        expect((await a.getSession(s1.id))?.revokedAt).toBe(T0 + MIN);
        expect(await a.revokeUserSessions(u.id, T0 + 3 * MIN)).toBe(2);
        expect((await a.getSession(s1.id))?.revokedAt).toBe(T0 + MIN);
        expect((await a.getSession(s2.id))?.revokedAt).toBe(T0 + 3 * MIN);
        expect((await a.getSession(s3.id))?.revokedAt).toBe(T0 + 3 * MIN);
        expect((await a.getSession(theirs.id))?.revokedAt).toBeNull();
        expect(await a.revokeUserSessions(u.id, T0 + 4 * MIN)).toBe(0);
      });
    });

    describe('API tokens', () => {
      it('creates, finds, lists newest first, touches forward only and revokes once', async () => {
        const u = await newUser();
        const hash = h(`lbt-${uniq()}`);
        const t = await a.createApiToken({ userId: u.id, name: ' Ekspor BI ', tokenHash: hash, createdAt: T0 });
        expect(t).toEqual({
          id: expect.stringMatching(/^tok_[0-9a-f]{24}$/),
          userId: u.id,
          name: 'Ekspor BI',
          tokenHash: hash,
          createdAt: T0,
          expiresAt: null,
          lastUsedAt: null,
          revokedAt: null,
        });
        const t2 = await a.createApiToken({
          userId: u.id,
          name: 'Grafana',
          tokenHash: h(`lbt-${uniq()}`),
          createdAt: T0 + MIN,
          expiresAt: T0 + 90 * 24 * 60 * MIN,
        });
        expect(await a.getApiToken(t.id)).toEqual(t);
        expect(await a.getApiTokenByHash(hash)).toEqual(t);
        expect(await a.getApiTokenByHash(h('unknown'))).toBeUndefined();
        expect(await a.listApiTokens(u.id)).toEqual([t2, t]);
        await a.touchApiToken(t.id, T0 + 5 * MIN);
        await a.touchApiToken(t.id, T0 + 3 * MIN);
        expect((await a.getApiToken(t.id))?.lastUsedAt).toBe(T0 + 5 * MIN);
        expect(await a.revokeApiToken(t.id, T0 + 6 * MIN)).toBe(true);
        expect(await a.revokeApiToken(t.id, T0 + 7 * MIN)).toBe(false);
        expect(await a.revokeApiToken('tok_none', T0)).toBe(false);
        expect(await a.getApiTokenByHash(hash)).toMatchObject({ revokedAt: T0 + 6 * MIN });
        expect((await a.listApiTokens(u.id)).map((x) => x.id)).toEqual([t2.id, t.id]);
      });

      it('refuses an unknown user, a hash in use, a plain token and an empty name', async () => {
        const u = await newUser();
        const hash = h(`lbt-${uniq()}`);
        await a.createApiToken({ userId: u.id, name: 'a', tokenHash: hash, createdAt: T0 });
        await expectError(
          a.createApiToken({ userId: 'usr_none', name: 'a', tokenHash: h(uniq()), createdAt: T0 }),
          'not_found',
        );
        await expectError(a.createApiToken({ userId: u.id, name: 'b', tokenHash: hash, createdAt: T0 }), 'conflict');
        await expectError(a.createApiToken({ userId: u.id, name: 'c', tokenHash: 'lbt_x', createdAt: T0 }), 'invalid');
        await expectError(
          a.createApiToken({ userId: u.id, name: ' ', tokenHash: h(uniq()), createdAt: T0 }),
          'invalid',
        );
        expect(await a.listApiTokens(u.id)).toHaveLength(1);
      });
    });

    describe('one-time codes', () => {
      const newOtp = (p: string, createdAt = T0) =>
        a.createOtp({ phone: p, codeHash: h(`otp-${uniq()}`), createdAt, expiresAt: createdAt + 5 * MIN });

      it('keeps codes per phone: the latest, and how many since a time', async () => {
        const p = phone();
        expect(await a.latestOtp(p)).toBeUndefined();
        const first = await newOtp(p, T0);
        expect(first).toEqual({
          id: expect.stringMatching(/^otp_[0-9a-f]{24}$/),
          phone: p,
          codeHash: first.codeHash,
          createdAt: T0,
          expiresAt: T0 + 5 * MIN,
          attempts: 0,
          usedAt: null,
        });
        const second = await newOtp(p, T0 + 2 * MIN);
        await newOtp(phone(), T0 + 3 * MIN);
        expect(await a.latestOtp(p)).toEqual(second);
        expect(await a.countOtpsSince(p, T0)).toBe(2);
        expect(await a.countOtpsSince(p, T0 + 1)).toBe(1);
        expect(await a.countOtpsSince(p, T0 + 2 * MIN + 1)).toBe(0);
        await expectError(a.createOtp({ phone: '0812', codeHash: h('x'), createdAt: T0, expiresAt: T0 }), 'invalid');
        await expectError(a.createOtp({ phone: p, codeHash: '123456', createdAt: T0, expiresAt: T0 }), 'invalid');
      });

      it('counts every one of concurrent attempts', async () => {
        const o = await newOtp(phone());
        const counts = await Promise.all(Array.from({ length: 6 }, () => a.recordOtpAttempt(o.id)));
        expect(counts.sort()).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await a.latestOtp(o.phone))?.attempts).toBe(6);
        expect(await a.recordOtpAttempt('otp_none')).toBeUndefined();
      });

      it('lets exactly one of two concurrent uses mark a code used, and never an expired one', async () => {
        const o = await newOtp(phone());
        const results = await Promise.all([a.markOtpUsed(o.id, T0 + MIN), a.markOtpUsed(o.id, T0 + MIN)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await a.latestOtp(o.phone))?.usedAt).toBe(T0 + MIN);
        expect(await a.markOtpUsed(o.id, T0 + 2 * MIN)).toBe(false);
        const late = await newOtp(phone());
        expect(await a.markOtpUsed(late.id, T0 + 5 * MIN)).toBe(false);
        expect((await a.latestOtp(late.phone))?.usedAt).toBeNull();
        expect(await a.markOtpUsed('otp_none', T0)).toBe(false);
      });
    });

    describe('notification outbox', () => {
      it('enqueues, lists newest first or only the pending, and marks sent or failed', async () => {
        const t = T0 + 1_000_000 + n;
        const one = await a.enqueueNotification({
          channel: 'sms',
          recipient: '+6281234567890',
          body: 'Kode masuk Lumbung: 123456',
          createdAt: t,
        });
        expect(one).toEqual({
          id: expect.stringMatching(/^ntf_[0-9a-f]{24}$/),
          channel: 'sms',
          recipient: '+6281234567890',
          subject: null,
          body: 'Kode masuk Lumbung: 123456',
          createdAt: t,
          sentAt: null,
          error: null,
        });
        const two = await a.enqueueNotification({
          channel: 'log',
          recipient: 'admin',
          subject: 'Reset',
          body: 'x'.repeat(5000),
          createdAt: t + 1,
        });
        const mine = (list: { id: string }[]) => list.filter((x) => x.id === one.id || x.id === two.id);
        expect(mine(await a.listNotifications({ limit: 1000 }))).toEqual([two, one]);
        expect(await a.markNotificationFailed(one.id, 'gateway down')).toBe(true);
        expect(mine(await a.listNotifications({ limit: 1000, pending: true }))).toEqual([
          two,
          { ...one, error: 'gateway down' },
        ]);
        expect(await a.markNotificationSent(one.id, t + 5)).toBe(true);
        expect(mine(await a.listNotifications({ limit: 1000, pending: true }))).toEqual([two]);
        expect(mine(await a.listNotifications({ limit: 1000 }))).toEqual([two, { ...one, sentAt: t + 5, error: null }]);
        expect(await a.listNotifications({ limit: 1 })).toHaveLength(1);
        expect(await a.markNotificationSent('ntf_none', t)).toBe(false);
        expect(await a.markNotificationFailed('ntf_none', 'x')).toBe(false);
        await expectError(
          a.enqueueNotification({ channel: 'email' as 'sms', recipient: 'x', body: 'y', createdAt: t }),
          'invalid',
        );
        await expectError(a.listNotifications({ limit: 0 }), 'invalid');
      });
    });

    describe('audit log', () => {
      it('stores an event exactly, details included', async () => {
        const v = await newVillage();
        const event = {
          at: T0,
          actorUserId: 'usr_1',
          actorLabel: 'admin',
          action: 'user.role_changed',
          villageId: v.id,
          targetType: 'user',
          targetId: 'usr_2',
          ip: '192.0.2.1',
          success: true,
          details: { from: ['farmer'], to: ['village_admin'], note: null, n: 2, nested: { ok: true } },
        };
        const e = await a.appendAudit(event);
        expect(e).toEqual({ id: expect.stringMatching(/^aud_[0-9a-f]{28}$/), ...event });
        const bare = await a.appendAudit({ at: T0, actorLabel: 'system', action: 'auth.locked', success: false });
        expect(bare).toMatchObject({ actorUserId: null, villageId: null, targetType: null, ip: null, details: null });
        expect(await a.listAudit({ villageId: v.id, limit: 10 })).toEqual([e]);
        await expectError(a.appendAudit({ at: T0, actorLabel: 'x', action: 'Login', success: true }), 'invalid');
        await expectError(a.appendAudit({ at: T0, actorLabel: '', action: 'auth.login', success: true }), 'invalid');
      });

      it('lists newest first, by village and action, and pages without skipping events of one millisecond', async () => {
        const [v, w] = [await newVillage(), await newVillage()];
        const add = (at: number, action: string, villageId: string | null = v.id) =>
          a.appendAudit({ at, actorLabel: 'device:node-1', action, villageId, success: true });
        const e1 = await add(T0, 'auth.login');
        const e2 = await add(T0 + 1, 'auth.login_failed');
        const same = [
          await add(T0 + 2, 'auth.login'),
          await add(T0 + 2, 'auth.login'),
          await add(T0 + 2, 'data.exported'),
        ];
        const e6 = await add(T0 + 3, 'device.revoked');
        const elsewhere = await add(T0 + 4, 'auth.login', w.id);
        const platform = await add(T0 + 5, 'token.created', null);
        const all = await a.listAudit({ villageId: v.id, limit: 100 });
        expect(all.map((e) => e.at)).toEqual([T0 + 3, T0 + 2, T0 + 2, T0 + 2, T0 + 1, T0]);
        expect(all[0]).toEqual(e6);
        expect(all.slice(1, 4).map((e) => e.id)).toEqual(
          same
            .map((e) => e.id)
            .sort()
            .reverse(),
        );
        expect(all.at(-1)).toEqual(e1);
        expect((await a.listAudit({ villageId: w.id, limit: 100 })).map((e) => e.id)).toEqual([elsewhere.id]);
        const everywhere = (await a.listAudit({ limit: 1000 })).map((e) => e.id);
        expect(everywhere).toEqual(expect.arrayContaining([platform.id, elsewhere.id, e1.id]));
        expect(everywhere.indexOf(platform.id)).toBeLessThan(everywhere.indexOf(e1.id));
        expect(
          (await a.listAudit({ villageId: v.id, actions: ['auth.login_failed', 'device.revoked'], limit: 100 })).map(
            (e) => e.id,
          ),
        ).toEqual([e6.id, e2.id]);
        expect((await a.listAudit({ villageId: v.id, limit: 100, before: T0 + 2 })).map((e) => e.id)).toEqual([
          e2.id,
          e1.id,
        ]);
        // Pages of two through three events of the same millisecond: each event exactly once, in order.
        const paged: string[] = [];
        let before: { at: number; id: string } | undefined;
        for (;;) {
          const page = await a.listAudit({ villageId: v.id, limit: 2, ...(before ? { before } : {}) });
          if (page.length === 0) break;
          paged.push(...page.map((e) => e.id));
          const last = page.at(-1)!;
          before = { at: last.at, id: last.id };
        }
        expect(paged).toEqual(all.map((e) => e.id));
      });
    });

    describe('device provisioning codes', () => {
      const newCode = (villageId: string, deviceId: string, over: { codeHash?: string; createdAt?: number } = {}) =>
        a.createProvisioningCode({
          villageId,
          deviceId,
          codeHash: over.codeHash ?? h(`lbp-${uniq()}`),
          createdAt: over.createdAt ?? T0,
          expiresAt: (over.createdAt ?? T0) + 60 * MIN,
          createdBy: 'usr_admin',
        });

      it('creates codes for a device of the village and lists them newest first', async () => {
        const v = await newVillage();
        const d = await newDevice(v.id);
        const c1 = await newCode(v.id, d);
        expect(c1).toEqual({
          id: expect.stringMatching(/^prv_[0-9a-f]{24}$/),
          villageId: v.id,
          deviceId: d,
          codeHash: c1.codeHash,
          createdAt: T0,
          expiresAt: T0 + 60 * MIN,
          usedAt: null,
          createdBy: 'usr_admin',
        });
        const c2 = await newCode(v.id, d, { createdAt: T0 + MIN });
        expect(await a.listProvisioningCodes(v.id)).toEqual([c2, c1]);
        expect(await a.listProvisioningCodes('no-such-village')).toEqual([]);
      });

      it('refuses a device of another village, an unknown device, a hash in use and a plain code', async () => {
        const [v, w] = [await newVillage(), await newVillage()];
        const d = await newDevice(v.id);
        const c = await newCode(v.id, d);
        await expectError(newCode(w.id, d), 'not_found', new RegExp(d));
        await expectError(newCode(v.id, 'ghost-device'), 'not_found');
        await expectError(newCode(v.id, d, { codeHash: c.codeHash }), 'conflict');
        await expectError(newCode(v.id, d, { codeHash: 'ABCD-1234' }), 'invalid');
        expect(await a.listProvisioningCodes(w.id)).toEqual([]);
        expect(await a.listProvisioningCodes(v.id)).toEqual([c]);
      });

      it('is consumed once: of two concurrent uses exactly one gets the code', async () => {
        const v = await newVillage();
        const c = await newCode(v.id, await newDevice(v.id));
        const results = await Promise.all([
          a.consumeProvisioningCode(c.codeHash, T0 + MIN),
          a.consumeProvisioningCode(c.codeHash, T0 + MIN),
        ]);
        expect(results.filter((x) => x !== undefined)).toEqual([{ ...c, usedAt: T0 + MIN }]);
        expect(await a.consumeProvisioningCode(c.codeHash, T0 + 2 * MIN)).toBeUndefined();
        expect((await a.listProvisioningCodes(v.id))[0]?.usedAt).toBe(T0 + MIN);
      });

      it('is not consumed after it expires, nor when unknown', async () => {
        const v = await newVillage();
        const c = await newCode(v.id, await newDevice(v.id));
        expect(await a.consumeProvisioningCode(c.codeHash, c.expiresAt)).toBeUndefined();
        expect(await a.consumeProvisioningCode(h('unknown'), T0)).toBeUndefined();
        expect((await a.listProvisioningCodes(v.id))[0]?.usedAt).toBeNull();
        expect(await a.consumeProvisioningCode(c.codeHash, c.expiresAt - 1)).toMatchObject({ usedAt: c.expiresAt - 1 });
      });
    });

    describe('lifecycle', () => {
      it('keeps accounts across a restart of the registry', async () => {
        const u = await newUser({ phone: phone() });
        const other = fx.open();
        await other.start();
        try {
          expect(await other.accounts.getUser(u.id)).toEqual(u);
        } finally {
          await other.stop();
        }
      });

      it('refuses to work before start', async () => {
        const other = fx.open();
        await expect(other.accounts.getUser('usr_x')).rejects.toThrow(/not started/);
      });
    });
  });
}
