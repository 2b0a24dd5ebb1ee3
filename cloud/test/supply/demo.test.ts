import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_SCENARIO_PATH, loadScenario } from '@lumbung/firmware-sim';
import { hashSecret } from '@lumbung/runtime';
import { DuckDbStore } from '@lumbung/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry, seedFromScenario } from '../../src/registry/index.ts';
import { DEMO_COOPERATIVE, DEMO_ORDER, seedSupplyDemo } from '../../src/supply/demo.ts';
import { SupplyService } from '../../src/supply/service.ts';
import { type TestDatabase, testDatabases } from '../databases.ts';
import { villageReadings } from '../fixture.ts';
import { epcisValidator } from './epcis-validator.ts';

const NOW = Date.parse('2026-11-20T05:00:00Z');
const DAY = 86_400_000;

/** The demo's supply chain on a real registry and a real store holding the simulated rooms' readings. */
for (const db of testDatabases()) {
  describe.skipIf(!db.available)(`the supply-chain demo on ${db.name}`, () => {
    let d: TestDatabase;
    let registry: Registry;
    let store: DuckDbStore;
    let dir: string;
    let service: SupplyService;
    const villageId = 'kel-taman';

    beforeAll(async () => {
      d = await db.create();
      dir = await mkdtemp(path.join(tmpdir(), 'lumbung-supply-demo-'));
      const scenario = await loadScenario(DEMO_SCENARIO_PATH);
      store = new DuckDbStore({ path: path.join(dir, 'tsdb.duckdb') });
      await store.start();
      const rooms = new Set(scenario.devices.filter((x) => x.family === 'storage_room_sensor').map((x) => x.id));
      await store.write(villageReadings(scenario, NOW - 25 * DAY, NOW).filter((r) => rooms.has(r.deviceId)));
      registry = openRegistry(d);
      await registry.start();
      await seedFromScenario(registry, scenario, {
        edgeId: 'box-kel-taman',
        edgeName: 'Kotak desa Taman',
        edgeSecretHash: hashSecret('x'),
        deviceSecretHashes: Object.fromEntries(scenario.devices.map((x) => [x.id, hashSecret('y')])),
      });
      expect(await seedSupplyDemo(registry, store, { villageId, now: NOW, buyerUserId: 'usr_buyer' })).toEqual({
        seeded: true,
      });
      service = new SupplyService({ registry, store, now: () => NOW });
    }, 180_000);

    afterAll(async () => {
      await registry?.stop();
      await store?.stop();
      await d?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('seeds once', async () => {
      expect(await seedSupplyDemo(registry, store, { villageId, now: NOW })).toEqual({ seeded: false });
      expect((await registry.supply.listProducers(villageId, { cooperativeId: DEMO_COOPERATIVE })).length).toBe(6);
    });

    it('splits the 10,000 packs among five members: Pak Darto is below the minimum lot and drops out', async () => {
      const order = await service.order(villageId, DEMO_ORDER);
      expect(order.quantity).toBe(10_000);
      expect(order.allocations.map((a) => a.producerId).sort()).toEqual(
        ['bu-ani', 'bu-rahma', 'bu-siti', 'bu-wati', 'pak-joko'].sort(),
      );
      expect(order.allocations.reduce((s, a) => s + a.quota, 0)).toBe(10_000);
      // Bu Wati has made nothing yet and cannot make her quota in the days left: the order is at risk.
      expect(order.progress.find((p) => p.producerId === 'bu-wati')?.atRisk).toBe(true);
      expect(order.lateRisk.atRisk).toBe(true);
      expect(order.totals.shipped).toBe(2000);
      expect(order.buyerUserId).toBe('usr_buyer');
    });

    it('holds the lot that failed inspection and ships the rest in FEFO order', async () => {
      const lots = await service.listLots(villageId, { productId: 'telur-asin' });
      const held = lots.filter((l) => l.status === 'on_hold');
      expect(held.map((l) => l.producerId)).toEqual(['pak-joko']);
      const shipments = await service.listShipments(villageId, { orderId: DEMO_ORDER });
      const k1 = shipments.find((s) => s.id === `${DEMO_ORDER}-k1`);
      const k2 = shipments.find((s) => s.id === `${DEMO_ORDER}-k2`);
      expect(k1?.status).toBe('delivered');
      expect(k1?.lines.reduce((s, l) => s + l.quantity, 0)).toBe(2000);
      expect(k2?.status).toBe('preparing');
      expect(k2?.lines.reduce((s, l) => s + l.quantity, 0)).toBe(800);
      // FEFO: the second shipment starts where the first left off, with the lot that expires first.
      const stock = await service.stock(villageId, { productId: 'telur-asin' });
      const available = stock.filter((s) => s.status === 'available');
      expect(available.map((s) => s.expiresOn)).toEqual([...available.map((s) => s.expiresOn)].sort());
    });

    it('exposure of a lot in the egg room comes from the room readings in the store', async () => {
      const [lot] = await service.listLots(villageId, { productId: 'telur-asin', producerId: 'bu-rahma' });
      const e = await service.exposure(villageId, lot!.id);
      expect(e.stays.length).toBeGreaterThan(0);
      expect(e.stays[0]?.roomId).toBe('ruang-telur');
      const t = e.stays[0]?.temperature;
      expect(t).not.toBeNull();
      expect(t!.min).toBeLessThanOrEqual(t!.mean);
      expect(t!.mean).toBeLessThanOrEqual(t!.max);
      expect(t!.mkt).toBeGreaterThanOrEqual(t!.mean - 1e-9);
    });

    it('traces a telur asin lot back to its duck eggs and a duck-egg lot forward to the buyer', async () => {
      const shipped = (await service.shipment(villageId, `${DEMO_ORDER}-k1`)).lines[0]!.lotId;
      const back = await service.trace(villageId, shipped, 'backward');
      expect(back.nodes.map((n) => n.productId)).toEqual(['telur-asin', 'telur-bebek']);
      const eggs = back.nodes[1]!.lotId;
      const forward = await service.trace(villageId, eggs, 'forward');
      expect(forward.nodes.map((n) => n.lotId)).toEqual([eggs, shipped]);
      expect(forward.buyers).toEqual(['Supermarket Segar Jaya']);
    });

    it('exports every lot of the demo as an EPCIS document that validates against the GS1 schema', async () => {
      const validate = epcisValidator();
      const lots = await service.listLots(villageId);
      expect(lots.length).toBeGreaterThanOrEqual(16);
      for (const l of lots) {
        const doc = await service.epcis(villageId, l.id, 'https://lumbung.example');
        const r = validate(doc);
        expect(r.errors, l.id).toEqual([]);
      }
    });

    it('a recall of duck eggs holds the telur asin made from them and names the buyer to call', async () => {
      const shipped = (await service.shipment(villageId, `${DEMO_ORDER}-k1`)).lines[0]!.lotId;
      const eggs = (await service.getLot(villageId, shipped)).inputs[0]!.lotId;
      const r = await service.recall(villageId, eggs, 'Salmonella di kandang', { userId: null, label: 'kub' });
      expect(r.affectedLots).toEqual([eggs, shipped]);
      expect(r.buyers).toEqual(['Supermarket Segar Jaya']);
      expect((await service.getLot(villageId, eggs)).status).toBe('recalled');
      expect((await service.getLot(villageId, shipped)).status).toBe('on_hold');
    });
  });
}
