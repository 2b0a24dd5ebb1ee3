import type { ProducerInput, VillageRecord } from '@lumbung/schemas';
import { dateOfDay, dayNumber, localMidnight } from '@lumbung/schemas/time';
import type { TimeSeriesStore } from '@lumbung/store';
import type { Registry } from '../registry/port.ts';
import { type Actor, SupplyService } from './service.ts';

/**
 * The demo's supply chain (issue 5): KUB "Telur Asin Taman" with six producers in two villages, a
 * supermarket order of 10,000 packs split among them, duck-egg lots salted into telur asin lots, stored in
 * the packing house's egg room (whose readings come from the simulated village, power cuts included),
 * inspected (one lot fails), and shipped. Plus a farmer's padi milled into beras in the dry-goods room.
 *
 * Everything goes through the service, with its clock set to when each step happened, so the records are
 * what a real fortnight would have left. Idempotent: nothing is written when the cooperative exists.
 */
export interface SupplyDemoOptions {
  villageId: string;
  /** The second village, home of two of the producers. */
  secondVillage?: Pick<VillageRecord, 'id' | 'name'>;
  /** Users to link: the buyer sees the order; the staff user is named on movements. */
  buyerUserId?: string | null;
  now?: number;
}

export const DEMO_COOPERATIVE = 'telur-asin-taman';
export const DEMO_ORDER = 'po-0001';
/** GS1's own example GTIN (GS1 General Specifications): safe to print on a demo label. */
export const DEMO_GTIN = '09506000134352';

const STAFF: Actor = { userId: null, label: 'kemasan' };
const COORDINATOR: Actor = { userId: null, label: 'kub' };

