import type { StoredReading } from '@lumbung/store';
import { type Actor, SupplyService } from '../../src/supply/service.ts';
import { type Fixture, NOW } from '../fixture.ts';

/**
 * A village's supply chain for the API tests, written through `SupplyService` (so every record passed the
 * same rules the API applies) on the fixture's real registry and store. The story, on the fixture's clock
 * (NOW = 2026-11-20 12:00 UTC, 19:00 in Kelurahan Taman):
 *
 * - KUB Telur Asin Taman; raw duck eggs (no GTIN) from Pak Budi; salted eggs (GTIN) from Bu Siti and Bu Ani.
 * - RAW (600 eggs, 15 Nov) went into SALTED (500 salted eggs, 16 Nov, order po-0001), which has sat in the
 *   egg room since NOW − 4 d. The egg room's readings from then until the simulator's history begins
 *   (NOW − 3 d) are written here: 12 °C, except 90 minutes at 35 °C from NOW − 4 d + 6 h, against the
 *   salted eggs' 30 °C maximum.
 * - SECOND (300, po-0001, egg room since NOW − 2 d) and HELD (200, po-0001, on hold) were inspected and
 *   passed; LOOSE (100, no order, egg room since NOW − 12 h) too. Every lot is kept in the egg room, whose
 *   simulated readings stay inside the eggs' spec, so the one excursion is the one written here.
 * - Shipment po-0001-k1 carries 200 of SALTED and 100 of SECOND, dispatched; po-0001-k2 is empty and
 *   preparing; po-0002-k1 (another buyer's order) is empty and preparing.
 */
export const SUPPLY = {
  cooperativeId: 'kub-telur-taman',
  raw: { productId: 'telur-bebek', lotId: 'TB-261115-01', producerId: 'pak-budi' },
  salted: { productId: 'telur-asin', gtin: '8999999000011', gtin14: '08999999000011' },
  lots: {
    raw: 'TB-261115-01',
    salted: 'TA-261116-01',
    second: 'TA-261117-01',
    held: 'TA-261118-01',
    loose: 'TA-261119-01',
  },
  orders: { main: 'po-0001', other: 'po-0002' },
  shipments: { dispatched: 'po-0001-k1', preparing: 'po-0001-k2', other: 'po-0002-k1' },
  buyers: { main: 'PT Swalayan Makmur', other: 'Toko Oleh-oleh Madiun' },
  eggRoom: 'ruang-telur',
  dryRoom: 'ruang-kering',
  /** The salted eggs entered the egg room here. */
  storedAt: NOW - 4 * 86_400_000,
  /** 90 minutes at 35 °C start here. */
  excursionFrom: NOW - 4 * 86_400_000 + 6 * 3_600_000,
  excursionMs: 90 * 60_000,
  /** The simulator's history (fixture.ts) starts here; the readings written by `seedSupply` end before it. */
  historyFrom: NOW - 3 * 86_400_000,
} as const;

const SEED: Actor = { userId: null, label: 'seed' };
const MIN = 60_000;

/** The egg room's readings before the simulated history, with the excursion: one a minute, as its sensor reports. */
export function eggRoomReadings(villageId: string, deviceId: string): StoredReading[] {
  const out: StoredReading[] = [];
  for (let ts = SUPPLY.storedAt - 60 * MIN; ts < SUPPLY.historyFrom; ts += MIN) {
    const hot = ts >= SUPPLY.excursionFrom && ts < SUPPLY.excursionFrom + SUPPLY.excursionMs;
    out.push({ villageId, deviceId, metric: 'air_temperature', ts, value: hot ? 35 : 12, tsSource: 'device' });
    out.push({ villageId, deviceId, metric: 'relative_humidity', ts, value: 78, tsSource: 'device' });
  }
  return out;
}

