import {
  type AllocationLine,
  type BulkOrderRecord,
  type CooperativeInput,
  CooperativeRecord,
  InspectionInput,
  type InspectionRecord,
  type LotDetail,
  type LotExposure,
  type LotRecord,
  type LotStatus,
  type LotTrace,
  type MovementRecord,
  NewBulkOrder,
  NewLot,
  NewMovement,
  NewShipment,
  type OrderDetail,
  type ProducerInput,
  ProducerRecord,
  type ProductInput,
  ProductRecord,
  type PublicLotView,
  type ShipmentRecord,
  type StayExposure,
  type StockLine,
  type VillageRecord,
} from '@lumbung/schemas';
import { dateOfDay, dayNumber, localDate } from '@lumbung/schemas/time';
import type { Point, TimeSeriesStore } from '@lumbung/store';
import type { z } from 'zod';
import { ApiFailure, invalidInput, parseInput, registryFailure } from '../errors.ts';
import { type Registry, RegistryError } from '../registry/port.ts';
import type { StoredLot, StoredShipment } from '../registry/supply.ts';
import { allocate } from './allocation.ts';
import { digitalLink, normalizeGtin } from './digital-link.ts';
import { type EpcisContext, epcisDocument, type LotRef, type SupplyEvent } from './epcis.ts';
import { lotExposure, type MetricExposure } from './exposure.ts';
import { suggestPicks } from './fefo.ts';
import { judge, samplingPlan } from './sampling.ts';
import { TraceIndex } from './trace.ts';

export interface Actor {
  userId: string | null;
  label: string;
}

export interface SupplyServiceDeps {
  registry: Registry;
  store: TimeSeriesStore;
  now?: () => number;
}

/** Days a lot needs between production and dispatch (inspection, packing): the order-risk buffer. */
export const PACKING_DAYS = 2;
/** A trace shows room conditions for this many lots (the nearest first); the rest list their stays only. */
export const TRACE_CONDITION_LOTS = 10;
const TEMPERATURE = 'air_temperature';
const HUMIDITY = 'relative_humidity';

type Stay = { roomId: string; from: number; to: number | null };

/**
 * The supply-chain rules over the registry's records and the time-series store: what may be made, moved,
 * picked and shipped, how orders are split, how lots are inspected, and what a lot's trace and storage
 * exposure are. Routes (cloud/src/routes/supply*.ts) check who may ask; this checks what may be done, and
 * throws `ApiFailure`s in the error catalogue. Writes of one village run one at a time in this process, so
 * a check (stock on hand, shipment state) and the write after it see the same state; several cloud
 * processes on one database would need a database lock for that (docs/supply-chain.md).
 */