export async function seedSupplyDemo(
  registry: Registry,
  store: TimeSeriesStore,
  o: SupplyDemoOptions,
): Promise<{ seeded: boolean }> {
  const { villageId } = o;
  if (await registry.supply.getCooperative(villageId, DEMO_COOPERATIVE)) return { seeded: false };
  const village = await registry.getVillage(villageId);
  if (!village) throw new Error(`no village ${villageId}`);
  let clock = o.now ?? Date.now();
  const service = new SupplyService({ registry, store, now: () => clock });
  const today = service.today(village, clock);
  const D = dayNumber(today);
  const date = (d: number) => dateOfDay(D + d);
  /** Epoch ms of a local time on day D+d. */
  const at = (d: number, hour: number, minute = 0) =>
    localMidnight(date(d), village.timeZone) + (hour * 60 + minute) * 60_000;
  const when = async <T>(t: number, fn: () => Promise<T>): Promise<T> => {
    clock = Math.min(t, o.now ?? Date.now());
    return fn();
  };

  const eggSpec = { temperatureMin: 10, temperatureMax: 15, humidityMin: 70, humidityMax: 85 };
  const drySpec = { temperatureMin: null, temperatureMax: 30, humidityMin: null, humidityMax: 70 };
  await service.upsertProduct(villageId, {
    id: 'telur-bebek',
    name: 'Telur bebek segar',
    nameEn: 'Fresh duck eggs',
    category: 'hasil_tani',
    unit: 'pcs',
    shelfLifeDays: 21,
    storage: eggSpec,
    aql: 2.5,
  });
  await service.upsertProduct(villageId, {
    id: 'telur-asin',
    name: 'Telur asin Taman (isi 4)',
    nameEn: 'Taman salted duck eggs (pack of 4)',
    category: 'makanan',
    unit: 'pack',
    gtin: DEMO_GTIN,
    shelfLifeDays: 30,
    storage: eggSpec,
    aql: 2.5,
    minRemainingShelfLifeDays: 14,
  });
  await service.upsertProduct(villageId, {
    id: 'padi',
    name: 'Gabah kering giling',
    nameEn: 'Dry unhusked rice (paddy)',
    category: 'hasil_tani',
    unit: 'kg',
    shelfLifeDays: 180,
    storage: drySpec,
    aql: 4,
  });
  await service.upsertProduct(villageId, {
    id: 'beras',
    name: 'Beras Taman',
    nameEn: 'Taman rice',
    category: 'hasil_tani',
    unit: 'kg',
    shelfLifeDays: 180,
    storage: drySpec,
    aql: 4,
  });
  await service.upsertCooperative(villageId, {
    id: DEMO_COOPERATIVE,
    name: 'KUB Telur Asin Taman',
    brand: 'Telur Asin Taman',
  });

  const taman = { homeVillageId: villageId, homeVillageName: village.name };
  const second = o.secondVillage
    ? { homeVillageId: o.secondVillage.id, homeVillageName: o.secondVillage.name }
    : { homeVillageId: null, homeVillageName: 'Desa Sukamaju' };
  const producers: (Omit<ProducerInput, 'kind'> & { weekly: number })[] = [
    {
      id: 'bu-siti',
      name: 'Bu Siti Aminah',
      ...taman,
      weekly: 1200,
      story:
        'Bu Siti mengasinkan telur bebek sejak 2009 dengan abu gosok dan garam krosok, resep dari ibunya. Telurnya diperam 12 hari di dapur rumahnya di Gang Melati.',
    },
    {
      id: 'bu-rahma',
      name: 'Bu Rahmawati',
      ...taman,
      weekly: 900,
      story: 'Bu Rahma memelihara 300 bebek di belakang rumah; telur yang diasinkan dipungut pagi itu juga.',
    },
    {
      id: 'pak-joko',
      name: 'Pak Joko Susilo',
      ...taman,
      weekly: 700,
      story: 'Pak Joko pensiunan guru yang kini mengasinkan telur bersama dua tetangganya.',
    },
    { id: 'bu-wati', name: 'Bu Wati', ...taman, weekly: 400, story: null },
    {
      id: 'bu-ani',
      name: 'Bu Ani Lestari',
      ...second,
      weekly: 800,
      story: 'Bu Ani dari Sukamaju membawa telurnya ke rumah kemasan Taman dua kali seminggu.',
    },
    { id: 'pak-darto', name: 'Pak Darto', ...second, weekly: 100, story: null },
  ];
  for (const { weekly, ...p } of producers)
    await service.upsertProducer(villageId, {
      ...p,
      kind: 'umkm',
      cooperativeId: DEMO_COOPERATIVE,
      capacities: [{ productId: 'telur-asin', weeklyCapacity: weekly }],
    });
  await service.upsertProducer(villageId, {
    id: 'pak-budi',
    name: 'Pak Budi',
    kind: 'farmer',
    ...taman,
    story: 'Pak Budi menanam padi di Sawah A dengan irigasi teknis.',
    capacities: [{ productId: 'padi', weeklyCapacity: 1000 }],
  });

  // The order, eleven days ago, due in two weeks: split by what each member can make by then.
  await when(at(-11, 9), () =>
    service.createOrder(
      villageId,
      {
        id: DEMO_ORDER,
        cooperativeId: DEMO_COOPERATIVE,
        buyerName: 'Supermarket Segar Jaya',
        buyerUserId: o.buyerUserId ?? null,
        productId: 'telur-asin',
        quantity: 10_000,
        dueDate: date(14),
        pricePerUnit: 12_500,
        minLotSize: 500,
      },
      COORDINATOR,
    ),
  );

  // Duck eggs come in, are salted for about ten days, and come out as telur asin lots (4 eggs a pack).
  const batches: { producer: string; eggsOn: number; packs: number; defects: number }[] = [
    { producer: 'bu-siti', eggsOn: -20, packs: 900, defects: 1 },
    { producer: 'bu-rahma', eggsOn: -20, packs: 700, defects: 0 },
    { producer: 'bu-ani', eggsOn: -19, packs: 600, defects: 2 },
    { producer: 'pak-joko', eggsOn: -19, packs: 650, defects: 7 },
    { producer: 'bu-siti', eggsOn: -16, packs: 900, defects: 0 },
    { producer: 'bu-rahma', eggsOn: -15, packs: 600, defects: 1 },
    { producer: 'bu-ani', eggsOn: -14, packs: 500, defects: 0 },
  ];
  const made: { lotId: string; packs: number; inspectedOn: number; conformant: boolean }[] = [];
  for (const b of batches) {
    const eggs = await when(at(b.eggsOn, 7), () =>
      service.createLot(
        villageId,
        {
          productId: 'telur-bebek',
          producerId: b.producer,
          quantity: b.packs * 4,
          producedOn: date(b.eggsOn),
          originNote: 'Kandang bebek anggota',
        },
        STAFF,
      ),
    );
    const saltedOn = b.eggsOn + 10;
    const lot = await when(at(saltedOn, 8), () =>
      service.createLot(
        villageId,
        {
          productId: 'telur-asin',
          producerId: b.producer,
          quantity: b.packs,
          producedOn: date(saltedOn),
          orderId: DEMO_ORDER,
          packaging: b.packs % 200 === 0 ? 'eco' : 'standard',
          originNote: 'Dapur produksi anggota',
          inputs: [{ lotId: eggs.id, quantity: b.packs * 4 }],
        },
        STAFF,
      ),
    );
    await when(at(saltedOn, 10), () =>
      service.recordMovement(
        villageId,
        { lotId: lot.id, kind: 'receive', quantity: b.packs, toRoomId: 'ruang-telur', at: at(saltedOn, 10) },
        STAFF,
      ),
    );
    const inspection = await when(at(saltedOn + 1, 9), () =>
      service.inspect(
        villageId,
        lot.id,
        {
          defects: b.defects,
          notes:
            b.defects > 5 ? 'Banyak telur retak dan bau; lot ditahan' : 'Contoh diperiksa: kulit, bau, kadar garam',
        },
        STAFF,
      ),
    );
    made.push({
      lotId: lot.id,
      packs: b.packs,
      inspectedOn: saltedOn + 1,
      conformant: inspection.result === 'conformant',
    });
  }

  // First shipment: three days ago, the conformant lots in FEFO order up to 2,000 packs; delivered yesterday.
  const first = await when(at(-3, 13), () =>
    service.createShipment(
      villageId,
      { id: `${DEMO_ORDER}-k1`, orderId: DEMO_ORDER, destination: 'Gudang Segar Jaya, Surabaya' },
      STAFF,
    ),
  );
  let left = 2000;
  for (const m of made.filter((m) => m.conformant && m.inspectedOn < -3)) {
    if (left <= 0) break;
    const q = Math.min(left, m.packs);
    await when(at(-3, 14), () =>
      service.pick(villageId, first.id, { lotId: m.lotId, roomId: 'ruang-telur', quantity: q }, STAFF),
    );
    left -= q;
  }
  await when(at(-2, 6), () => service.dispatch(villageId, first.id, STAFF));
  await when(at(-1, 15), () => service.deliver(villageId, first.id, STAFF));
  // Second shipment: being picked this morning, by the FEFO suggestion.
  const secondShipment = await when(at(0, 0, 30), () =>
    service.createShipment(
      villageId,
      { id: `${DEMO_ORDER}-k2`, orderId: DEMO_ORDER, destination: 'Gudang Segar Jaya, Surabaya' },
      STAFF,
    ),
  );
  const suggestion = await service.pickSuggestions(villageId, 'telur-asin', 800);
  for (const p of suggestion.picks)
    await when(at(0, 0, 40), () => service.pick(villageId, secondShipment.id, p, STAFF));

  // A farmer's harvest milled into rice, kept in the dry-goods room.
  const padi = await when(at(-20, 16), () =>
    service.createLot(
      villageId,
      { productId: 'padi', producerId: 'pak-budi', originSiteId: 'sawah-a', quantity: 1200, producedOn: date(-20) },
      STAFF,
    ),
  );
  const beras = await when(at(-15, 11), () =>
    service.createLot(
      villageId,
      {
        productId: 'beras',
        producerId: 'pak-budi',
        quantity: 780,
        producedOn: date(-15),
        originNote: 'Penggilingan padi desa',
        packaging: 'eco',
        inputs: [{ lotId: padi.id, quantity: 1200 }],
      },
      STAFF,
    ),
  );
  await when(at(-15, 13), () =>
    service.recordMovement(
      villageId,
      { lotId: beras.id, kind: 'receive', quantity: 780, toRoomId: 'ruang-kering', at: at(-15, 13) },
      STAFF,
    ),
  );
  return { seeded: true };
}
