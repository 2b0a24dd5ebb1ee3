import { randomBytes } from 'node:crypto';
import {
  AllocationLine,
  BulkOrderRecord,
  CooperativeRecord,
  InspectionRecord,
  MovementRecord,
  ProducerCapacity,
  ProducerRecord,
  ProductRecord,
  PublishSettings,
} from '@lumbung/schemas';
import { z } from 'zod';
import type {
  Cooperative as CooperativeRow,
  Inspection as InspectionRow,
  Lot as LotRow,
  StockMovement as MovementRow,
  BulkOrder as OrderRow,
  PrismaClient,
  Producer as ProducerRow,
  Product as ProductRow,
  Shipment as ShipmentRow,
} from '../../generated/prisma/sqlite/client.ts';
import { RegistryError } from './port.ts';
import { compare, nullableNum, translate, valid } from './prisma-common.ts';
import type { LotFilter, OnHand, StoredLot, StoredShipment, SupplyStore } from './supply.ts';

const StoredLotSchema = z.object({
  villageId: z.string(),
  id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/),
  productId: z.string(),
  producerId: z.string(),
  originSiteId: z.string().nullable(),
  originNote: z.string().nullable(),
  quantity: z.number().positive(),
  unit: z.string(),
  producedOn: z.iso.date(),
  expiresOn: z.iso.date(),
  status: z.enum(['available', 'on_hold', 'recalled']),
  holdReason: z.string().nullable(),
  orderId: z.string().nullable(),
  packaging: z.enum(['eco', 'standard']),
  createdAt: z.number().int(),
  inputs: z.array(z.object({ lotId: z.string(), quantity: z.number().positive() })),
});
const StoredShipmentSchema = z.object({
  villageId: z.string(),
  id: z.string(),
  orderId: z.string(),
  destination: z.string().nullable(),
  status: z.enum(['preparing', 'dispatched', 'delivered', 'cancelled']),
  createdAt: z.number().int(),
  dispatchedAt: z.number().int().nullable(),
  deliveredAt: z.number().int().nullable(),
});

/**
 * The supply-chain port on Prisma (SQLite and PostgreSQL), sharing the registry's client. Multi-row writes
 * are batches (`$transaction([...])`) whose inputs are checked first: on SQLite the adapter runs the whole
 * client on one connection, so an interactive transaction would swallow other requests' queries.
 */
export class PrismaSupply implements SupplyStore {
  constructor(private readonly client: () => PrismaClient) {}

  // ── catalogue ──

  async listProducts(villageId: string): Promise<ProductRecord[]> {
    const rows = await this.client().product.findMany({ where: { villageId } });
    return rows.map(toProduct).sort(byId);
  }

  async getProduct(villageId: string, id: string): Promise<ProductRecord | undefined> {
    const row = await this.client().product.findUnique({ where: { villageId_id: { villageId, id } } });
    return row ? toProduct(row) : undefined;
  }

  async upsertProduct(p: ProductRecord): Promise<ProductRecord> {
    const v = valid(ProductRecord, p, 'product');
    const data = {
      name: v.name,
      nameEn: v.nameEn,
      category: v.category,
      unit: v.unit,
      gtin: v.gtin,
      shelfLifeDays: v.shelfLifeDays,
      temperatureMin: v.storage.temperatureMin,
      temperatureMax: v.storage.temperatureMax,
      humidityMin: v.storage.humidityMin,
      humidityMax: v.storage.humidityMax,
      aql: v.aql,
      unitWeightKg: v.unitWeightKg,
      minRemainingShelfLifeDays: v.minRemainingShelfLifeDays,
    };
    const row = await this.client()
      .product.upsert({
        where: { villageId_id: { villageId: v.villageId, id: v.id } },
        create: { villageId: v.villageId, id: v.id, ...data },
        update: data,
      })
      .catch(translate('product', 'product conflict', `no village ${v.villageId}`));
    return toProduct(row);
  }

  async listCooperatives(villageId: string): Promise<CooperativeRecord[]> {
    const rows = await this.client().cooperative.findMany({ where: { villageId } });
    return rows.map(toCooperative).sort(byId);
  }

  async getCooperative(villageId: string, id: string): Promise<CooperativeRecord | undefined> {
    const row = await this.client().cooperative.findUnique({ where: { villageId_id: { villageId, id } } });
    return row ? toCooperative(row) : undefined;
  }

