import { hashSecret } from '@lumbung/runtime';
import {
  type Alert,
  type DeviceRecord,
  type SiteRecord,
  type StorageRoomSite,
  scenarioRules,
  type VillageRecord,
} from '@lumbung/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Registry, RegistryError } from '../src/registry/index.ts';

/** A database for the contract: `open()` gives a new, unstarted registry on it (call it again to reopen). */
export interface RegistryFixture {
  open(): Registry;
  cleanup(): Promise<void>;
}

/**
 * The contract of the `Registry` port (cloud/src/registry/port.ts): every adapter runs this same suite
 * (aedes-persistence's abstract.js pattern). Tests share one database and keep apart by village id;
 * device, edge and alert ids are unique across villages, so each test uses ids of its own.
 */
export function registryContract(name: string, factory: () => Promise<RegistryFixture>): void {
  describe(`Registry contract: ${name}`, () => {
    let fx: RegistryFixture;
    let r: Registry;
    let n = 0;

    beforeAll(async () => {
      fx = await factory();
      r = fx.open();
      await r.start();
    });
    afterAll(async () => {
      await r?.stop();
      await fx?.cleanup();
    });

    /** A fresh village for one test. */
    const newVillage = async (over: Partial<VillageRecord> = {}): Promise<VillageRecord> =>
      r.upsertVillage({ ...village(`v${++n}-${Math.random().toString(36).slice(2, 8)}`), ...over });

    describe('lifecycle', () => {
      it('answers ping while started, and not after stop', async () => {
        expect(await r.ping()).toBe(true);
        const other = fx.open();
        await other.start();
        expect(await other.ping()).toBe(true);
        await other.stop();
        expect(await other.ping()).toBe(false);
      });

      it('keeps its records across a restart, and start() twice is harmless', async () => {
        const v = await newVillage();
        const other = fx.open();
        await other.start();
        await other.start();
        try {
          expect(await other.getVillage(v.id)).toEqual(v);
        } finally {
          await other.stop();
        }
      });

      it('names its provider', () => {
        expect(r.provider).toBe(name);
      });
    });

    describe('villages', () => {
      it('stores a village exactly and replaces it on upsert', async () => {
        const v = await newVillage({ kodeWilayah: '35.77.01.1001', elevation: 63.5 });
        expect(await r.getVillage(v.id)).toEqual(v);
        const changed = { ...v, name: 'Desa Baru', kodeWilayah: null, district: 'Taman', elevation: null };
        expect(await r.upsertVillage(changed)).toEqual(changed);
        expect(await r.getVillage(v.id)).toEqual(changed);
      });

      it('lists villages by id and answers undefined for an unknown one', async () => {
        const p = `zz${Date.now().toString(36)}`;
        const a = await newVillage({ id: `${p}-a` });
        const b = await newVillage({ id: `${p}_a` });
        const c = await newVillage({ id: `${p}a` });
        const ids = (await r.listVillages()).map((v) => v.id).filter((id) => id.startsWith(p));
        // Byte order ("-" < "_" < letters), whatever the database's collation says.
        expect(ids).toEqual([a.id, b.id, c.id].sort());
        expect(ids).toEqual([a.id, b.id, c.id]);
        expect(await r.getVillage('no-such-village')).toBeUndefined();
      });

      it('refuses an invalid village', async () => {
        await expectError(r.upsertVillage({ ...village('Bad Id'), id: 'Bad Id' }), 'invalid');
        await expectError(r.upsertVillage({ ...village('ok-id'), latitude: 120 }), 'invalid');
      });
    });

    describe('sites', () => {
      it('stores every kind with its details, and lists them by kind then id', async () => {
        const v = await newVillage();
        const sites = siteSet(v.id);
        for (const s of sites) expect(await r.upsertSite(s)).toEqual(s);
        const listed = await r.listSites(v.id);
        expect(listed.map((s) => s.id)).toEqual([
          'sawah-a',
          'sawah_b',
          'sawaha',
          'ruang-kering',
          'meter-air',
          'cuaca',
          'rumah-kemasan',
        ]);
        expect(listed).toEqual(expect.arrayContaining(sites));
        for (const s of sites) expect(await r.getSite(v.id, s.id)).toEqual(s);
        expect((await r.listSites(v.id, { kind: 'plot' })).map((s) => s.id)).toEqual(['sawah-a', 'sawah_b', 'sawaha']);
        expect(await r.listSites(v.id, { kind: 'weather' })).toEqual([sites.find((s) => s.kind === 'weather')]);
      });

      it('keeps a storage room range open at one end', async () => {
        const v = await newVillage();
        const room = storageRoom(v.id, 'dingin', { temperature: { max: 8 }, humidity: { min: 40 } });
        await r.upsertSite(room);
        expect((await r.getSite(v.id, 'dingin'))?.storageRoom).toEqual({
          purpose: 'produce',
          temperature: { max: 8 },
          humidity: { min: 40 },
        });
      });

      it('scopes site ids to their village', async () => {
        const a = await newVillage();
        const b = await newVillage();
        await r.upsertSite(weather(a.id, 'cuaca', 'Stasiun A'));
        await r.upsertSite(weather(b.id, 'cuaca', 'Stasiun B'));
        expect((await r.getSite(a.id, 'cuaca'))?.name).toBe('Stasiun A');
        expect((await r.getSite(b.id, 'cuaca'))?.name).toBe('Stasiun B');
        expect(await r.getSite(a.id, 'nowhere')).toBeUndefined();
      });

      it('replaces a site, leaving nothing of its old kind', async () => {
        const v = await newVillage();
        const p = plot(v.id, 'petak');
        await r.upsertSite(p);
        const w = weather(v.id, 'petak', 'Now a mast');
        expect(await r.upsertSite(w)).toEqual(w);
        expect(await r.getSite(v.id, 'petak')).toEqual(w);
        await r.upsertSite(p);
        expect(await r.getSite(v.id, 'petak')).toEqual(p);
      });

      it('refuses an unknown village or parent, a site of itself, and details of the wrong kind', async () => {
        const v = await newVillage();
        await expectError(r.upsertSite(weather('no-such-village', 'x')), 'not_found', /no-such-village/);
        await expectError(r.upsertSite({ ...weather(v.id, 'x'), parentId: 'ghost' }), 'not_found', /ghost/);
        await expectError(r.upsertSite({ ...weather(v.id, 'x'), parentId: 'x' }), 'invalid');
        await expectError(r.upsertSite({ ...plot(v.id, 'x'), plot: null }), 'invalid');
        await expectError(r.upsertSite({ ...weather(v.id, 'x'), meterPoint: { measures: 'water' } }), 'invalid');
        await expectError(
          r.upsertSite({ ...storageRoom(v.id, 'x'), plot: plot(v.id, 'y').plot }),
          'invalid',
          /cannot have plot details/,
        );
        expect(await r.listSites(v.id)).toEqual([]);
      });
    });

    describe('devices', () => {
      it('stores devices with their site, lists them by id and filters by site', async () => {
        const v = await newVillage();
        for (const s of siteSet(v.id)) await r.upsertSite(s);
        const d1 = device(v.id, 'node-b', 'sawah-a');
        const d2 = { ...device(v.id, 'node-a', 'cuaca'), family: 'weather_station', sensorHeight: 2 };
        const d3 = { ...device(v.id, 'node_a', null), intervalSeconds: 900 };
        for (const d of [d1, d2, d3]) expect(await r.upsertDevice({ ...d, secretHash: hashSecret(d.id) })).toEqual(d);
        expect(await r.listDevices(v.id)).toEqual([d2, d1, d3]);
        expect(await r.listDevices(v.id, { siteId: 'sawah-a' })).toEqual([d1]);
        expect(await r.getDevice(v.id, 'node-a')).toEqual(d2);
        expect(await r.getDevice(v.id, 'ghost')).toBeUndefined();
      });

      it('scopes a device lookup to its village and refuses to move a device to another village', async () => {
        const a = await newVillage();
        const b = await newVillage();
        const d = device(a.id, `dev-${a.id}`, null);
        await r.upsertDevice({ ...d, secretHash: hashSecret('s') });
        expect(await r.getDevice(b.id, d.id)).toBeUndefined();
        expect(await r.listDevices(b.id)).toEqual([]);
        await expectError(
          r.upsertDevice({ ...d, villageId: b.id, secretHash: hashSecret('s') }),
          'conflict',
          new RegExp(a.id),
        );
        expect(await r.getDevice(a.id, d.id)).toEqual(d);
      });

      it('refuses an unknown village or site and a hash that is not sha256', async () => {
        const v = await newVillage();
        await expectError(
          r.upsertDevice({ ...device('no-such-village', 'x1', null), secretHash: hashSecret('s') }),
          'not_found',
        );
        await expectError(
          r.upsertDevice({ ...device(v.id, 'x2', 'ghost-site'), secretHash: hashSecret('s') }),
          'not_found',
          /ghost-site/,
        );
        await expectError(r.upsertDevice({ ...device(v.id, 'x3', null), secretHash: 'plain-secret' }), 'invalid');
        expect(await r.listDevices(v.id)).toEqual([]);
      });

      it('replaces a device but keeps its presence', async () => {
        const v = await newVillage();
        const d = device(v.id, `keep-${v.id}`, null);
        await r.upsertDevice({ ...d, secretHash: hashSecret('a') });
        await r.setPresence('device', [{ id: d.id, state: 'online', at: 1_000 }]);
        const changed = { ...d, family: 'soil_probe', intervalSeconds: 120, revoked: true };
        expect(await r.upsertDevice({ ...changed, secretHash: hashSecret('b') })).toEqual(changed);
        expect((await r.presence('device', v.id)).get(d.id)).toEqual({ state: 'online', at: 1_000 });
      });

      it('changes a secret and revokes, seen in the village box provisioning', async () => {
        const v = await newVillage();
        const d = device(v.id, `sec-${v.id}`, null);
        await r.upsertDevice({ ...d, secretHash: hashSecret('old') });
        await r.upsertEdge({
          id: `edge-${v.id}`,
          villageId: v.id,
          name: 'Box',
          revoked: false,
          secretHash: hashSecret('e'),
        });
        await r.setDeviceSecret(v.id, d.id, hashSecret('new'));
        await r.setDeviceRevoked(v.id, d.id, true);
        expect((await r.getDevice(v.id, d.id))?.revoked).toBe(true);
        const prov = await r.edgeProvisioning(`edge-${v.id}`);
        expect(prov?.devices).toEqual([
          { deviceId: d.id, villageId: v.id, family: d.family, secretHash: hashSecret('new'), revoked: true },
        ]);
        await r.setDeviceRevoked(v.id, d.id, false);
        expect((await r.getDevice(v.id, d.id))?.revoked).toBe(false);
      });

      it('answers not_found when changing an unknown device or one of another village', async () => {
        const a = await newVillage();
        const b = await newVillage();
        await r.upsertDevice({ ...device(a.id, `mine-${a.id}`, null), secretHash: hashSecret('s') });
        await expectError(r.setDeviceSecret(b.id, `mine-${a.id}`, hashSecret('x')), 'not_found');
        await expectError(r.setDeviceRevoked(b.id, `mine-${a.id}`, true), 'not_found');
        await expectError(r.setDeviceRevoked(a.id, 'ghost', true), 'not_found');
        expect((await r.getDevice(a.id, `mine-${a.id}`))?.revoked).toBe(false);
      });
    });

    describe('edges and provisioning', () => {
      it('stores edges, lists them by village and revokes them', async () => {
        const v = await newVillage();
        const e2 = { id: `${v.id}-box-2`, villageId: v.id, name: 'Kotak 2', revoked: false };
        const e1 = { id: `${v.id}-box-1`, villageId: v.id, name: 'Kotak 1', revoked: false };
        for (const e of [e2, e1]) expect(await r.upsertEdge({ ...e, secretHash: hashSecret(e.id) })).toEqual(e);
        expect(await r.listEdges(v.id)).toEqual([e1, e2]);
        expect(await r.getEdge(e1.id)).toEqual(e1);
        await r.setEdgeRevoked(e1.id, true);
        expect(await r.getEdge(e1.id)).toEqual({ ...e1, revoked: true });
        expect(await r.getEdge('ghost-edge')).toBeUndefined();
        await expectError(r.setEdgeRevoked('ghost-edge', true), 'not_found');
      });

      it('refuses an edge of an unknown village, or moving an edge to another village', async () => {
        const a = await newVillage();
        const b = await newVillage();
        const e = { id: `${a.id}-box`, villageId: a.id, name: 'Box', revoked: false, secretHash: hashSecret('s') };
        await expectError(r.upsertEdge({ ...e, villageId: 'no-such-village' }), 'not_found');
        await r.upsertEdge(e);
        await expectError(r.upsertEdge({ ...e, villageId: b.id }), 'conflict');
        expect((await r.getEdge(e.id))?.villageId).toBe(a.id);
      });

      it('checks an edge secret: right, wrong, unknown edge, revoked edge', async () => {
        const v = await newVillage();
        const id = `${v.id}-auth`;
        await r.upsertEdge({ id, villageId: v.id, name: 'Box', revoked: false, secretHash: hashSecret('rahasia') });
        expect(await r.verifyEdgeSecret(id, 'rahasia')).toBe(true);
        expect(await r.verifyEdgeSecret(id, 'rahasia2')).toBe(false);
        expect(await r.verifyEdgeSecret('ghost-edge', 'rahasia')).toBe(false);
        await r.setEdgeRevoked(id, true);
        expect(await r.verifyEdgeSecret(id, 'rahasia')).toBe(false);
      });

      it('provisions a village box with its village devices (revoked too) and the storage-room rules', async () => {
        const v = await newVillage();
        const other = await newVillage();
        const sites = siteSet(v.id);
        for (const s of sites) await r.upsertSite(s);
        await r.upsertSite(
          storageRoom(v.id, 'ruang-telur', { temperature: { min: 10, max: 20 }, humidity: { max: 70 } }),
        );
        await r.upsertDevice({ ...device(v.id, `${v.id}-t`, 'ruang-kering'), secretHash: hashSecret('t') });
        await r.upsertDevice({ ...device(v.id, `${v.id}-r`, null), revoked: true, secretHash: hashSecret('r') });
        await r.upsertDevice({ ...device(other.id, `${other.id}-x`, null), secretHash: hashSecret('x') });
        const edgeId = `${v.id}-box`;
        await r.upsertEdge({ id: edgeId, villageId: v.id, name: 'Box', revoked: false, secretHash: hashSecret('e') });

        const prov = await r.edgeProvisioning(edgeId);
        expect(prov?.villageId).toBe(v.id);
        expect(prov?.edgeId).toBe(edgeId);
        expect(prov?.devices).toEqual([
          { deviceId: `${v.id}-r`, villageId: v.id, family: 'air_th', secretHash: hashSecret('r'), revoked: true },
          {
            deviceId: `${v.id}-t`,
            villageId: v.id,
            siteId: 'ruang-kering',
            family: 'air_th',
            secretHash: hashSecret('t'),
            revoked: false,
          },
        ]);
        const rooms = (await r.listSites(v.id, { kind: 'storage_room' })).map(
          (s): StorageRoomSite => ({ kind: 'storage_room', id: s.id, name: s.name, ...s.storageRoom! }),
        );
        expect(prov?.rules).toEqual(scenarioRules({ sites: rooms }));
        expect(prov?.rules.map((x) => x.id)).toEqual([
          'ruang-kering-temperature',
          'ruang-kering-humidity',
          'ruang-telur-temperature',
          'ruang-telur-humidity',
        ]);
        expect(prov?.rules.find((x) => x.id === 'ruang-telur-humidity')).toMatchObject({
          siteId: 'ruang-telur',
          metric: 'relative_humidity',
          max: 70,
        });
        expect(await r.edgeProvisioning('ghost-edge')).toBeUndefined();
      });

      it('provisions the gateway with every edge and its hash', async () => {
        const v = await newVillage();
        await r.upsertEdge({
          id: `${v.id}-g2`,
          villageId: v.id,
          name: 'B',
          revoked: true,
          secretHash: hashSecret('2'),
        });
        await r.upsertEdge({
          id: `${v.id}-g1`,
          villageId: v.id,
          name: 'A',
          revoked: false,
          secretHash: hashSecret('1'),
        });
        const edges = (await r.gatewayProvisioning()).edges;
        const mine = edges.filter((e) => e.villageId === v.id);
        expect(mine).toEqual([
          { edgeId: `${v.id}-g1`, villageId: v.id, secretHash: hashSecret('1'), revoked: false },
          { edgeId: `${v.id}-g2`, villageId: v.id, secretHash: hashSecret('2'), revoked: true },
        ]);
        expect(edges.map((e) => e.edgeId)).toEqual(edges.map((e) => e.edgeId).sort());
      });
    });

    describe('presence', () => {
      it('keeps the newest report and ignores older ones', async () => {
        const v = await newVillage();
        const ids = ['p1', 'p2', 'p3'].map((x) => `${v.id}-${x}`);
        for (const id of ids) await r.upsertDevice({ ...device(v.id, id, null), secretHash: hashSecret(id) });
        await r.setPresence('device', [
          { id: ids[0]!, state: 'online', at: 2_000 },
          { id: ids[1]!, state: 'offline', at: 2_000 },
        ]);
        await r.setPresence('device', [
          { id: ids[0]!, state: 'offline', at: 1_999 },
          { id: ids[1]!, state: 'online', at: 2_000 },
        ]);
        const p = await r.presence('device', v.id);
        expect(p.get(ids[0]!)).toEqual({ state: 'online', at: 2_000 });
        expect(p.get(ids[1]!)).toEqual({ state: 'online', at: 2_000 });
        // Never reported: absent rather than invented.
        expect(p.has(ids[2]!)).toBe(false);
        expect(p.size).toBe(2);
      });

      it('takes the newest of several reports for one device in one call, in any order', async () => {
        const v = await newVillage();
        const id = `${v.id}-dup`;
        await r.upsertDevice({ ...device(v.id, id, null), secretHash: hashSecret(id) });
        await r.setPresence('device', [
          { id, state: 'offline', at: 5_000 },
          { id, state: 'online', at: 7_000 },
          { id, state: 'unknown', at: 6_000 },
        ]);
        expect((await r.presence('device', v.id)).get(id)).toEqual({ state: 'online', at: 7_000 });
      });

      it('ignores unknown ids and keeps villages and kinds apart', async () => {
        const a = await newVillage();
        const b = await newVillage();
        const id = `${a.id}-dev`;
        await r.upsertDevice({ ...device(a.id, id, null), secretHash: hashSecret(id) });
        await r.upsertEdge({
          id,
          villageId: a.id,
          name: 'Same id as a device',
          revoked: false,
          secretHash: hashSecret('e'),
        });
        await r.setPresence('device', [
          { id: 'ghost-device', state: 'online', at: 1 },
          { id, state: 'online', at: 10 },
        ]);
        await r.setPresence('edge', [{ id, state: 'offline', at: 20 }]);
        expect([...(await r.presence('device', a.id))]).toEqual([[id, { state: 'online', at: 10 }]]);
        expect([...(await r.presence('edge', a.id))]).toEqual([[id, { state: 'offline', at: 20 }]]);
        expect((await r.presence('device', b.id)).size).toBe(0);
        await r.setPresence('edge', []);
      });

      it('handles a village of 600 devices reporting at once', async () => {
        const v = await newVillage();
        const ids = Array.from({ length: 600 }, (_, i) => `${v.id}-n${i}`);
        await Promise.all(ids.map((id) => r.upsertDevice({ ...device(v.id, id, null), secretHash: hashSecret(id) })));
        await r.setPresence(
          'device',
          ids.map((id, i) => ({ id, state: i % 2 ? 'online' : 'offline', at: 1_000 + i })),
        );
        const p = await r.presence('device', v.id);
        expect(p.size).toBe(600);
        expect(p.get(ids[599]!)).toEqual({ state: 'online', at: 1_599 });
        expect(p.get(ids[0]!)).toEqual({ state: 'offline', at: 1_000 });
      });

      it('refuses an unknown state or a time that is not whole milliseconds', async () => {
        await expectError(r.setPresence('device', [{ id: 'x', state: 'asleep' as 'online', at: 1 }]), 'invalid');
        await expectError(r.setPresence('device', [{ id: 'x', state: 'online', at: 1.5 }]), 'invalid');
      });
    });

    describe('alerts', () => {
      it('opens a record on a raise, and clears it on the clear of the same key', async () => {
        const v = await newVillage();
        const raised = alert(v.id, { id: 'a1', ts: 1_000, value: 31.5 });
        const rec = await r.recordAlert(raised);
        expect(rec).toEqual({
          id: 'a1',
          key: raised.key,
          villageId: v.id,
          edgeId: 'box',
          source: 'rule',
          severity: 'warning',
          ruleId: 'ruang-kering-temperature',
          siteId: 'ruang-kering',
          deviceId: 'node-1',
          metric: 'air_temperature',
          value: 31.5,
          message: raised.message,
          raisedAt: 1_000,
          clearedAt: null,
          status: 'open',
          acknowledgedAt: null,
          acknowledgedBy: null,
          resolvedAt: null,
          resolvedBy: null,
        });
        expect(await r.getAlert(v.id, 'a1')).toEqual(rec);
        const cleared = await r.recordAlert(alert(v.id, { id: 'a1-clear', state: 'cleared', ts: 5_000, value: 22 }));
        expect(cleared).toEqual({ ...rec, clearedAt: 5_000 });
        expect(await r.getAlert(v.id, 'a1')).toEqual({ ...rec, clearedAt: 5_000 });
        expect(await r.getAlert(v.id, 'a1-clear')).toBeUndefined();
      });

      it('stores an alert without the optional fields as nulls', async () => {
        const v = await newVillage();
        const a: Alert = {
          id: `${v.id}-sys`,
          key: 'system:uplink',
          villageId: v.id,
          source: 'system',
          state: 'raised',
          severity: 'critical',
          ts: 42,
          message: { id: 'Antrean penuh', en: 'Queue full' },
        };
        expect(await r.recordAlert(a)).toMatchObject({
          edgeId: null,
          ruleId: null,
          siteId: null,
          deviceId: null,
          metric: null,
          value: null,
          source: 'system',
          severity: 'critical',
        });
      });

      it('treats a repeated raise as a duplicate while the condition lasts, and a raise after the clear as new', async () => {
        const v = await newVillage();
        expect(await r.recordAlert(alert(v.id, { id: 'r1', ts: 1_000 }))).toBeDefined();
        // Redelivered event, then a second raise of the same condition from a restarted village box.
        expect(await r.recordAlert(alert(v.id, { id: 'r1', ts: 1_000 }))).toBeUndefined();
        expect(await r.recordAlert(alert(v.id, { id: 'r1-again', ts: 1_500 }))).toBeUndefined();
        await r.updateAlertStatus(v.id, 'r1', 'acknowledged', 'Sari', 1_600);
        expect(await r.recordAlert(alert(v.id, { id: 'r1-third', ts: 1_700 }))).toBeUndefined();
        await r.recordAlert(alert(v.id, { id: 'c1', state: 'cleared', ts: 2_000 }));
        // The clear's own redelivery, and the first raise redelivered after the clear: both already seen.
        expect(await r.recordAlert(alert(v.id, { id: 'c1', state: 'cleared', ts: 2_000 }))).toBeUndefined();
        expect(await r.recordAlert(alert(v.id, { id: 'r1', ts: 1_000 }))).toBeUndefined();
        const second = await r.recordAlert(alert(v.id, { id: 'r2', ts: 3_000 }));
        expect(second).toMatchObject({ id: 'r2', raisedAt: 3_000, clearedAt: null, status: 'open' });
        const all = await r.listAlerts(v.id, { limit: 10 });
        expect(all.map((a) => [a.id, a.clearedAt])).toEqual([
          ['r2', null],
          ['r1', 2_000],
        ]);
      });

      it('opens a new record when the previous one was resolved before its condition cleared', async () => {
        const v = await newVillage();
        await r.recordAlert(alert(v.id, { id: 'x1', ts: 1_000 }));
        await r.updateAlertStatus(v.id, 'x1', 'resolved', 'Budi', 1_100);
        expect(await r.recordAlert(alert(v.id, { id: 'x2', ts: 1_200 }))).toMatchObject({ id: 'x2', status: 'open' });
      });

      it('gives a late clear to the raise it belongs to, not to a newer one', async () => {
        const v = await newVillage();
        await r.recordAlert(alert(v.id, { id: 'o1', ts: 1_000 }));
        await r.recordAlert(alert(v.id, { id: 'o1c', state: 'cleared', ts: 2_000 }));
        await r.recordAlert(alert(v.id, { id: 'o2', ts: 3_000 }));
        // A clear older than the open raise: nothing of that age is uncleared.
        expect(await r.recordAlert(alert(v.id, { id: 'o1c-late', state: 'cleared', ts: 2_500 }))).toBeUndefined();
        expect((await r.getAlert(v.id, 'o2'))?.clearedAt).toBeNull();
        expect(await r.recordAlert(alert(v.id, { id: 'o2c', state: 'cleared', ts: 4_000 }))).toMatchObject({
          id: 'o2',
          clearedAt: 4_000,
        });
      });

      it('clears nothing for a key that was never raised, and keeps keys of villages apart', async () => {
        const a = await newVillage();
        const b = await newVillage();
        expect(await r.recordAlert(alert(a.id, { id: 'n1', state: 'cleared', ts: 1_000 }))).toBeUndefined();
        await r.recordAlert(alert(a.id, { id: `${a.id}-k`, ts: 1_000 }));
        // Same key in another village: its own record, and a clear there leaves the first alone.
        expect(await r.recordAlert(alert(b.id, { id: `${b.id}-k`, ts: 1_000 }))).toBeDefined();
        await r.recordAlert(alert(b.id, { id: `${b.id}-kc`, state: 'cleared', ts: 2_000 }));
        expect((await r.getAlert(a.id, `${a.id}-k`))?.clearedAt).toBeNull();
        expect((await r.getAlert(b.id, `${b.id}-k`))?.clearedAt).toBe(2_000);
      });

      it('refuses an alert of an unknown village', async () => {
        await expectError(r.recordAlert(alert('no-such-village', { id: 'orphan', ts: 1 })), 'not_found');
      });

      it('moves open → acknowledged → resolved, recording who and when', async () => {
        const v = await newVillage();
        await r.recordAlert(alert(v.id, { id: 's1', ts: 1_000 }));
        const ack = await r.updateAlertStatus(v.id, 's1', 'acknowledged', 'Sari', 2_000);
        expect(ack).toMatchObject({ status: 'acknowledged', acknowledgedAt: 2_000, acknowledgedBy: 'Sari' });
        expect(await r.getAlert(v.id, 's1')).toEqual(ack);
        const res = await r.updateAlertStatus(v.id, 's1', 'resolved', 'Budi', 3_000);
        expect(res).toEqual({ ...ack, status: 'resolved', resolvedAt: 3_000, resolvedBy: 'Budi' });
        expect(await r.getAlert(v.id, 's1')).toEqual(res);
      });

      it('resolves an open alert directly', async () => {
        const v = await newVillage();
        await r.recordAlert(alert(v.id, { id: 'd1', ts: 1_000 }));
        expect(await r.updateAlertStatus(v.id, 'd1', 'resolved', 'Budi', 2_000)).toMatchObject({
          status: 'resolved',
          acknowledgedAt: null,
          acknowledgedBy: null,
          resolvedAt: 2_000,
          resolvedBy: 'Budi',
        });
      });

      it('refuses any other transition with a conflict, leaving the record as it was', async () => {
        const v = await newVillage();
        await r.recordAlert(alert(v.id, { id: 'k1', ts: 1_000 }));
        await r.updateAlertStatus(v.id, 'k1', 'acknowledged', 'Sari', 2_000);
        await expectError(r.updateAlertStatus(v.id, 'k1', 'acknowledged', 'Budi', 2_500), 'conflict');
        await r.updateAlertStatus(v.id, 'k1', 'resolved', 'Sari', 3_000);
        const done = await r.getAlert(v.id, 'k1');
        await expectError(r.updateAlertStatus(v.id, 'k1', 'acknowledged', 'Budi', 4_000), 'conflict', /resolved/);
        await expectError(r.updateAlertStatus(v.id, 'k1', 'resolved', 'Budi', 4_000), 'conflict');
        expect(await r.getAlert(v.id, 'k1')).toEqual(done);
      });

      it('answers undefined for an alert that is unknown or of another village', async () => {
        const a = await newVillage();
        const b = await newVillage();
        await r.recordAlert(alert(a.id, { id: `${a.id}-own`, ts: 1_000 }));
        expect(await r.getAlert(b.id, `${a.id}-own`)).toBeUndefined();
        expect(await r.updateAlertStatus(b.id, `${a.id}-own`, 'acknowledged', 'x', 2_000)).toBeUndefined();
        expect(await r.updateAlertStatus(a.id, 'ghost', 'resolved', 'x', 2_000)).toBeUndefined();
        expect((await r.getAlert(a.id, `${a.id}-own`))?.status).toBe('open');
      });

      it('lists alerts newest first, filtered by status, site and device, up to the limit; counts the open ones', async () => {
        const v = await newVillage();
        const mk = (id: string, ts: number, over: Partial<Alert> = {}) =>
          r.recordAlert(alert(v.id, { id, ts, key: `k-${id}`, ...over }));
        await mk('l1', 1_000, { siteId: 'a', deviceId: 'd1' });
        await mk('l2', 2_000, { siteId: 'b', deviceId: 'd2' });
        await mk('l3', 3_000, { siteId: 'a', deviceId: 'd2' });
        await mk('l4', 4_000, { siteId: 'b', deviceId: 'd1' });
        await r.updateAlertStatus(v.id, 'l2', 'acknowledged', 'x', 5_000);
        await r.updateAlertStatus(v.id, 'l4', 'resolved', 'x', 5_000);
        const ids = async (q: Parameters<Registry['listAlerts']>[1]) => (await r.listAlerts(v.id, q)).map((a) => a.id);
        expect(await ids({ limit: 100 })).toEqual(['l4', 'l3', 'l2', 'l1']);
        expect(await ids({ limit: 2 })).toEqual(['l4', 'l3']);
        expect(await ids({ status: ['open', 'acknowledged'], limit: 100 })).toEqual(['l3', 'l2', 'l1']);
        expect(await ids({ status: ['resolved'], limit: 100 })).toEqual(['l4']);
        expect(await ids({ status: [], limit: 100 })).toEqual([]);
        expect(await ids({ siteId: 'a', limit: 100 })).toEqual(['l3', 'l1']);
        expect(await ids({ deviceId: 'd2', limit: 100 })).toEqual(['l3', 'l2']);
        expect(await ids({ siteId: 'b', deviceId: 'd1', status: ['resolved'], limit: 100 })).toEqual(['l4']);
        expect(await r.countOpenAlerts(v.id)).toBe(2);
        expect(await r.countOpenAlerts('no-such-village')).toBe(0);
      });
    });
  });
}