export class SupplyService {
  readonly #now: () => number;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SupplyServiceDeps) {
    this.#now = deps.now ?? Date.now;
  }

  get #s() {
    return this.deps.registry.supply;
  }

  /** Runs `fn` after the village's earlier writes. */
  async #exclusive<T>(villageId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(villageId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => {});
    this.#queues.set(villageId, tail);
    try {
      return await run;
    } finally {
      if (this.#queues.get(villageId) === tail) this.#queues.delete(villageId);
    }
  }

  async #village(villageId: string): Promise<VillageRecord> {
    const v = await this.deps.registry.getVillage(villageId);
    if (!v) throw new ApiFailure('LUMBUNG_ERR_VILLAGE_NOT_FOUND', { villageId });
    return v;
  }

  /** Today's date in the village. */
  today(village: Pick<VillageRecord, 'timeZone'>, at = this.#now()): string {
    return localDate(at, village.timeZone);
  }

  // ── catalogue ──

  listProducts(villageId: string): Promise<ProductRecord[]> {
    return this.#s.listProducts(villageId);
  }

  async upsertProduct(villageId: string, input: ProductInput): Promise<ProductRecord> {
    const record = parseInput(ProductRecord, { ...input, villageId });
    if (record.gtin) checkGtin(record.gtin);
    return this.#s.upsertProduct(record).catch(registryFailure);
  }

  listCooperatives(villageId: string): Promise<CooperativeRecord[]> {
    return this.#s.listCooperatives(villageId);
  }

  upsertCooperative(villageId: string, input: CooperativeInput): Promise<CooperativeRecord> {
    return this.#s.upsertCooperative(parseInput(CooperativeRecord, { ...input, villageId })).catch(registryFailure);
  }

  listProducers(villageId: string): Promise<ProducerRecord[]> {
    return this.#s.listProducers(villageId);
  }

  async upsertProducer(villageId: string, input: ProducerInput): Promise<ProducerRecord> {
    const record = parseInput(ProducerRecord, { ...input, villageId });
    for (const c of record.capacities) await this.#product(villageId, c.productId);
    if (record.cooperativeId) await this.#cooperative(villageId, record.cooperativeId);
    return this.#s.upsertProducer(record).catch(registryFailure);
  }

  async #product(villageId: string, id: string): Promise<ProductRecord> {
    const p = await this.#s.getProduct(villageId, id);
    if (!p) throw new ApiFailure('LUMBUNG_ERR_PRODUCT_NOT_FOUND', { productId: id });
    return p;
  }

  async #producer(villageId: string, id: string): Promise<ProducerRecord> {
    const p = await this.#s.getProducer(villageId, id);
    if (!p) throw new ApiFailure('LUMBUNG_ERR_PRODUCER_NOT_FOUND', { producerId: id });
    return p;
  }

  async #cooperative(villageId: string, id: string): Promise<CooperativeRecord> {
    const c = await this.#s.getCooperative(villageId, id);
    if (!c) throw new ApiFailure('LUMBUNG_ERR_COOPERATIVE_NOT_FOUND', { cooperativeId: id });
    return c;
  }

  // ── lots ──

  /** A stored lot with `expired` read from its expiry date. */
  #effective(l: StoredLot, today: string): LotRecord {
    return { ...l, status: l.status === 'available' && l.expiresOn < today ? 'expired' : l.status };
  }

  async listLots(
    villageId: string,
    q: { status?: LotStatus; productId?: string; producerId?: string; orderId?: string; ids?: readonly string[] } = {},
  ): Promise<LotRecord[]> {
    const village = await this.#village(villageId);
    const today = this.today(village);
    const { status, ...rest } = q;
    const stored = await this.#s.listLots(villageId, {
      ...rest,
      ...(status && status !== 'expired' ? { status } : status === 'expired' ? { status: 'available' } : {}),
    });
    const lots = stored.map((l) => this.#effective(l, today));
    return status ? lots.filter((l) => l.status === status) : lots;
  }

  async getLot(villageId: string, lotId: string): Promise<LotRecord> {
    const village = await this.#village(villageId);
    const l = await this.#s.getLot(villageId, lotId);
    if (!l) throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId });
    return this.#effective(l, this.today(village));
  }

  async createLot(villageId: string, input: z.input<typeof NewLot>, _actor: Actor): Promise<LotRecord> {
    const n = parseInput(NewLot, input);
    return this.#exclusive(villageId, async () => {
      const village = await this.#village(villageId);
      const [product, producer] = await Promise.all([
        this.#product(villageId, n.productId),
        this.#producer(villageId, n.producerId),
      ]);
      if (n.originSiteId && !(await this.deps.registry.getSite(villageId, n.originSiteId)))
        throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId: n.originSiteId });
      if (n.orderId) {
        const order = await this.#order(villageId, n.orderId);
        if (order.productId !== n.productId)
          throw invalidInput(`order ${order.id} is for product ${order.productId}, not ${n.productId}`);
      }
      if (n.producedOn > this.today(village)) throw invalidInput('producedOn is in the future');
      for (const i of n.inputs)
        if (!(await this.#s.getLot(villageId, i.lotId)))
          throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId: i.lotId });
      const id = n.id ?? (await this.#nextLotCode(villageId, product.id, n.producedOn));
      const lot: StoredLot = {
        villageId,
        id,
        productId: product.id,
        producerId: producer.id,
        originSiteId: n.originSiteId,
        originNote: n.originNote,
        quantity: n.quantity,
        unit: product.unit,
        producedOn: n.producedOn,
        expiresOn: dateOfDay(dayNumber(n.producedOn) + product.shelfLifeDays),
        status: 'available',
        holdReason: null,
        orderId: n.orderId,
        packaging: n.packaging,
        createdAt: this.#now(),
        inputs: n.inputs,
      };
      const created = await this.#s.createLot(lot).catch((err: unknown) => {
        if (err instanceof RegistryError && err.kind === 'conflict')
          throw new ApiFailure('LUMBUNG_ERR_LOT_EXISTS', { lotId: id });
        return registryFailure(err);
      });
      return this.#effective(created, this.today(village));
    });
  }

  /** `TA-261115-03`: initials of the product id, the production date, a running number of that day. */
  async #nextLotCode(villageId: string, productId: string, producedOn: string): Promise<string> {
    const initials = productId
      .split(/[-_]/)
      .map((w) => w[0] ?? '')
      .join('')
      .toUpperCase()
      .slice(0, 4);
    const prefix = `${initials || 'L'}-${producedOn.slice(2).replaceAll('-', '')}-`;
    const taken = await this.#s.lotCodesStartingWith(villageId, prefix);
    const numbers = taken.map((c) => Number(c.slice(prefix.length))).filter(Number.isInteger);
    const next = Math.max(0, ...numbers) + 1;
    return `${prefix}${String(next).padStart(2, '0')}`;
  }

  async lotDetail(villageId: string, lotId: string, baseUrl: string): Promise<LotDetail> {
    const lot = await this.getLot(villageId, lotId);
    const village = await this.#village(villageId);
    const [product, producer, stock, inspections, exposure] = await Promise.all([
      this.#product(villageId, lot.productId),
      this.#producer(villageId, lot.producerId),
      this.#stockOf(villageId, [lot.id]),
      this.#s.listInspections(villageId, { lotIds: [lot.id] }),
      this.exposure(villageId, lot.id),
    ]);
    const rooms = stock.get(lot.id) ?? [];
    return {
      ...lot,
      productName: product.name,
      producerName: producer.name,
      stock: rooms,
      onHand: round(rooms.reduce((s, r) => s + r.quantity, 0)),
      inspections,
      exposure: exposure.stays.length ? exposure : null,
      digitalLink: digitalLink({ gtin: product.gtin ?? undefined, lotId: lot.id, villageId, baseUrl }),
      daysToExpiry: dayNumber(lot.expiresOn) - dayNumber(this.today(village)),
    };
  }

  // ── stock ──

  /** Stock on hand per lot: rooms with quantity and since when the lot has been in each. */
  async #stockOf(
    villageId: string,
    lotIds?: readonly string[],
  ): Promise<Map<string, { roomId: string; quantity: number; since: number }[]>> {
    const onHand = await this.#s.onHand(villageId, lotIds ? { lotIds } : {});
    const ids = [...new Set(onHand.map((o) => o.lotId))];
    const stays = ids.length ? await this.#stays(villageId, ids) : new Map<string, Stay[]>();
    const out = new Map<string, { roomId: string; quantity: number; since: number }[]>();
    for (const o of onHand) {
      if (o.quantity <= 0) continue;
      const open = (stays.get(o.lotId) ?? []).filter((s) => s.roomId === o.roomId && s.to === null).at(-1);
      const list = out.get(o.lotId) ?? [];
      list.push({ roomId: o.roomId, quantity: o.quantity, since: open?.from ?? 0 });
      out.set(o.lotId, list);
    }
    return out;
  }

  /** The intervals each lot spent in each room: from when its stock there rose above 0 to when it fell to 0. */
  async #stays(villageId: string, lotIds: readonly string[]): Promise<Map<string, Stay[]>> {
    const moves = await this.#s.listMovements(villageId, { lotIds });
    return staysFromMovements(moves);
  }

  /** Stock by lot and room, FEFO order (earliest expiry first). */
  async stock(villageId: string, q: { roomId?: string; productId?: string } = {}): Promise<StockLine[]> {
    const village = await this.#village(villageId);
    const today = this.today(village);
    const stock = await this.#stockOf(villageId);
    const lots = await this.#s.listLots(villageId, { ids: [...stock.keys()] });
    const lines: StockLine[] = [];
    for (const l of lots) {
      if (q.productId && l.productId !== q.productId) continue;
      const lot = this.#effective(l, today);
      for (const r of stock.get(l.id) ?? []) {
        if (q.roomId && r.roomId !== q.roomId) continue;
        lines.push({
          lotId: l.id,
          roomId: r.roomId,
          productId: l.productId,
          producerId: l.producerId,
          quantity: r.quantity,
          producedOn: l.producedOn,
          expiresOn: l.expiresOn,
          status: lot.status,
          since: r.since,
        });
      }
    }
    return lines.sort(
      (a, b) =>
        cmp(a.expiresOn, b.expiresOn) ||
        cmp(a.producedOn, b.producedOn) ||
        cmp(a.lotId, b.lotId) ||
        cmp(a.roomId, b.roomId),
    );
  }

  /** Lots expiring within `days` (or expired) and lots whose storage exposure asks for an inspection. */
  async warnings(
    villageId: string,
    days: number,
  ): Promise<{ expiring: StockLine[]; exposure: { lotId: string; reasons: string[] }[] }> {
    const village = await this.#village(villageId);
    const today = dayNumber(this.today(village));
    const stock = await this.stock(villageId);
    const expiring = stock.filter((s) => dayNumber(s.expiresOn) - today <= days);
    const exposure: { lotId: string; reasons: string[] }[] = [];
    for (const lotId of [...new Set(stock.map((s) => s.lotId))]) {
      const e = await this.exposure(villageId, lotId);
      if (e.inspect) exposure.push({ lotId, reasons: e.reasons });
    }
    return { expiring, exposure };
  }

  async movements(villageId: string, q: { lotId?: string } = {}): Promise<MovementRecord[]> {
    await this.#village(villageId);
    return this.#s.listMovements(villageId, q.lotId ? { lotIds: [q.lotId] } : {});
  }

  async recordMovement(
    villageId: string,
    input: z.input<typeof NewMovement>,
    actor: Actor,
    shipmentId: string | null = null,
  ): Promise<MovementRecord> {
    const m = parseInput(NewMovement, input);
    // A pick takes stock out into a shipment, with the shipment's checks (inspection, product): pick().
    if (m.kind === 'pick' && shipmentId === null)
      throw invalidInput('a pick goes into a shipment: POST …/shipments/:shipmentId/picks');
    return this.#exclusive(villageId, () => this.#move(villageId, m, actor, shipmentId));
  }

  async #move(
    villageId: string,
    m: z.output<typeof NewMovement>,
    actor: Actor,
    shipmentId: string | null,
  ): Promise<MovementRecord> {
    const village = await this.#village(villageId);
    const now = this.#now();
    const at = m.at ?? now;
    if (at > now + 60_000) throw invalidInput('"at" is in the future');
    const lot = await this.getLot(villageId, m.lotId);
    const needs = {
      receive: { from: false, to: true },
      move: { from: true, to: true },
      pick: { from: true, to: false },
      dispose: { from: true, to: false },
      adjust: { from: false, to: true },
    }[m.kind];
    if (needs.from !== (m.fromRoomId !== null) || needs.to !== (m.toRoomId !== null))
      throw invalidInput(
        `${m.kind} needs ${[needs.from ? 'fromRoomId' : '', needs.to ? 'toRoomId' : ''].filter(Boolean).join(' and ')} and no other room`,
      );
    if (m.kind !== 'adjust' && m.quantity < 0)
      throw invalidInput('quantity must be positive (only an adjust is signed)');
    if ((m.kind === 'adjust' || m.kind === 'dispose') && !m.reason) throw invalidInput(`a ${m.kind} needs a reason`);
    if (m.kind === 'move' && m.fromRoomId === m.toRoomId) throw invalidInput('a move needs two different rooms');
    for (const roomId of [m.fromRoomId, m.toRoomId]) {
      if (roomId === null) continue;
      const site = await this.deps.registry.getSite(villageId, roomId);
      if (site?.kind !== 'storage_room') throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId: roomId });
    }
    if (m.kind === 'pick') {
      if (lot.status !== 'available')
        throw new ApiFailure('LUMBUNG_ERR_LOT_BLOCKED', { lotId: lot.id, status: lot.status });
      const product = await this.#product(villageId, lot.productId);
      const left = dayNumber(lot.expiresOn) - dayNumber(this.today(village));
      if (left < product.minRemainingShelfLifeDays)
        throw new ApiFailure('LUMBUNG_ERR_SHELF_LIFE', {
          lotId: lot.id,
          days: left,
          min: product.minRemainingShelfLifeDays,
        });
    }
    const onHand = await this.#s.onHand(villageId, { lotIds: [lot.id] });
    const inRoom = (roomId: string | null) => onHand.find((o) => o.roomId === roomId)?.quantity ?? 0;
    if (m.fromRoomId !== null && inRoom(m.fromRoomId) < m.quantity)
      throw new ApiFailure('LUMBUNG_ERR_INSUFFICIENT_STOCK', {
        lotId: lot.id,
        roomId: m.fromRoomId,
        available: inRoom(m.fromRoomId),
        requested: m.quantity,
      });
    if (m.kind === 'adjust' && inRoom(m.toRoomId) + m.quantity < 0)
      throw new ApiFailure('LUMBUNG_ERR_INSUFFICIENT_STOCK', {
        lotId: lot.id,
        roomId: m.toRoomId ?? '',
        available: inRoom(m.toRoomId),
        requested: -m.quantity,
      });
    if (m.kind === 'receive') {
      const received = (await this.#s.listMovements(villageId, { lotIds: [lot.id], kinds: ['receive'] })).reduce(
        (s, r) => s + r.quantity,
        0,
      );
      if (received + m.quantity > lot.quantity + 1e-9)
        throw invalidInput(`lot ${lot.id} has ${lot.quantity} ${lot.unit}; ${received} are received already`);
    }
    const [rec] = await this.#s.addMovements([
      {
        villageId,
        lotId: lot.id,
        kind: m.kind,
        quantity: m.quantity,
        fromRoomId: m.fromRoomId,
        toRoomId: m.toRoomId,
        reason: m.reason,
        shipmentId,
        at,
        actorLabel: actor.label,
        actorUserId: actor.userId,
      },
    ]);
    return rec as MovementRecord;
  }

  async pickSuggestions(
    villageId: string,
    productId: string,
    quantity: number,
  ): Promise<ReturnType<typeof suggestPicks>> {
    const village = await this.#village(villageId);
    const product = await this.#product(villageId, productId);
    const stock = await this.stock(villageId, { productId });
    return suggestPicks({
      stock,
      quantity,
      today: this.today(village),
      minRemainingDays: product.minRemainingShelfLifeDays,
    });
  }

  // ── storage exposure ──

  /** The lot's stays in rooms joined with each room's readings in the time-series store. */
  async exposure(villageId: string, lotId: string): Promise<LotExposure> {
    const lot = await this.getLot(villageId, lotId);
    const product = await this.#product(villageId, lot.productId);
    const stays = (await this.#stays(villageId, [lot.id])).get(lot.id) ?? [];
    return this.#exposureOf(villageId, lot.id, product, stays);
  }

  async #exposureOf(villageId: string, lotId: string, product: ProductRecord, stays: Stay[]): Promise<LotExposure> {
    const now = this.#now();
    const closed = stays.map((s) => ({ roomId: s.roomId, from: s.from, to: s.to ?? now }));
    const rooms = [...new Set(stays.map((s) => s.roomId))];
    const readings = new Map<string, { temperature: Point[]; humidity: Point[] }>();
    const names = new Map<string, string>();
    let maxGapMs = 15 * 60_000;
    for (const roomId of rooms) {
      const site = await this.deps.registry.getSite(villageId, roomId);
      names.set(roomId, site?.name ?? roomId);
      const devices = await this.deps.registry.listDevices(villageId, { siteId: roomId });
      for (const d of devices) maxGapMs = Math.max(maxGapMs, 3 * d.intervalSeconds * 1000);
      const spans = closed.filter((s) => s.roomId === roomId);
      const from = Math.min(...spans.map((s) => s.from));
      const to = Math.max(...spans.map((s) => s.to)) + 1;
      const series = async (metric: string) =>
        mergeSorted(
          await Promise.all(
            devices.map((d) => this.deps.store.queryRaw({ villageId, deviceId: d.id, metric, from, to })),
          ),
        );
      const [temperature, humidity] = await Promise.all([series(TEMPERATURE), series(HUMIDITY)]);
      readings.set(roomId, { temperature, humidity });
    }
    const spec = product.storage;
    const result = lotExposure({
      stays: closed,
      readings,
      spec: {
        ...(spec.temperatureMin !== null ? { temperatureMin: spec.temperatureMin } : {}),
        ...(spec.temperatureMax !== null ? { temperatureMax: spec.temperatureMax } : {}),
        ...(spec.humidityMin !== null ? { humidityMin: spec.humidityMin } : {}),
        ...(spec.humidityMax !== null ? { humidityMax: spec.humidityMax } : {}),
      },
      maxGapMs,
    });
    const stat = (m: MetricExposure) =>
      m.samples && m.min !== null && m.max !== null && m.mean !== null
        ? { min: m.min, max: m.max, mean: m.mean, outsideMs: m.outsideMs, excursions: m.excursions }
        : null;
    const stayViews: StayExposure[] = result.stays.map((s, i) => {
      const t = stat(s.temperature);
      return {
        roomId: s.roomId,
        roomName: names.get(s.roomId) ?? s.roomId,
        from: s.from,
        to: stays[i]?.to ?? null,
        temperature: t ? { ...t, mkt: s.temperature.mkt } : null,
        humidity: stat(s.humidity),
        noDataMs: Math.max(s.temperature.noDataMs, s.humidity.noDataMs),
      };
    });
    const t = result.total;
    return {
      lotId,
      spec,
      stays: stayViews,
      total: {
        temperatureOutsideMs: t.temperature.outsideMs,
        humidityOutsideMs: t.humidity.outsideMs,
        excursions: t.temperature.excursions + t.humidity.excursions,
        mkt: t.temperature.mkt,
        minTemperature: t.temperature.min,
        maxTemperature: t.temperature.max,
      },
      inspect: t.inspect,
      reasons: t.reasons,
    };
  }

  // ── trace, recall, EPCIS ──

  async trace(villageId: string, lotId: string, direction: 'backward' | 'forward'): Promise<LotTrace> {
    const village = await this.#village(villageId);
    const root = await this.getLot(villageId, lotId);
    // The lot's own room conditions (the most costly part: its rooms' readings) while the rest loads.
    const rootExposure = this.exposure(villageId, root.id);
    rootExposure.catch(() => {});
    const allEdges = await this.#s.lotEdges(villageId);
    const index = new TraceIndex(allEdges);
    const walk = direction === 'backward' ? index.backward(lotId) : index.forward(lotId);
    const ids = walk.lots.map((l) => l.lotId);
    const today = this.today(village);
    const [lots, products, producers, inspections, moves] = await Promise.all([
      this.#s.listLots(villageId, { ids, withInputs: false }),
      this.#s.listProducts(villageId),
      this.#s.listProducers(villageId),
      this.#s.listInspections(villageId, { lotIds: ids }),
      this.#s.listMovements(villageId, { lotIds: ids }),
    ]);
    const stays = staysFromMovements(moves);
    const shipments = await this.#shipmentsOf(villageId, ids, moves);
    const lotById = new Map(lots.map((l) => [l.id, l]));
    const productById = new Map(products.map((p) => [p.id, p]));
    const producerById = new Map(producers.map((p) => [p.id, p]));
    const inspectionsOf = new Map<string, InspectionRecord[]>();
    for (const x of inspections) inspectionsOf.set(x.lotId, [...(inspectionsOf.get(x.lotId) ?? []), x]);
    // Room conditions for the nearest lots (the walk is by depth): each costs a read of the room's readings.
    const withConditions = walk.lots
      .filter((w) => (stays.get(w.lotId) ?? []).length > 0)
      .slice(0, TRACE_CONDITION_LOTS)
      .map((w) => w.lotId);
    const exposures = new Map(
      await Promise.all(
        withConditions.map(async (id) => {
          if (id === root.id) return [id, await rootExposure] as const;
          const l = lotById.get(id) as StoredLot;
          const product = productById.get(l.productId);
          const e = product ? await this.#exposureOf(villageId, id, product, stays.get(id) ?? []) : null;
          return [id, e] as const;
        }),
      ),
    );
    const nodes: LotTrace['nodes'] = [];
    for (const w of walk.lots) {
      const l = lotById.get(w.lotId);
      if (!l) continue;
      const product = productById.get(l.productId);
      const producer = producerById.get(l.producerId);
      nodes.push({
        lotId: l.id,
        depth: w.depth,
        productId: l.productId,
        productName: product?.name ?? l.productId,
        producerId: l.producerId,
        producerName: producer?.name ?? l.producerId,
        producerVillage: producer?.homeVillageName ?? village.name,
        originSiteId: l.originSiteId,
        originNote: l.originNote,
        quantity: l.quantity,
        unit: l.unit,
        producedOn: l.producedOn,
        expiresOn: l.expiresOn,
        status: this.#effective(l, today).status,
        stays:
          exposures.get(l.id)?.stays ??
          (stays.get(l.id) ?? []).map((s) => ({
            roomId: s.roomId,
            roomName: s.roomId,
            from: s.from,
            to: s.to,
            temperature: null,
            humidity: null,
            noDataMs: 0,
          })),
        inspections: (inspectionsOf.get(l.id) ?? []).map((x) => ({
          at: x.at,
          result: x.result,
          defects: x.defects,
          sampleSize: x.sampleSize,
        })),
      });
    }
    const edgeQuantity = new Map(allEdges.map((e) => [`${e.inputLotId}>${e.lotId}`, e.quantity]));
    return {
      lotId,
      direction,
      nodes,
      edges: walk.edges.map((e) => ({ from: e.from, to: e.to, quantity: edgeQuantity.get(`${e.from}>${e.to}`) ?? 0 })),
      shipments,
      buyers: [...new Set(shipments.map((s) => s.buyerName))].sort(cmp),
    };
  }

  /** Shipments that carry any of the lots, with their buyer. */
  async #shipmentsOf(
    villageId: string,
    lotIds: readonly string[],
    moves?: readonly MovementRecord[],
  ): Promise<LotTrace['shipments']> {
    if (lotIds.length === 0) return [];
    const picks = moves
      ? moves.filter((m) => m.kind === 'pick')
      : await this.#s.listMovements(villageId, { lotIds, kinds: ['pick'] });
    const shipmentIds = [...new Set(picks.map((p) => p.shipmentId).filter((s): s is string => !!s))];
    if (shipmentIds.length === 0) return [];
    const shipments = await this.#s.listShipments(villageId, { ids: shipmentIds });
    const orders = new Map<string, BulkOrderRecord | undefined>();
    const out: LotTrace['shipments'] = [];
    for (const s of shipments) {
      if (!orders.has(s.orderId)) orders.set(s.orderId, await this.#s.getOrder(villageId, s.orderId));
      const lots = sumBy(
        picks.filter((p) => p.shipmentId === s.id),
        (p) => p.lotId,
      );
      out.push({
        shipmentId: s.id,
        orderId: s.orderId,
        buyerName: orders.get(s.orderId)?.buyerName ?? '',
        status: s.status,
        dispatchedAt: s.dispatchedAt,
        lots: [...lots].map(([lotId, quantity]) => ({ lotId, quantity })),
      });
    }
    return out;
  }

  async setHold(
    villageId: string,
    lotId: string,
    hold: boolean,
    reason: string | null,
    _actor: Actor,
  ): Promise<LotRecord> {
    return this.#exclusive(villageId, async () => {
      const lot = await this.getLot(villageId, lotId);
      if (hold) {
        if (lot.status === 'recalled') throw new ApiFailure('LUMBUNG_ERR_LOT_BLOCKED', { lotId, status: lot.status });
        await this.#s.setLotStatus(villageId, [lotId], 'on_hold', reason ?? 'manual');
      } else {
        if (lot.status !== 'on_hold')
          throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `lot ${lotId} is ${lot.status}, not on hold` });
        await this.#s.setLotStatus(villageId, [lotId], 'available', null);
      }
      return this.getLot(villageId, lotId);
    });
  }

  /** Recalls a lot: it becomes `recalled`, everything made from it goes on hold; who received any of them. */
  async recall(
    villageId: string,
    lotId: string,
    reason: string,
    _actor: Actor,
  ): Promise<{ lotId: string; affectedLots: string[]; shipments: LotTrace['shipments']; buyers: string[] }> {
    return this.#exclusive(villageId, async () => {
      await this.getLot(villageId, lotId);
      const index = new TraceIndex(await this.#s.lotEdges(villageId));
      const affected = index.forward(lotId).lots.map((l) => l.lotId);
      const descendants = affected.filter((id) => id !== lotId);
      await this.#s.setLotStatus(villageId, [lotId], 'recalled', `recall: ${reason}`);
      await this.#s.setLotStatus(villageId, descendants, 'on_hold', `recall ${lotId}: ${reason}`);
      const shipments = await this.#shipmentsOf(villageId, affected);
      return {
        lotId,
        affectedLots: [lotId, ...descendants.sort(cmp)],
        shipments,
        buyers: [...new Set(shipments.map((s) => s.buyerName))].sort(cmp),
      };
    });
  }

  /** The lot's history and that of everything it was made from, as an EPCIS 2.0 document. */
  async epcis(villageId: string, lotId: string, baseUrl: string): Promise<ReturnType<typeof epcisDocument>> {
    const village = await this.#village(villageId);
    await this.getLot(villageId, lotId);
    const index = new TraceIndex(await this.#s.lotEdges(villageId));
    const ids = index.backward(lotId).lots.map((l) => l.lotId);
    const [lots, products, producers, inspections, stays, picks] = await Promise.all([
      this.#s.listLots(villageId, { ids }),
      this.#s.listProducts(villageId),
      this.#s.listProducers(villageId),
      this.#s.listInspections(villageId, { lotIds: ids }),
      this.#stays(villageId, ids),
      this.#s.listMovements(villageId, { lotIds: [lotId], kinds: ['pick', 'dispose'] }),
    ]);
    const tz = village.timeZone;
    const productById = new Map(products.map((p) => [p.id, p]));
    const producerById = new Map(producers.map((p) => [p.id, p]));
    const lotById = new Map(lots.map((l) => [l.id, l]));
    const ref = (l: StoredLot): LotRef => {
      const p = productById.get(l.productId);
      return {
        villageId,
        lotId: l.id,
        productId: l.productId,
        productName: p?.name ?? l.productId,
        gtin: p?.gtin ?? undefined,
        unit: l.unit,
        expiresOn: l.expiresOn,
      };
    };
    const events: SupplyEvent[] = [];
    for (const l of lots) {
      events.push({
        kind: 'commissioning',
        id: `lot:${l.id}`,
        at: l.createdAt,
        tz,
        lot: ref(l),
        quantity: l.quantity,
        producer: { id: l.producerId, name: producerById.get(l.producerId)?.name ?? l.producerId },
        originSiteId: l.originSiteId ?? undefined,
        villageId,
      });
      if (l.inputs.length)
        events.push({
          kind: 'transformation',
          id: `transform:${l.id}`,
          at: l.createdAt,
          tz,
          inputs: l.inputs.flatMap((i) => {
            const input = lotById.get(i.lotId);
            return input ? [{ lot: ref(input), quantity: i.quantity }] : [];
          }),
          outputs: [{ lot: ref(l), quantity: l.quantity }],
          villageId,
        });
    }
    for (const [i, l] of lots.entries()) {
      const product = productById.get(l.productId);
      const lotStays = stays.get(l.id) ?? [];
      if (!lotStays.length || !product) continue;
      const exposure = i < TRACE_CONDITION_LOTS ? await this.#exposureOf(villageId, l.id, product, lotStays) : null;
      for (const [k, s] of lotStays.entries()) {
        const e = exposure?.stays[k];
        events.push({
          kind: 'storing',
          id: `stay:${l.id}:${s.roomId}:${s.from}`,
          at: s.from,
          tz,
          lot: ref(l),
          quantity: l.quantity,
          roomId: s.roomId,
          villageId,
          stay: { from: s.from, ...(s.to !== null ? { to: s.to } : {}) },
          ...(e && (e.temperature || e.humidity)
            ? {
                conditions: {
                  ...(e.temperature
                    ? {
                        temperature: {
                          min: e.temperature.min,
                          max: e.temperature.max,
                          mean: e.temperature.mean,
                          ...(e.temperature.mkt !== null ? { mkt: e.temperature.mkt } : {}),
                        },
                      }
                    : {}),
                  ...(e.humidity
                    ? { humidity: { min: e.humidity.min, max: e.humidity.max, mean: e.humidity.mean } }
                    : {}),
                },
              }
            : {}),
        });
      }
    }
    for (const x of inspections) {
      const l = lotById.get(x.lotId);
      if (!l) continue;
      events.push({
        kind: 'inspecting',
        id: `inspection:${x.id}`,
        at: x.at,
        tz,
        lot: ref(l),
        villageId,
        result: x.result,
        sampleSize: x.sampleSize,
        defects: x.defects,
        aql: x.aql,
      });
    }
    const self = lotById.get(lotId) as StoredLot;
    if (self.status !== 'available')
      events.push({
        kind: 'holding',
        id: `hold:${self.id}:${self.status}`,
        at: this.#now(),
        tz,
        lot: ref(self),
        villageId,
        reason: self.status === 'recalled' ? 'recall' : holdKind(self.holdReason),
        ...(self.holdReason ? { note: self.holdReason } : {}),
      });
    for (const d of picks.filter((p) => p.kind === 'dispose'))
      events.push({
        kind: 'disposing',
        id: `dispose:${d.id}`,
        at: d.at,
        tz,
        lot: ref(self),
        villageId,
        quantity: d.quantity,
        reason: d.reason ?? '',
      });
    const byShipment = new Map<string, number>();
    for (const p of picks.filter((p) => p.kind === 'pick' && p.shipmentId))
      byShipment.set(p.shipmentId as string, (byShipment.get(p.shipmentId as string) ?? 0) + p.quantity);
    for (const [shipmentId, quantity] of byShipment) {
      const s = await this.#s.getShipment(villageId, shipmentId);
      if (!s) continue;
      const firstPick = picks.find((p) => p.shipmentId === shipmentId) as MovementRecord;
      events.push({
        kind: 'packing',
        id: `pack:${shipmentId}:${lotId}`,
        at: firstPick.at,
        tz,
        shipmentId,
        villageId,
        lots: [{ lot: ref(self), quantity }],
      });
      if (s.dispatchedAt !== null) {
        const order = await this.#s.getOrder(villageId, s.orderId);
        events.push({
          kind: 'shipping',
          id: `ship:${shipmentId}:${lotId}`,
          at: s.dispatchedAt,
          tz,
          shipmentId,
          villageId,
          lots: [{ lot: ref(self), quantity }],
          buyer: { id: order?.buyerUserId ?? slug(order?.buyerName ?? 'buyer'), name: order?.buyerName ?? '' },
        });
      }
    }
    events.sort((a, b) => a.at - b.at || cmp(a.id, b.id));
    const ctx: EpcisContext = { baseUrl, createdAt: this.#now() };
    return epcisDocument(ctx, events);
  }

  // ── orders ──

  async #order(villageId: string, id: string): Promise<BulkOrderRecord> {
    const o = await this.#s.getOrder(villageId, id);
    if (!o) throw new ApiFailure('LUMBUNG_ERR_ORDER_NOT_FOUND', { orderId: id });
    return o;
  }

  async listOrders(villageId: string, q: { buyerUserId?: string } = {}): Promise<OrderDetail[]> {
    const orders = await this.#s.listOrders(villageId, q);
    return Promise.all(orders.map((o) => this.#orderDetail(o)));
  }

  async order(villageId: string, id: string): Promise<OrderDetail> {
    return this.#orderDetail(await this.#order(villageId, id));
  }

  async createOrder(villageId: string, input: z.input<typeof NewBulkOrder>, _actor: Actor): Promise<OrderDetail> {
    const n = parseInput(NewBulkOrder, input);
    return this.#exclusive(villageId, async () => {
      const village = await this.#village(villageId);
      await this.#cooperative(villageId, n.cooperativeId);
      await this.#product(villageId, n.productId);
      if (n.dueDate <= this.today(village)) throw invalidInput('dueDate must be after today');
      const id = n.id ?? (await this.#nextOrderId(villageId));
      if (await this.#s.getOrder(villageId, id))
        throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `order ${id} exists` });
      const record: BulkOrderRecord = {
        ...n,
        id,
        villageId,
        status: 'open',
        createdAt: this.#now(),
        allocations: await this.#allocate(villageId, n, n.minLotSize),
      };
      return this.#orderDetail(await this.#s.createOrder(record).catch(registryFailure));
    });
  }

  async #nextOrderId(villageId: string): Promise<string> {
    const n = (await this.#s.listOrders(villageId)).length + 1;
    return `po-${String(n).padStart(4, '0')}`;
  }

  /** The largest-remainder split over the cooperative's members who make the product, capped by what each can make by the due date. */
  async #allocate(
    villageId: string,
    o: Pick<BulkOrderRecord, 'cooperativeId' | 'productId' | 'quantity' | 'dueDate'>,
    minLotSize: number,
  ): Promise<AllocationLine[]> {
    const village = await this.#village(villageId);
    const weeks = Math.max(0, dayNumber(o.dueDate) - dayNumber(this.today(village)) - PACKING_DAYS) / 7;
    const members = (await this.#s.listProducers(villageId, { cooperativeId: o.cooperativeId }))
      .map((p) => ({
        producerId: p.id,
        capacity: Math.floor((p.capacities.find((c) => c.productId === o.productId)?.weeklyCapacity ?? 0) * weeks),
      }))
      .filter((m) => m.capacity > 0);
    if (members.length === 0) return [];
    const result = allocate({ quantity: o.quantity, minLotSize, members });
    return result.quotas.map((q) => ({ producerId: q.producerId, quota: q.quota, adjusted: false }));
  }

  async reallocate(
    villageId: string,
    orderId: string,
    minLotSize: number | undefined,
    _actor: Actor,
  ): Promise<OrderDetail> {
    return this.#exclusive(villageId, async () => {
      const order = await this.#order(villageId, orderId);
      const min = minLotSize ?? order.minLotSize;
      const allocations = await this.#allocate(villageId, order, min);
      return this.#orderDetail(await this.#s.updateOrder(villageId, orderId, { allocations, minLotSize: min }));
    });
  }

  async adjustAllocation(
    villageId: string,
    orderId: string,
    lines: readonly { producerId: string; quota: number }[],
    _actor: Actor,
  ): Promise<OrderDetail> {
    return this.#exclusive(villageId, async () => {
      const order = await this.#order(villageId, orderId);
      const members = new Set(
        (await this.#s.listProducers(villageId, { cooperativeId: order.cooperativeId })).map((p) => p.id),
      );
      const seen = new Set<string>();
      for (const l of lines) {
        if (!members.has(l.producerId))
          throw invalidInput(`${l.producerId} is not a member of cooperative ${order.cooperativeId}`);
        if (seen.has(l.producerId)) throw invalidInput(`${l.producerId} is listed twice`);
        seen.add(l.producerId);
      }
      const total = lines.reduce((s, l) => s + l.quota, 0);
      if (total > order.quantity)
        throw invalidInput(`quotas add up to ${total}, more than the ${order.quantity} ordered`);
      const before = new Map(order.allocations.map((a) => [a.producerId, a.quota]));
      const allocations = lines
        .filter((l) => l.quota > 0)
        .map((l) => ({ producerId: l.producerId, quota: l.quota, adjusted: before.get(l.producerId) !== l.quota }));
      return this.#orderDetail(await this.#s.updateOrder(villageId, orderId, { allocations }));
    });
  }

  async #orderDetail(o: BulkOrderRecord): Promise<OrderDetail> {
    const villageId = o.villageId;
    const village = await this.#village(villageId);
    const [product, producers, lots, shipments] = await Promise.all([
      this.#s.getProduct(villageId, o.productId),
      this.#s.listProducers(villageId, { cooperativeId: o.cooperativeId }),
      this.#s.listLots(villageId, { orderId: o.id }),
      this.#s.listShipments(villageId, { orderId: o.id }),
    ]);
    const lotIds = lots.map((l) => l.id);
    const [inspections, picks] = await Promise.all([
      lotIds.length ? this.#s.listInspections(villageId, { lotIds }) : [],
      lotIds.length ? this.#s.listMovements(villageId, { lotIds, kinds: ['pick'] }) : [],
    ]);
    const lastInspection = new Map<string, InspectionRecord>();
    for (const i of inspections) lastInspection.set(i.lotId, i);
    const shipped = new Set(
      shipments.filter((s) => s.status === 'dispatched' || s.status === 'delivered').map((s) => s.id),
    );
    const ofOrder = new Set(shipments.map((s) => s.id));
    const producerOfLot = new Map(lots.map((l) => [l.id, l.producerId]));
    const today = this.today(village);
    const daysLeft = dayNumber(o.dueDate) - dayNumber(today);
    const name = new Map(producers.map((p) => [p.id, p.name]));
    const weekly = new Map(
      producers.map((p) => [p.id, p.capacities.find((c) => c.productId === o.productId)?.weeklyCapacity ?? 0]),
    );
    const ids = [...new Set([...o.allocations.map((a) => a.producerId), ...lots.map((l) => l.producerId)])];
    const progress = ids.map((producerId) => {
      const mine = lots.filter((l) => l.producerId === producerId);
      const myPicks = picks.filter(
        (p) => p.shipmentId && ofOrder.has(p.shipmentId) && producerOfLot.get(p.lotId) === producerId,
      );
      const quota = o.allocations.find((a) => a.producerId === producerId)?.quota ?? 0;
      const produced = round(mine.reduce((s, l) => s + l.quantity, 0));
      const remaining = Math.max(0, quota - produced);
      const perDay = (weekly.get(producerId) ?? 0) / 7;
      const daysNeeded = remaining === 0 ? 0 : perDay > 0 ? Math.ceil(remaining / perDay) : Number.POSITIVE_INFINITY;
      return {
        producerId,
        producerName: name.get(producerId) ?? producerId,
        quota,
        produced,
        inspected: round(
          mine.filter((l) => lastInspection.get(l.id)?.result === 'conformant').reduce((s, l) => s + l.quantity, 0),
        ),
        packed: round(myPicks.reduce((s, p) => s + p.quantity, 0)),
        shipped: round(myPicks.filter((p) => shipped.has(p.shipmentId as string)).reduce((s, p) => s + p.quantity, 0)),
        atRisk:
          o.status !== 'shipped' && o.status !== 'closed' && remaining > 0 && daysNeeded > daysLeft - PACKING_DAYS,
      };
    });
    const totals = {
      produced: round(progress.reduce((s, p) => s + p.produced, 0)),
      inspected: round(progress.reduce((s, p) => s + p.inspected, 0)),
      packed: round(progress.reduce((s, p) => s + p.packed, 0)),
      shipped: round(progress.reduce((s, p) => s + p.shipped, 0)),
    };
    const done = o.status === 'shipped' || o.status === 'closed' || o.status === 'cancelled';
    const reasons: { id: string; en: string }[] = [];
    if (!done) {
      const allocated = o.allocations.reduce((s, a) => s + a.quota, 0);
      if (allocated < o.quantity)
        reasons.push({
          id: `Kuota baru ${allocated} dari ${o.quantity}: kapasitas anggota tidak cukup sebelum tenggat`,
          en: `Quotas cover ${allocated} of ${o.quantity}: members cannot make enough before the due date`,
        });
      if (daysLeft < 0 && totals.shipped < o.quantity)
        reasons.push({ id: `Lewat tenggat ${-daysLeft} hari`, en: `${-daysLeft} days past the due date` });
      for (const p of progress.filter((p) => p.atRisk))
        reasons.push({
          id: `${p.producerName}: sisa ${round(p.quota - p.produced)} tidak terkejar dalam ${Math.max(0, daysLeft)} hari`,
          en: `${p.producerName}: ${round(p.quota - p.produced)} left cannot be made in ${Math.max(0, daysLeft)} days`,
        });
    }
    return {
      ...o,
      productName: product?.name ?? o.productId,
      unit: product?.unit ?? 'pcs',
      valueIdr: o.quantity * o.pricePerUnit,
      progress,
      totals,
      lateRisk: { atRisk: reasons.length > 0, daysLeft, reasons },
    };
  }

  // ── quality ──

  samplingPlan(lotSize: number, aql: number): ReturnType<typeof samplingPlan> {
    try {
      return samplingPlan(lotSize, aql);
    } catch (err) {
      throw invalidInput((err as Error).message);
    }
  }

  async inspect(
    villageId: string,
    lotId: string,
    input: z.input<typeof InspectionInput>,
    actor: Actor,
  ): Promise<InspectionRecord> {
    const n = parseInput(InspectionInput, input);
    return this.#exclusive(villageId, async () => {
      const lot = await this.getLot(villageId, lotId);
      const product = await this.#product(villageId, lot.productId);
      const plan = this.samplingPlan(Math.max(1, Math.round(lot.quantity)), n.aql ?? product.aql);
      if (n.defects > plan.sampleSize) throw invalidInput(`${n.defects} defects in a sample of ${plan.sampleSize}`);
      const result = judge(plan, n.defects);
      const record = await this.#s.addInspection({
        id: `ins_${this.#now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
        villageId,
        lotId,
        at: this.#now(),
        inspector: actor.label,
        lotSize: lot.quantity,
        level: plan.level,
        aql: plan.aql,
        codeLetter: plan.planCodeLetter,
        sampleSize: plan.sampleSize,
        acceptNumber: plan.acceptNumber,
        rejectNumber: plan.rejectNumber,
        defects: n.defects,
        result,
        notes: n.notes,
      });
      if (result === 'non_conformant' && lot.status === 'available')
        await this.#s.setLotStatus(villageId, [lotId], 'on_hold', 'inspection');
      return record;
    });
  }

  // ── shipments ──

  async #shipment(villageId: string, id: string): Promise<StoredShipment> {
    const s = await this.#s.getShipment(villageId, id);
    if (!s) throw new ApiFailure('LUMBUNG_ERR_SHIPMENT_NOT_FOUND', { shipmentId: id });
    return s;
  }

  async #withLines(s: StoredShipment): Promise<ShipmentRecord> {
    const picks = await this.#s.listMovements(s.villageId, { shipmentId: s.id, kinds: ['pick'] });
    const lines = sumBy(picks, (p) => `${p.lotId}\u0000${p.fromRoomId}`);
    return {
      ...s,
      lines: [...lines].map(([key, quantity]) => {
        const [lotId = '', roomId = ''] = key.split('\u0000');
        return { lotId, roomId, quantity };
      }),
    };
  }

  async listShipments(villageId: string, q: { orderId?: string } = {}): Promise<ShipmentRecord[]> {
    await this.#village(villageId);
    const list = await this.#s.listShipments(villageId, q);
    return Promise.all(list.map((s) => this.#withLines(s)));
  }

  async shipment(villageId: string, id: string): Promise<ShipmentRecord> {
    return this.#withLines(await this.#shipment(villageId, id));
  }

  async createShipment(villageId: string, input: z.input<typeof NewShipment>, _actor: Actor): Promise<ShipmentRecord> {
    const n = parseInput(NewShipment, input);
    return this.#exclusive(villageId, async () => {
      const order = await this.#order(villageId, n.orderId);
      if (order.status === 'cancelled' || order.status === 'closed')
        throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `order ${order.id} is ${order.status}` });
      const count = (await this.#s.listShipments(villageId, { orderId: order.id })).length;
      const id = n.id ?? `${order.id}-k${count + 1}`;
      if (await this.#s.getShipment(villageId, id))
        throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `shipment ${id} exists` });
      const s = await this.#s.createShipment({
        villageId,
        id,
        orderId: order.id,
        destination: n.destination,
        status: 'preparing',
        createdAt: this.#now(),
        dispatchedAt: null,
        deliveredAt: null,
      });
      if (order.status === 'open') await this.#s.updateOrder(villageId, order.id, { status: 'in_production' });
      return this.#withLines(s);
    });
  }

  /** Picks a lot into a shipment: it must be the order's product, available, inspected and conformant, in stock. */
  async pick(
    villageId: string,
    shipmentId: string,
    p: { lotId: string; roomId: string; quantity: number },
    actor: Actor,
  ): Promise<ShipmentRecord> {
    return this.#exclusive(villageId, async () => {
      const s = await this.#shipment(villageId, shipmentId);
      if (s.status !== 'preparing')
        throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `shipment ${s.id} is ${s.status}` });
      const order = await this.#order(villageId, s.orderId);
      const lot = await this.getLot(villageId, p.lotId);
      if (lot.productId !== order.productId)
        throw invalidInput(`lot ${lot.id} is ${lot.productId}; order ${order.id} is for ${order.productId}`);
      await this.#requireInspected(villageId, lot);
      await this.#move(
        villageId,
        parseInput(NewMovement, { lotId: p.lotId, kind: 'pick', quantity: p.quantity, fromRoomId: p.roomId }),
        actor,
        s.id,
      );
      return this.#withLines(s);
    });
  }

  async #requireInspected(villageId: string, lot: LotRecord): Promise<void> {
    const last = (await this.#s.listInspections(villageId, { lotIds: [lot.id] })).at(-1);
    if (last?.result !== 'conformant')
      throw new ApiFailure('LUMBUNG_ERR_LOT_BLOCKED', {
        lotId: lot.id,
        status: last ? 'non_conformant' : 'not_inspected',
      });
  }

  async dispatch(villageId: string, shipmentId: string, _actor: Actor): Promise<ShipmentRecord> {
    return this.#exclusive(villageId, async () => {
      const s = await this.#withLines(await this.#shipment(villageId, shipmentId));
      if (s.status !== 'preparing')
        throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `shipment ${s.id} is ${s.status}` });
      if (s.lines.length === 0) throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: `shipment ${s.id} is empty` });
      // A lot held or recalled after it was picked stops the shipment.
      for (const line of s.lines) {
        const lot = await this.getLot(villageId, line.lotId);
        if (lot.status === 'on_hold' || lot.status === 'recalled')
          throw new ApiFailure('LUMBUNG_ERR_LOT_BLOCKED', { lotId: lot.id, status: lot.status });
      }
      const updated = await this.#s
        .updateShipment(villageId, s.id, 'preparing', { status: 'dispatched', dispatchedAt: this.#now() })
        .catch(registryFailure);
      const order = await this.order(villageId, s.orderId);
      if (order.totals.shipped >= order.quantity) await this.#s.updateOrder(villageId, order.id, { status: 'shipped' });
      return this.#withLines(updated);
    });
  }

  async deliver(villageId: string, shipmentId: string, _actor: Actor): Promise<ShipmentRecord> {
    return this.#exclusive(villageId, async () => {
      const s = await this.#shipment(villageId, shipmentId);
      const updated = await this.#s
        .updateShipment(villageId, s.id, 'dispatched', { status: 'delivered', deliveredAt: this.#now() })
        .catch(registryFailure);
      return this.#withLines(updated);
    });
  }

  // ── public ──

  /** What the cooperative publishes about a lot, for the trace page reached by its QR code. */
  async publicLot(villageId: string, lotId: string, baseUrl: string): Promise<PublicLotView> {
    const village = await this.deps.registry.getVillage(villageId);
    if (!village) throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId });
    const lot = await this.getLot(villageId, lotId);
    const [product, producer] = await Promise.all([
      this.#product(villageId, lot.productId),
      this.#producer(villageId, lot.producerId),
    ]);
    const coop = producer.cooperativeId ? await this.#s.getCooperative(villageId, producer.cooperativeId) : undefined;
    const publish = coop?.publish;
    const view: PublicLotView = {
      villageId,
      lotId: lot.id,
      product: { name: product.name, nameEn: product.nameEn, category: product.category, unit: product.unit },
      cooperative: { name: coop?.name ?? village.name, brand: coop?.brand ?? null },
      expiresOn: lot.expiresOn,
      status: lot.status,
      digitalLink: digitalLink({ gtin: product.gtin ?? undefined, lotId: lot.id, villageId, baseUrl }),
    };
    if (publish?.producerName)
      view.producer = {
        name: producer.name,
        ...(publish.producerStory ? { story: producer.story } : {}),
        ...(publish.producerPhoto ? { photoUrl: producer.photoUrl } : {}),
        ...(publish.producerVillage ? { village: producer.homeVillageName } : {}),
      };
    if (publish?.productionDate) view.producedOn = lot.producedOn;
    if (publish?.storageConditions) {
      const e = await this.exposure(villageId, lot.id);
      view.storage = {
        withinSpec: e.total.excursions === 0 && !e.inspect,
        rooms: e.stays.map((s) => ({
          name: s.roomName,
          from: s.from,
          to: s.to,
          temperature: s.temperature
            ? { min: s.temperature.min, max: s.temperature.max, mean: s.temperature.mean }
            : null,
          humidity: s.humidity ? { min: s.humidity.min, max: s.humidity.max, mean: s.humidity.mean } : null,
        })),
      };
    }
    if (publish?.inspectionResult) {
      const last = (await this.#s.listInspections(villageId, { lotIds: [lot.id] })).at(-1);
      if (last) view.inspection = { result: last.result, at: last.at };
    }
    return view;
  }

  /** The village and lot a GTIN + lot Digital Link names (GTIN as 14 digits). */
  async resolveGtin(gtin14: string, lotId: string): Promise<{ villageId: string; lotId: string } | undefined> {
    for (const v of await this.deps.registry.listVillages()) {
      const products = (await this.#s.listProducts(v.id)).filter((p) => p.gtin && p.gtin.padStart(14, '0') === gtin14);
      for (const p of products) {
        const lot = await this.#s.getLot(v.id, lotId);
        if (lot && lot.productId === p.id) return { villageId: v.id, lotId };
      }
    }
    return undefined;
  }

  /** Whether a buyer may see a lot: it belongs to one of their orders, or went into one. */
  async buyerMaySee(villageId: string, userId: string, lotId: string): Promise<boolean> {
    const orders = await this.#s.listOrders(villageId, { buyerUserId: userId });
    if (orders.length === 0) return false;
    const index = new TraceIndex(await this.#s.lotEdges(villageId));
    const orderIds = new Set(orders.map((o) => o.id));
    for (const l of index.forward(lotId).lots) {
      const lot = await this.#s.getLot(villageId, l.lotId);
      if (lot?.orderId && orderIds.has(lot.orderId)) return true;
    }
    return false;
  }
}

/** Stays of lots in rooms from their movements, oldest first. */
export function staysFromMovements(moves: readonly MovementRecord[]): Map<string, Stay[]> {
  const qty = new Map<string, number>();
  const open = new Map<string, Stay>();
  const out = new Map<string, Stay[]>();
  const change = (lotId: string, roomId: string | null, delta: number, at: number) => {
    if (roomId === null) return;
    const key = `${lotId}\u0000${roomId}`;
    const before = qty.get(key) ?? 0;
    const after = round(before + delta);
    qty.set(key, after);
    if (before <= 0 && after > 0) {
      const stay: Stay = { roomId, from: at, to: null };
      open.set(key, stay);
      const list = out.get(lotId) ?? [];
      list.push(stay);
      out.set(lotId, list);
    } else if (before > 0 && after <= 0) {
      const stay = open.get(key);
      if (stay) stay.to = at;
      open.delete(key);
    }
  };
  for (const m of moves) {
    if (m.kind === 'adjust') change(m.lotId, m.toRoomId, m.quantity, m.at);
    else {
      change(m.lotId, m.fromRoomId, -m.quantity, m.at);
      change(m.lotId, m.toRoomId, m.quantity, m.at);
    }
  }
  return out;
}

function mergeSorted(lists: Point[][]): Point[] {
  const nonEmpty = lists.filter((l) => l.length);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  return nonEmpty.flat().sort((a, b) => a.ts - b.ts);
}

function sumBy<T extends { quantity: number }>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), round((m.get(key(i)) ?? 0) + i.quantity));
  return m;
}

const round = (q: number): number => Math.round(q * 1e6) / 1e6;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

function holdKind(reason: string | null): 'inspection' | 'recall' | 'excursion' | 'manual' {
  if (!reason) return 'manual';
  if (reason === 'inspection') return 'inspection';
  if (reason.startsWith('recall')) return 'recall';
  if (reason.startsWith('excursion')) return 'excursion';
  return 'manual';
}

function checkGtin(gtin: string): void {
  try {
    normalizeGtin(gtin);
  } catch (err) {
    throw invalidInput((err as Error).message);
  }
}