  async upsertCooperative(c: CooperativeRecord): Promise<CooperativeRecord> {
    const v = valid(CooperativeRecord, c, 'cooperative');
    const data = { name: v.name, brand: v.brand, publish: v.publish };
    const row = await this.client()
      .cooperative.upsert({
        where: { villageId_id: { villageId: v.villageId, id: v.id } },
        create: { villageId: v.villageId, id: v.id, ...data },
        update: data,
      })
      .catch(translate('cooperative', 'cooperative conflict', `no village ${v.villageId}`));
    return toCooperative(row);
  }

  async listProducers(villageId: string, filter: { cooperativeId?: string } = {}): Promise<ProducerRecord[]> {
    const rows = await this.client().producer.findMany({
      where: { villageId, ...(filter.cooperativeId ? { cooperativeId: filter.cooperativeId } : {}) },
    });
    return rows.map(toProducer).sort(byId);
  }

  async getProducer(villageId: string, id: string): Promise<ProducerRecord | undefined> {
    const row = await this.client().producer.findUnique({ where: { villageId_id: { villageId, id } } });
    return row ? toProducer(row) : undefined;
  }

  async upsertProducer(p: ProducerRecord): Promise<ProducerRecord> {
    const v = valid(ProducerRecord, p, 'producer');
    if (v.cooperativeId && !(await this.getCooperative(v.villageId, v.cooperativeId)))
      throw new RegistryError('not_found', `no cooperative ${v.cooperativeId}`);
    const data = {
      name: v.name,
      kind: v.kind,
      cooperativeId: v.cooperativeId,
      homeVillageId: v.homeVillageId,
      homeVillageName: v.homeVillageName,
      story: v.story,
      photoUrl: v.photoUrl,
      userId: v.userId,
      capacities: v.capacities,
    };
    const row = await this.client()
      .producer.upsert({
        where: { villageId_id: { villageId: v.villageId, id: v.id } },
        create: { villageId: v.villageId, id: v.id, ...data },
        update: data,
      })
      .catch(translate('producer', 'producer conflict', `no village ${v.villageId}`));
    return toProducer(row);
  }

  // ── lots ──

  async createLot(l: StoredLot): Promise<StoredLot> {
    const v = valid(StoredLotSchema, l, 'lot');
    const db = this.client();
    const { villageId } = v;
    // The checks the database cannot make (no foreign keys between lots, products and producers: a lot
    // outlives a product taken out of the catalogue), so that the batch below does not fail half-way.
    const [product, producer, existing] = await Promise.all([
      db.product.findUnique({ where: { villageId_id: { villageId, id: v.productId } } }),
      db.producer.findUnique({ where: { villageId_id: { villageId, id: v.producerId } } }),
      db.lot.findUnique({ where: { villageId_id: { villageId, id: v.id } } }),
    ]);
    if (!product) throw new RegistryError('not_found', `no product ${v.productId}`);
    if (!producer) throw new RegistryError('not_found', `no producer ${v.producerId}`);
    if (existing) throw new RegistryError('conflict', `lot ${v.id} exists`);
    const inputIds = [...new Set(v.inputs.map((i) => i.lotId))];
    if (inputIds.length !== v.inputs.length) throw new RegistryError('invalid', 'an input lot is listed twice');
    if (inputIds.includes(v.id)) throw new RegistryError('invalid', 'a lot cannot be its own input');
    const found = await db.lot.findMany({ where: { villageId, id: { in: inputIds } }, select: { id: true } });
    const missing = inputIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new RegistryError('not_found', `no input lot ${missing.join(', ')}`);
    await db
      .$transaction([
        db.lot.create({
          data: {
            villageId,
            id: v.id,
            productId: v.productId,
            producerId: v.producerId,
            originSiteId: v.originSiteId,
            originNote: v.originNote,
            quantity: v.quantity,
            unit: v.unit,
            producedOn: v.producedOn,
            expiresOn: v.expiresOn,
            status: v.status,
            holdReason: v.holdReason,
            orderId: v.orderId,
            packaging: v.packaging,
            createdAt: BigInt(v.createdAt),
          },
        }),
        db.lotInput.createMany({
          data: v.inputs.map((i) => ({ villageId, lotId: v.id, inputLotId: i.lotId, quantity: i.quantity })),
        }),
      ])
      .catch(translate('lot', `lot ${v.id} exists`, `no village ${villageId}`));
    return { ...v, inputs: v.inputs.map((i) => ({ ...i })) } as StoredLot;
  }