/** Fails unless `p` rejects with a `RegistryError` of that kind (and, if given, a message matching). */
export async function expectError(p: Promise<unknown>, kind: RegistryError['kind'], message?: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegistryError);
  expect((err as RegistryError).kind).toBe(kind);
  if (message) expect((err as RegistryError).message).toMatch(message);
}

export function village(id: string): VillageRecord {
  return {
    id,
    name: `Desa ${id}`,
    kodeWilayah: null,
    district: null,
    regency: 'Kota Madiun',
    province: 'Jawa Timur',
    timeZone: 'Asia/Jakarta',
    latitude: -7.63,
    longitude: 111.52,
    elevation: 63,
  };
}

const none = { plot: null, storageRoom: null, meterPoint: null };

function plot(villageId: string, id: string): SiteRecord {
  return {
    id,
    villageId,
    kind: 'plot',
    name: `Sawah ${id}`,
    parentId: null,
    ...none,
    plot: {
      crop: 'rice',
      plantingDate: '2026-10-15',
      areaM2: 2500,
      fieldCapacity: 0.36,
      wiltingPoint: 0.18,
      rootDepth: 0.4,
      water: 'flooded',
    },
  };
}

function storageRoom(
  villageId: string,
  id: string,
  ranges: Pick<NonNullable<SiteRecord['storageRoom']>, 'temperature' | 'humidity'> = {
    temperature: { min: 15, max: 28 },
    humidity: { min: 50, max: 70 },
  },
): SiteRecord {
  return {
    id,
    villageId,
    kind: 'storage_room',
    name: `Ruang ${id}`,
    parentId: null,
    ...none,
    storageRoom: { purpose: 'produce', ...ranges },
  };
}