/** Seeds the story above in a village of the fixture (its sites must include the demo's two storage rooms). */
export async function seedSupply(
  f: Fixture,
  opts: { villageId?: string; buyerUserId?: string | null } = {},
): Promise<SupplyService> {
  const villageId = opts.villageId ?? 'kel-taman';
  const s = new SupplyService({ registry: f.registry, store: f.store, now: () => NOW });
  const [sensor] = await f.registry.listDevices(villageId, { siteId: SUPPLY.eggRoom });
  if (!sensor) throw new Error(`no sensor in ${SUPPLY.eggRoom} of ${villageId}`);
  await f.store.write(eggRoomReadings(villageId, sensor.id));

  await s.upsertProduct(villageId, {
    id: SUPPLY.raw.productId,
    name: 'Telur bebek',
    nameEn: 'Duck eggs',
    category: 'hasil_tani',
    unit: 'pcs',
    shelfLifeDays: 14,
    storage: { temperatureMin: null, temperatureMax: 30, humidityMin: null, humidityMax: null },
  });
  await s.upsertProduct(villageId, {
    id: SUPPLY.salted.productId,
    name: 'Telur asin',
    nameEn: 'Salted duck eggs',
    category: 'makanan',
    unit: 'pcs',
    gtin: SUPPLY.salted.gtin,
    shelfLifeDays: 30,
    storage: { temperatureMin: null, temperatureMax: 30, humidityMin: null, humidityMax: null },
    aql: 2.5,
    minRemainingShelfLifeDays: 7,
  });
  await s.upsertCooperative(villageId, {
    id: SUPPLY.cooperativeId,
    name: 'KUB Telur Asin Taman',
    brand: 'Asin Taman',
    publish: {
      producerName: true,
      producerStory: true,
      producerPhoto: false,
      producerVillage: true,
      productionDate: true,
      storageConditions: true,
      inspectionResult: true,
    },
  });
  await s.upsertProducer(villageId, {
    id: 'pak-budi',
    name: 'Pak Budi',
    kind: 'farmer',
    cooperativeId: SUPPLY.cooperativeId,
    homeVillageName: 'Kelurahan Taman',
    capacities: [{ productId: SUPPLY.raw.productId, weeklyCapacity: 1000 }],
  });
  await s.upsertProducer(villageId, {
    id: 'bu-siti',
    name: 'Bu Siti',
    kind: 'umkm',
    cooperativeId: SUPPLY.cooperativeId,
    homeVillageName: 'Kelurahan Taman',
    story: 'Bu Siti mengasinkan telur bebek dengan abu gosok sejak 1998.',
    photoUrl: 'https://foto.example.id/bu-siti.jpg',
    capacities: [{ productId: SUPPLY.salted.productId, weeklyCapacity: 700 }],
  });
  await s.upsertProducer(villageId, {
    id: 'bu-ani',
    name: 'Bu Ani',
    kind: 'umkm',
    cooperativeId: SUPPLY.cooperativeId,
    homeVillageName: 'Desa Sukamaju',
    capacities: [{ productId: SUPPLY.salted.productId, weeklyCapacity: 350 }],
  });

  await s.createOrder(
    villageId,
    {
      id: SUPPLY.orders.main,
      cooperativeId: SUPPLY.cooperativeId,
      buyerName: SUPPLY.buyers.main,
      buyerUserId: opts.buyerUserId ?? null,
      productId: SUPPLY.salted.productId,
      quantity: 1000,
      dueDate: '2026-12-10',
      pricePerUnit: 3500,
    },
    SEED,
  );
  await s.createOrder(
    villageId,
    {
      id: SUPPLY.orders.other,
      cooperativeId: SUPPLY.cooperativeId,
      buyerName: SUPPLY.buyers.other,
      productId: SUPPLY.salted.productId,
      quantity: 200,
      dueDate: '2026-12-15',
      pricePerUnit: 3800,
    },
    SEED,
  );

  const L = SUPPLY.lots;
  await s.createLot(
    villageId,
    {
      id: L.raw,
      productId: SUPPLY.raw.productId,
      producerId: 'pak-budi',
      originNote: 'Kandang bebek Pak Budi',
      quantity: 600,
      producedOn: '2026-11-15',
    },
    SEED,
  );
  const salted = (id: string, producerId: string, quantity: number, producedOn: string, orderId: string | null) =>
    s.createLot(
      villageId,
      {
        id,
        productId: SUPPLY.salted.productId,
        producerId,
        originNote: 'Dapur produksi',
        quantity,
        producedOn,
        orderId,
        ...(id === L.salted ? { inputs: [{ lotId: L.raw, quantity: 500 }] } : {}),
      },
      SEED,
    );
  await salted(L.salted, 'bu-siti', 500, '2026-11-16', SUPPLY.orders.main);
  await salted(L.second, 'bu-ani', 300, '2026-11-17', SUPPLY.orders.main);
  await salted(L.held, 'bu-siti', 200, '2026-11-18', SUPPLY.orders.main);
  await salted(L.loose, 'bu-ani', 100, '2026-11-19', null);

  const receive = (lotId: string, quantity: number, roomId: string, at: number) =>
    s.recordMovement(villageId, { lotId, kind: 'receive', quantity, toRoomId: roomId, at }, SEED);
  await receive(L.salted, 500, SUPPLY.eggRoom, SUPPLY.storedAt);
  await receive(L.second, 300, SUPPLY.eggRoom, NOW - 2 * 86_400_000);
  await receive(L.held, 200, SUPPLY.eggRoom, NOW - 86_400_000);
  await receive(L.loose, 100, SUPPLY.eggRoom, NOW - 12 * 3_600_000);
  for (const lotId of [L.salted, L.second, L.held, L.loose])
    await s.inspect(villageId, lotId, { defects: 0, notes: 'Cangkang utuh, rasa asin merata' }, SEED);

  await s.createShipment(
    villageId,
    {
      id: SUPPLY.shipments.dispatched,
      orderId: SUPPLY.orders.main,
      destination: 'Gudang PT Swalayan Makmur, Surabaya',
    },
    SEED,
  );
  await s.pick(
    villageId,
    SUPPLY.shipments.dispatched,
    { lotId: L.salted, roomId: SUPPLY.eggRoom, quantity: 200 },
    SEED,
  );
  await s.pick(
    villageId,
    SUPPLY.shipments.dispatched,
    { lotId: L.second, roomId: SUPPLY.eggRoom, quantity: 100 },
    SEED,
  );
  await s.dispatch(villageId, SUPPLY.shipments.dispatched, SEED);
  await s.createShipment(villageId, { id: SUPPLY.shipments.preparing, orderId: SUPPLY.orders.main }, SEED);
  await s.createShipment(villageId, { id: SUPPLY.shipments.other, orderId: SUPPLY.orders.other }, SEED);
  await s.setHold(villageId, L.held, true, 'Kemasan retak, periksa ulang', SEED);
  return s;
}

/** A user with roles in a village, signed in: their id and access token. */
export async function userWithRoles(
  f: Fixture,
  username: string,
  roles: {
    role: 'village_admin' | 'packing_staff' | 'kub_coordinator' | 'csr_partner' | 'buyer' | 'farmer';
    villageId: string;
  }[],
): Promise<{ userId: string; token: string }> {
  const a = f.registry.accounts;
  const user = await a.createUser({
    username,
    displayName: username,
    passwordHash: await f.auth.hashPassword(`${username}-password`),
    createdAt: NOW,
  });
  await a.setMemberships(user.id, roles, NOW);
  const { accessToken } = await f.auth.login(username, `${username}-password`, { ip: '10.5.5.5' });
  return { userId: user.id, token: accessToken };
}