  async getLot(villageId: string, id: string): Promise<StoredLot | undefined> {
    const [lot] = await this.listLots(villageId, { ids: [id] });
    return lot;
  }

  async listLots(villageId: string, filter: LotFilter = {}): Promise<StoredLot[]> {
    if (filter.ids && filter.ids.length > CHUNK)
      return (await inChunks(filter.ids, (ids) => this.listLots(villageId, { ...filter, ids }))).sort(
        (a, b) => compare(b.producedOn, a.producedOn) || compare(a.id, b.id),
      );
    const db = this.client();
    const rows = await db.lot.findMany({
      where: {
        villageId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.productId ? { productId: filter.productId } : {}),
        ...(filter.producerId ? { producerId: filter.producerId } : {}),
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
        ...(filter.ids ? { id: { in: [...filter.ids] } } : {}),
      },
    });
    if (rows.length === 0) return [];
    if (filter.withInputs === false)
      return rows.map((r) => toLot(r, [])).sort((a, b) => compare(b.producedOn, a.producedOn) || compare(a.id, b.id));
    const inputs = await db.lotInput.findMany({
      where: { villageId, ...(filter.ids || rows.length < 500 ? { lotId: { in: rows.map((r) => r.id) } } : {}) },
    });
    const byLot = new Map<string, { lotId: string; quantity: number }[]>();
    for (const i of inputs.sort((a, b) => compare(a.inputLotId, b.inputLotId))) {
      const list = byLot.get(i.lotId) ?? [];
      list.push({ lotId: i.inputLotId, quantity: i.quantity });
      byLot.set(i.lotId, list);
    }
    return rows
      .map((r) => toLot(r, byLot.get(r.id) ?? []))
      .sort((a, b) => compare(b.producedOn, a.producedOn) || compare(a.id, b.id));
  }

  async lotCodesStartingWith(villageId: string, prefix: string): Promise<string[]> {
    const rows = await this.client().lot.findMany({
      where: { villageId, id: { startsWith: prefix } },
      select: { id: true },
    });
    return rows.map((r) => r.id).sort(compare);
  }

  async setLotStatus(
    villageId: string,
    ids: readonly string[],
    status: StoredLot['status'],
    holdReason: string | null,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.client().lot.updateMany({
      where: { villageId, id: { in: [...ids] } },
      data: { status, holdReason },
    });
    return r.count;
  }

  async lotEdges(villageId: string): Promise<{ lotId: string; inputLotId: string; quantity: number }[]> {
    const rows = await this.client().lotInput.findMany({
      where: { villageId },
      select: { lotId: true, inputLotId: true, quantity: true },
    });
    return rows;
  }

  // ── stock ──

  async addMovements(
    ms: readonly (Omit<MovementRecord, 'id'> & { actorUserId: string | null })[],
  ): Promise<MovementRecord[]> {
    const records = ms.map((m, i) => {
      const { actorUserId, ...rest } = m;
      return { ...valid(MovementRecord, { ...rest, id: movementId(m.at, i) }, 'movement'), actorUserId };
    });
    const db = this.client();
    await db
      .$transaction(
        records.map((m) =>
          db.stockMovement.create({
            data: {
              id: m.id,
              villageId: m.villageId,
              lotId: m.lotId,
              kind: m.kind,
              quantity: m.quantity,
              fromRoomId: m.fromRoomId,
              toRoomId: m.toRoomId,
              reason: m.reason,
              shipmentId: m.shipmentId,
              at: BigInt(m.at),
              actorUserId: m.actorUserId,
              actorLabel: m.actorLabel,
            },
          }),
        ),
      )
      .catch(translate('movement', 'movement conflict', 'no village for the movement'));
    return records.map(({ actorUserId: _, ...m }) => m);
  }

  async listMovements(
    villageId: string,
    filter: { lotIds?: readonly string[]; shipmentId?: string; kinds?: readonly MovementRecord['kind'][] } = {},
  ): Promise<MovementRecord[]> {
    if (filter.lotIds && filter.lotIds.length > CHUNK)
      return (await inChunks(filter.lotIds, (lotIds) => this.listMovements(villageId, { ...filter, lotIds }))).sort(
        (a, b) => a.at - b.at || compare(a.id, b.id),
      );
    const rows = await this.client().stockMovement.findMany({
      where: {
        villageId,
        ...(filter.lotIds ? { lotId: { in: [...filter.lotIds] } } : {}),
        ...(filter.shipmentId ? { shipmentId: filter.shipmentId } : {}),
        ...(filter.kinds ? { kind: { in: [...filter.kinds] } } : {}),
      },
    });
    return rows.map(toMovement).sort((a, b) => a.at - b.at || compare(a.id, b.id));
  }

  async onHand(villageId: string, filter: { lotIds?: readonly string[]; roomId?: string } = {}): Promise<OnHand[]> {
    if (filter.lotIds && filter.lotIds.length > CHUNK)
      return inChunks(filter.lotIds, (lotIds) => this.onHand(villageId, { ...filter, lotIds }));
    const db = this.client();
    const lots = filter.lotIds ? { lotId: { in: [...filter.lotIds] } } : {};
    // In: receive, move, adjust (signed) into `to_room_id`; out: move, pick, dispose from `from_room_id`.
    const [ins, outs] = await Promise.all([
      db.stockMovement.groupBy({
        by: ['lotId', 'toRoomId'],
        where: { villageId, ...lots, toRoomId: filter.roomId ? filter.roomId : { not: null } },
        _sum: { quantity: true },
      }),
      db.stockMovement.groupBy({
        by: ['lotId', 'fromRoomId'],
        where: { villageId, ...lots, fromRoomId: filter.roomId ? filter.roomId : { not: null } },
        _sum: { quantity: true },
      }),
    ]);
    const totals = new Map<string, OnHand>();
    const add = (lotId: string, roomId: string | null, q: number) => {
      if (!roomId) return;
      const key = `${lotId}\u0000${roomId}`;
      const t = totals.get(key) ?? { lotId, roomId, quantity: 0 };
      t.quantity += q;
      totals.set(key, t);
    };
    for (const r of ins) add(r.lotId, r.toRoomId, r._sum.quantity ?? 0);
    for (const r of outs) add(r.lotId, r.fromRoomId, -(r._sum.quantity ?? 0));
    return [...totals.values()]
      .map((t) => ({ ...t, quantity: round(t.quantity) }))
      .filter((t) => t.quantity !== 0)
      .sort((a, b) => compare(a.lotId, b.lotId) || compare(a.roomId, b.roomId));
  }

  // ── orders ──

  async createOrder(o: BulkOrderRecord): Promise<BulkOrderRecord> {
    const v = valid(BulkOrderRecord, o, 'order');
    const row = await this.client()
      .bulkOrder.create({
        data: {
          villageId: v.villageId,
          id: v.id,
          cooperativeId: v.cooperativeId,
          buyerName: v.buyerName,
          buyerUserId: v.buyerUserId,
          productId: v.productId,
          quantity: v.quantity,
          dueDate: v.dueDate,
          pricePerUnit: v.pricePerUnit,
          minLotSize: v.minLotSize,
          status: v.status,
          createdAt: BigInt(v.createdAt),
          allocations: v.allocations,
        },
      })
      .catch(translate('order', `order ${v.id} exists`, `no village ${v.villageId}`));
    return toOrder(row);
  }

  async getOrder(villageId: string, id: string): Promise<BulkOrderRecord | undefined> {
    const row = await this.client().bulkOrder.findUnique({ where: { villageId_id: { villageId, id } } });
    return row ? toOrder(row) : undefined;
  }

  async listOrders(villageId: string, filter: { buyerUserId?: string } = {}): Promise<BulkOrderRecord[]> {
    const rows = await this.client().bulkOrder.findMany({
      where: { villageId, ...(filter.buyerUserId ? { buyerUserId: filter.buyerUserId } : {}) },
    });
    return rows.map(toOrder).sort((a, b) => compare(a.dueDate, b.dueDate) || compare(a.id, b.id));
  }

  async updateOrder(
    villageId: string,
    id: string,
    patch: { status?: BulkOrderRecord['status']; allocations?: AllocationLine[]; minLotSize?: number },
  ): Promise<BulkOrderRecord> {
    const allocations = patch.allocations ? valid(z.array(AllocationLine), patch.allocations, 'allocation') : undefined;
    const row = await this.client()
      .bulkOrder.update({
        where: { villageId_id: { villageId, id } },
        data: {
          ...(patch.status ? { status: patch.status } : {}),
          ...(allocations ? { allocations } : {}),
          ...(patch.minLotSize !== undefined ? { minLotSize: patch.minLotSize } : {}),
        },
      })
      .catch(translate(`order ${id}`, 'order conflict', `no order ${id}`));
    return toOrder(row);
  }

  // ── inspections ──

  async addInspection(i: InspectionRecord): Promise<InspectionRecord> {
    const v = valid(InspectionRecord, i, 'inspection');
    const row = await this.client()
      .inspection.create({ data: { ...v, at: BigInt(v.at) } })
      .catch(translate('inspection', `inspection ${v.id} exists`, `no village ${v.villageId}`));
    return toInspection(row);
  }

  async listInspections(villageId: string, filter: { lotIds?: readonly string[] } = {}): Promise<InspectionRecord[]> {
    if (filter.lotIds && filter.lotIds.length > CHUNK)
      return (await inChunks(filter.lotIds, (lotIds) => this.listInspections(villageId, { lotIds }))).sort(
        (a, b) => a.at - b.at || compare(a.id, b.id),
      );
    const rows = await this.client().inspection.findMany({
      where: { villageId, ...(filter.lotIds ? { lotId: { in: [...filter.lotIds] } } : {}) },
    });
    return rows.map(toInspection).sort((a, b) => a.at - b.at || compare(a.id, b.id));
  }

  // ── shipments ──

  async createShipment(s: StoredShipment): Promise<StoredShipment> {
    const v = valid(StoredShipmentSchema, s, 'shipment');
    const row = await this.client()
      .shipment.create({
        data: {
          ...v,
          createdAt: BigInt(v.createdAt),
          dispatchedAt: v.dispatchedAt === null ? null : BigInt(v.dispatchedAt),
          deliveredAt: v.deliveredAt === null ? null : BigInt(v.deliveredAt),
        },
      })
      .catch(translate('shipment', `shipment ${v.id} exists`, `no village ${v.villageId}`));
    return toShipment(row);
  }

  async getShipment(villageId: string, id: string): Promise<StoredShipment | undefined> {
    const row = await this.client().shipment.findUnique({ where: { villageId_id: { villageId, id } } });
    return row ? toShipment(row) : undefined;
  }

  async listShipments(
    villageId: string,
    filter: { orderId?: string; ids?: readonly string[] } = {},
  ): Promise<StoredShipment[]> {
    if (filter.ids && filter.ids.length > CHUNK)
      return (await inChunks(filter.ids, (ids) => this.listShipments(villageId, { ...filter, ids }))).sort(
        (a, b) => b.createdAt - a.createdAt || compare(a.id, b.id),
      );
    const rows = await this.client().shipment.findMany({
      where: {
        villageId,
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
        ...(filter.ids ? { id: { in: [...filter.ids] } } : {}),
      },
    });
    return rows.map(toShipment).sort((a, b) => b.createdAt - a.createdAt || compare(a.id, b.id));
  }

  async updateShipment(
    villageId: string,
    id: string,
    from: StoredShipment['status'],
    patch: Partial<Pick<StoredShipment, 'status' | 'dispatchedAt' | 'deliveredAt'>>,
  ): Promise<StoredShipment> {
    const db = this.client();
    const r = await db.shipment.updateMany({
      where: { villageId, id, status: from },
      data: {
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.dispatchedAt != null ? { dispatchedAt: BigInt(patch.dispatchedAt) } : {}),
        ...(patch.deliveredAt != null ? { deliveredAt: BigInt(patch.deliveredAt) } : {}),
      },
    });
    const now = await this.getShipment(villageId, id);
    if (!now) throw new RegistryError('not_found', `no shipment ${id}`);
    if (r.count === 0) throw new RegistryError('conflict', `shipment ${id} is ${now.status}, not ${from}`);
    return now;
  }
}