function weather(villageId: string, id: string, name = 'Stasiun cuaca'): SiteRecord {
  return { id, villageId, kind: 'weather', name, parentId: null, ...none };
}

/** One site of each kind, plots with ids that sort differently by bytes than by a locale collation. */
function siteSet(villageId: string): SiteRecord[] {
  return [
    { id: 'rumah-kemasan', villageId, kind: 'packing_house', name: 'Rumah kemasan', parentId: null, ...none },
    weather(villageId, 'cuaca'),
    { ...storageRoom(villageId, 'ruang-kering'), parentId: 'rumah-kemasan' },
    {
      id: 'meter-air',
      villageId,
      kind: 'meter_point',
      name: 'Meter air',
      parentId: 'rumah-kemasan',
      ...none,
      meterPoint: { measures: 'water' },
    },
    plot(villageId, 'sawaha'),
    plot(villageId, 'sawah_b'),
    { ...plot(villageId, 'sawah-a'), plot: { ...plot(villageId, 'x').plot!, crop: 'chilli', water: 'irrigated' } },
  ];
}

function device(villageId: string, id: string, siteId: string | null): DeviceRecord {
  return { id, villageId, siteId, family: 'air_th', intervalSeconds: 300, sensorHeight: null, revoked: false };
}

function alert(villageId: string, over: Partial<Alert> & { id: string; ts: number }): Alert {
  return {
    key: 'rule:ruang-kering-temperature:node-1',
    villageId,
    edgeId: 'box',
    source: 'rule',
    state: 'raised',
    severity: 'warning',
    ruleId: 'ruang-kering-temperature',
    siteId: 'ruang-kering',
    deviceId: 'node-1',
    metric: 'air_temperature',
    message: { id: 'Suhu Ruang kering di luar 15–28 °C', en: 'Ruang kering temperature outside 15–28 °C' },
    ...over,
  };
}
