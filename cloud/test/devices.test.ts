import { hashSecret, verifySecret } from '@lumbung/runtime';
import { EdgeProvisioning } from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCHANGE_LIMIT, newProvisioningCode, provisioningCodeHash } from '../src/routes/devices.ts';
import { testDatabases } from './databases.ts';
import { createFixture, EDGE_ID, EDGE_SECRET, type Fixture, NOW } from './fixture.ts';

const V = '/api/v1/villages/kel-taman';
const CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

// Device provisioning (issue 4) through the real HTTP app on a real registry database.
for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`device provisioning on ${db.name}`, () => {
    let f: Fixture;
    let cleanup: (() => Promise<void>) | undefined;
    const tokens: Record<'admin' | 'farmer' | 'otherAdmin', string> = { admin: '', farmer: '', otherAdmin: '' };
    let ip = 0;

    beforeAll(async () => {
      const d = await db.create();
      cleanup = d.cleanup;
      f = await createFixture(d);
      await f.registry.upsertVillage({
        id: 'desa-lain',
        name: 'Desa Lain',
        kodeWilayah: null,
        district: null,
        regency: null,
        province: null,
        timeZone: 'Asia/Makassar',
        latitude: -8.6,
        longitude: 116.1,
        elevation: null,
      });
      const users = [
        { key: 'admin', username: 'operator', role: 'village_admin', villageId: 'kel-taman' },
        { key: 'farmer', username: 'petani', role: 'farmer', villageId: 'kel-taman' },
        { key: 'otherAdmin', username: 'operator-lain', role: 'village_admin', villageId: 'desa-lain' },
      ] as const;
      for (const u of users) {
        const user = await f.registry.accounts.createUser({
          username: u.username,
          displayName: u.username,
          passwordHash: await f.auth.hashPassword('kata-sandi-uji'),
          createdAt: NOW,
        });
        await f.registry.accounts.setMemberships(user.id, [{ role: u.role, villageId: u.villageId }], NOW);
        const res = await f.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: 'kata-sandi-uji' },
          remoteAddress: `10.1.0.${++ip}`,
        });
        expect(res.statusCode, res.body).toBe(200);
        tokens[u.key] = res.json().accessToken;
      }
    });
    afterAll(async () => {
      await f?.close();
      await cleanup?.();
    });

    const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
    const post = (url: string, payload?: object, who: keyof typeof tokens = 'admin') =>
      f.app.inject({ method: 'POST', url, headers: as(who), ...(payload ? { payload } : {}) });
    // Each exchange from its own address unless a test says otherwise, so the rate limit stays out of the way.
    const exchange = (code: string, remoteAddress = `10.2.${Math.floor(++ip / 250)}.${ip % 250}`) =>
      f.app.inject({ method: 'POST', url: '/api/v1/provisioning/device', payload: { code }, remoteAddress });
    const edgeDevice = async (deviceId: string) => {
      const res = await f.app.inject({
        url: '/api/v1/provisioning/edge',
        headers: { authorization: `Basic ${Buffer.from(`${EDGE_ID}:${EDGE_SECRET}`).toString('base64')}` },
      });
      expect(res.statusCode).toBe(200);
      return EdgeProvisioning.parse(res.json()).devices.find((d) => d.deviceId === deviceId);
    };
    const register = (id: string, over: object = {}) =>
      post(`${V}/devices`, { id, family: 'storage_room_sensor', siteId: 'ruang-telur', intervalSeconds: 60, ...over });
    // Events of one device (the fixture's clock stands still: many events share a time).
    const audit = async (action: string, deviceId: string) =>
      (await f.registry.accounts.listAudit({ villageId: 'kel-taman', actions: [action], limit: 100 })).filter(
        (e) => e.targetId === deviceId,
      );

    it('registers a device with a one-time code and QR; the device exchanges it and its box gets the new hash', async () => {
      const res = await register('taman-th-baru', { sensorHeight: 1.5 });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.device).toEqual({
        id: 'taman-th-baru',
        villageId: 'kel-taman',
        siteId: 'ruang-telur',
        family: 'storage_room_sensor',
        intervalSeconds: 60,
        sensorHeight: 1.5,
        revoked: true,
      });
      expect(body.code).toMatch(CODE);
      expect(body.expiresAt).toBe(NOW + 24 * 3_600_000);
      // The code never goes into an http(s) URL that proxies and servers would log.
      expect(body.provisioningUrl).toBe(
        `lumbung://provision?v=1&code=${body.code}&cloud=${encodeURIComponent('http://localhost')}`,
      );
      expect(body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      // Stored as its hash only.
      const stored = await f.registry.accounts.listProvisioningCodes('kel-taman');
      expect(stored[0]?.codeHash).toBe(provisioningCodeHash(body.code.replace('-', '')));
      expect(JSON.stringify(stored)).not.toContain(body.code.replace('-', ''));
      // No usable secret yet: the box refuses the device until the exchange.
      expect((await edgeDevice('taman-th-baru'))?.revoked).toBe(true);

      const ex = await exchange(` ${body.code.toLowerCase().replace('-', ' ')} `);
      expect(ex.statusCode, ex.body).toBe(200);
      const creds = ex.json();
      expect(creds).toEqual({
        deviceId: 'taman-th-baru',
        villageId: 'kel-taman',
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        topics: {
          up: 'lumbung/v1/kel-taman/taman-th-baru/up',
          status: 'lumbung/v1/kel-taman/taman-th-baru/status',
          down: 'lumbung/v1/kel-taman/taman-th-baru/down',
        },
      });
      const onBox = await edgeDevice('taman-th-baru');
      expect(onBox).toMatchObject({ revoked: false, secretHash: hashSecret(creds.secret) });
      expect(verifySecret(creds.secret, onBox!.secretHash)).toBe(true);

      const issued = await audit('device.credential_issued', 'taman-th-baru');
      expect(issued[0]).toMatchObject({ actorLabel: 'operator', targetId: 'taman-th-baru', success: true });
      expect(issued[0]?.details).toMatchObject({ purpose: 'register' });
      const provisioned = await audit('device.provisioned', 'taman-th-baru');
      expect(provisioned[0]).toMatchObject({ actorLabel: 'device:taman-th-baru', actorUserId: null, success: true });
      expect(JSON.stringify([...issued, ...provisioned])).not.toContain(creds.secret);
    });

    it('takes a code once: a used, wrong or expired code is one generic 401; of two concurrent exchanges one wins', async () => {
      const { code } = (await register('taman-th-sekali')).json();
      expect((await exchange(code)).statusCode).toBe(200);
      const again = await exchange(code);
      expect(again.statusCode).toBe(401);
      expect(again.json().code).toBe('LUMBUNG_ERR_PROVISIONING_CODE_INVALID');
      const wrong = await exchange(newProvisioningCode());
      const garbage = await exchange('not a code at all');
      expect(wrong.json()).toEqual(again.json());
      expect(garbage.json()).toEqual(again.json());

      // Expired: made directly with a lifetime that ended a second ago.
      const expired = newProvisioningCode();
      const admin = await f.registry.accounts.getUserByUsername('operator');
      await f.registry.accounts.createProvisioningCode({
        villageId: 'kel-taman',
        deviceId: 'taman-th-sekali',
        codeHash: provisioningCodeHash(expired.replace('-', '')),
        createdAt: NOW - 86_401_000,
        expiresAt: NOW - 1000,
        createdBy: admin!.id,
      });
      const late = await exchange(expired);
      expect(late.statusCode).toBe(401);
      expect(late.json()).toEqual(again.json());

      const rotated = (await post(`${V}/devices/taman-th-sekali/rotate`)).json();
      const both = await Promise.all([exchange(rotated.code), exchange(rotated.code)]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('rotates: the old secret works until the device exchanges the new code, then the new one replaces it', async () => {
      const { code } = (await register('taman-th-putar')).json();
      const first = (await exchange(code)).json().secret as string;
      const res = await post(`${V}/devices/taman-th-putar/rotate`);
      expect(res.statusCode, res.body).toBe(201);
      const rotation = res.json();
      expect(rotation.code).toMatch(CODE);
      expect(rotation.device.revoked).toBe(false);
      expect((await edgeDevice('taman-th-putar'))?.secretHash).toBe(hashSecret(first));
      // A second rotation cancels the first code: only the newest works.
      const newer = (await post(`${V}/devices/taman-th-putar/rotate`)).json();
      expect((await exchange(rotation.code)).statusCode).toBe(401);
      const second = (await exchange(newer.code)).json().secret as string;
      expect(second).not.toBe(first);
      const onBox = await edgeDevice('taman-th-putar');
      expect(onBox).toMatchObject({ revoked: false, secretHash: hashSecret(second) });
      const rotatedEvents = await audit('device.credential_rotated', 'taman-th-putar');
      expect(rotatedEvents).toHaveLength(1);
      expect(rotatedEvents[0]).toMatchObject({ actorLabel: 'device:taman-th-putar', targetId: 'taman-th-putar' });
      // Rotation works for the devices `lumbung register` seeded too.
      const seeded = (await post(`${V}/devices/taman-th-telur/rotate`)).json();
      const seededSecret = (await exchange(seeded.code)).json().secret as string;
      expect((await edgeDevice('taman-th-telur'))?.secretHash).toBe(hashSecret(seededSecret));
    });

    it('revokes: the box gets the device as revoked, pending codes stop working, a rotation brings it back', async () => {
      const { code } = (await register('taman-th-cabut')).json();
      const secret = (await exchange(code)).json().secret as string;
      const pending = (await post(`${V}/devices/taman-th-cabut/rotate`)).json();
      const res = await post(`${V}/devices/taman-th-cabut/revoke`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: 'taman-th-cabut', revoked: true });
      expect(await edgeDevice('taman-th-cabut')).toMatchObject({ revoked: true, secretHash: hashSecret(secret) });
      // A code issued before the revocation would un-revoke the device: it was cancelled.
      expect((await exchange(pending.code)).statusCode).toBe(401);
      const [revoked] = await audit('device.revoked', 'taman-th-cabut');
      expect(revoked).toMatchObject({ actorLabel: 'operator', targetId: 'taman-th-cabut', success: true });
      expect(revoked?.details).toMatchObject({ cancelledCodes: 1 });

      const back = (await post(`${V}/devices/taman-th-cabut/rotate`)).json();
      const fresh = (await exchange(back.code)).json().secret as string;
      expect(await edgeDevice('taman-th-cabut')).toMatchObject({ revoked: false, secretHash: hashSecret(fresh) });
    });

    it('lists the village’s codes with their status, never the code or its hash', async () => {
      const { code } = (await register('taman-th-daftar')).json();
      const res = await f.app.inject({ url: `${V}/provisioning-codes?deviceId=taman-th-daftar`, headers: as('admin') });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([
        expect.objectContaining({
          deviceId: 'taman-th-daftar',
          status: 'pending',
          usedAt: null,
          expiresAt: NOW + 86_400_000,
        }),
      ]);
      await exchange(code);
      const after = await f.app.inject({ url: `${V}/provisioning-codes`, headers: as('admin') });
      const rows = after.json() as { deviceId: string; status: string }[];
      expect(rows.find((r) => r.deviceId === 'taman-th-daftar')?.status).toBe('used');
      expect(rows.some((r) => r.status === 'expired')).toBe(true);
      expect(after.body).not.toContain(code);
      expect(after.body).not.toContain('codeHash');
    });

    it('refuses taken ids, unknown sites and reserved ids', async () => {
      expect((await register('taman-th-telur')).json().code).toBe('LUMBUNG_ERR_DEVICE_EXISTS');
      expect((await register('taman-th-telur')).statusCode).toBe(409);
      // An id taken in another village is taken too: ids are MQTT client ids across the platform.
      await f.registry.upsertSite({
        id: 'gudang',
        villageId: 'desa-lain',
        kind: 'storage_room',
        name: 'Gudang',
        parentId: null,
        plot: null,
        storageRoom: { purpose: 'dry_goods', temperature: { min: 10, max: 30 }, humidity: { min: 40, max: 70 } },
        meterPoint: null,
      });
      await f.registry.upsertDevice({
        id: 'lain-th-01',
        villageId: 'desa-lain',
        siteId: 'gudang',
        family: 'storage_room_sensor',
        intervalSeconds: 60,
        sensorHeight: null,
        revoked: false,
        secretHash: hashSecret('x'),
      });
      expect((await register('lain-th-01')).statusCode).toBe(409);
      const site = await register('taman-th-x', { siteId: 'tidak-ada' });
      expect(site.statusCode).toBe(404);
      expect(site.json().code).toBe('LUMBUNG_ERR_SITE_NOT_FOUND');
      expect((await register('edges')).statusCode).toBe(400);
      expect((await register('Bad Id')).statusCode).toBe(400);
      expect((await register('taman-th-y', { intervalSeconds: 0 })).statusCode).toBe(400);
      expect((await register('taman-th-z', { secret: 'chosen-by-a-person' })).statusCode).toBe(400);
      expect((await post(`${V}/devices/tidak-ada/rotate`)).json().code).toBe('LUMBUNG_ERR_DEVICE_NOT_FOUND');
      expect((await post(`${V}/devices/lain-th-01/revoke`)).statusCode).toBe(404);
    });

    it('lets only holders of device.manage in the village in: a farmer gets 403, another village’s admin 404', async () => {
      const calls = [
        [
          'POST',
          `${V}/devices`,
          { id: 'taman-th-q', family: 'storage_room_sensor', siteId: 'ruang-telur', intervalSeconds: 60 },
        ],
        ['POST', `${V}/devices/taman-th-telur/rotate`, undefined],
        ['POST', `${V}/devices/taman-th-telur/revoke`, undefined],
        ['GET', `${V}/provisioning-codes`, undefined],
      ] as const;
      for (const [method, url, payload] of calls) {
        const req = (headers: Record<string, string>) =>
          f.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
        const farmer = await req(as('farmer'));
        expect(farmer.statusCode, url).toBe(403);
        expect(farmer.json().code).toBe('LUMBUNG_ERR_FORBIDDEN');
        const other = await req(as('otherAdmin'));
        expect(other.statusCode, url).toBe(404);
        expect(other.json().code).toBe('LUMBUNG_ERR_VILLAGE_NOT_FOUND');
        expect((await req({})).statusCode, url).toBe(401);
      }
      expect((await f.registry.getDevice('kel-taman', 'taman-th-telur'))?.revoked).toBe(false);
      expect(await f.registry.getDevice('kel-taman', 'taman-th-q')).toBeUndefined();
    });

    it('limits exchanges per address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= EXCHANGE_LIMIT.capacity; i++)
        statuses.push((await exchange(newProvisioningCode(), '10.9.9.9')).statusCode);
      expect(statuses.slice(0, EXCHANGE_LIMIT.capacity).every((s) => s === 401)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      expect((await exchange(newProvisioningCode(), '10.9.9.10')).statusCode).toBe(401);
    });
  });
}