/**
 * Lists of ids go to the database in chunks: SQLite caps the parameters of one statement (999 in older
 * builds), PostgreSQL at 65,535, and a trace can name thousands of lots. Chunks run one after another, as
 * the SQLite adapter serialises them anyway.
 */
const CHUNK = 500;
async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await query(ids.slice(i, i + CHUNK))));
  return out;
}

const byId = <T extends { id: string }>(a: T, b: T): number => compare(a.id, b.id);
/** Sums of decimal quantities: round away float noise (0.1 + 0.2) at a micro-unit. */
const round = (q: number): number => Math.round(q * 1e6) / 1e6;
/** Time first, so that ids sort with their movements; the index and random bits keep a batch apart. */
const movementId = (at: number, i: number): string =>
  `mov_${at.toString(16).padStart(12, '0')}${i.toString(16).padStart(4, '0')}${randomBytes(6).toString('hex')}`;

function toProduct(r: ProductRow): ProductRecord {
  return {
    villageId: r.villageId,
    id: r.id,
    name: r.name,
    nameEn: r.nameEn,
    category: r.category as ProductRecord['category'],
    unit: r.unit as ProductRecord['unit'],
    gtin: r.gtin,
    shelfLifeDays: r.shelfLifeDays,
    storage: {
      temperatureMin: r.temperatureMin,
      temperatureMax: r.temperatureMax,
      humidityMin: r.humidityMin,
      humidityMax: r.humidityMax,
    },
    aql: r.aql,
    unitWeightKg: r.unitWeightKg,
    minRemainingShelfLifeDays: r.minRemainingShelfLifeDays,
  };
}

function toCooperative(r: CooperativeRow): CooperativeRecord {
  return { villageId: r.villageId, id: r.id, name: r.name, brand: r.brand, publish: PublishSettings.parse(r.publish) };
}

function toProducer(r: ProducerRow): ProducerRecord {
  return {
    villageId: r.villageId,
    id: r.id,
    name: r.name,
    kind: r.kind as ProducerRecord['kind'],
    cooperativeId: r.cooperativeId,
    homeVillageId: r.homeVillageId,
    homeVillageName: r.homeVillageName,
    story: r.story,
    photoUrl: r.photoUrl,
    userId: r.userId,
    capacities: z.array(ProducerCapacity).parse(r.capacities),
  };
}

function toLot(r: LotRow, inputs: { lotId: string; quantity: number }[]): StoredLot {
  return {
    villageId: r.villageId,
    id: r.id,
    productId: r.productId,
    producerId: r.producerId,
    originSiteId: r.originSiteId,
    originNote: r.originNote,
    quantity: r.quantity,
    unit: r.unit as StoredLot['unit'],
    producedOn: r.producedOn,
    expiresOn: r.expiresOn,
    status: r.status as StoredLot['status'],
    holdReason: r.holdReason,
    orderId: r.orderId,
    packaging: r.packaging as StoredLot['packaging'],
    createdAt: Number(r.createdAt),
    inputs,
  };
}

function toMovement(r: MovementRow): MovementRecord {
  return {
    id: r.id,
    villageId: r.villageId,
    lotId: r.lotId,
    kind: r.kind as MovementRecord['kind'],
    quantity: r.quantity,
    fromRoomId: r.fromRoomId,
    toRoomId: r.toRoomId,
    reason: r.reason,
    shipmentId: r.shipmentId,
    at: Number(r.at),
    actorLabel: r.actorLabel,
  };
}

function toOrder(r: OrderRow): BulkOrderRecord {
  return {
    villageId: r.villageId,
    id: r.id,
    cooperativeId: r.cooperativeId,
    buyerName: r.buyerName,
    buyerUserId: r.buyerUserId,
    productId: r.productId,
    quantity: r.quantity,
    dueDate: r.dueDate,
    pricePerUnit: r.pricePerUnit,
    minLotSize: r.minLotSize,
    status: r.status as BulkOrderRecord['status'],
    createdAt: Number(r.createdAt),
    allocations: z.array(AllocationLine).parse(r.allocations),
  };
}

function toInspection(r: InspectionRow): InspectionRecord {
  return { ...r, at: Number(r.at), result: r.result as InspectionRecord['result'] };
}

function toShipment(r: ShipmentRow): StoredShipment {
  return {
    villageId: r.villageId,
    id: r.id,
    orderId: r.orderId,
    destination: r.destination,
    status: r.status as StoredShipment['status'],
    createdAt: Number(r.createdAt),
    dispatchedAt: nullableNum(r.dispatchedAt),
    deliveredAt: nullableNum(r.deliveredAt),
  };
}
