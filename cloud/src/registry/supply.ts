import type {
  AllocationLine,
  BulkOrderRecord,
  CooperativeRecord,
  InspectionRecord,
  LotRecord,
  LotStatus,
  MovementRecord,
  ProducerRecord,
  ProductRecord,
  ShipmentRecord,
} from '@lumbung/schemas';

/** A lot as stored: `expired` is never stored (the service reads it from `expiresOn`). */
export type StoredLot = Omit<LotRecord, 'status'> & { status: Exclude<LotStatus, 'expired'> };

/** A shipment as stored; its lines come from the pick movements that name it. */
export type StoredShipment = Omit<ShipmentRecord, 'lines'>;

export interface LotFilter {
  status?: Exclude<LotStatus, 'expired'>;
  productId?: string;
  producerId?: string;
  orderId?: string;
  ids?: readonly string[];
  /** false: leave `inputs` empty (a trace takes the edges from `lotEdges`); default true. */
  withInputs?: boolean;
}

/** Stock on hand of one lot in one room, and since when it has been there without a break. */
export interface OnHand {
  lotId: string;
  roomId: string;
  quantity: number;
}

/**
 * The supply-chain records of the registry (issue 5), on the registry's database: one port, the Prisma
 * adapter for SQLite and PostgreSQL, one contract suite (cloud/test/supply/store.contract.ts). The rules
 * (what may move, FEFO, allocation, sampling) live in the service (cloud/src/supply/service.ts); this port
 * keeps records and answers the queries the rules need. Writes check their record against its schema
 * (`RegistryError('invalid')`); a record that names a missing village is `not_found`, a taken id `conflict`.
 * Lists are in a stable order stated per method.
 */
export interface SupplyStore {
  /** By id. */
  listProducts(villageId: string): Promise<ProductRecord[]>;
  getProduct(villageId: string, id: string): Promise<ProductRecord | undefined>;
  upsertProduct(p: ProductRecord): Promise<ProductRecord>;

  listCooperatives(villageId: string): Promise<CooperativeRecord[]>;
  getCooperative(villageId: string, id: string): Promise<CooperativeRecord | undefined>;
  upsertCooperative(c: CooperativeRecord): Promise<CooperativeRecord>;

  /** By id. */
  listProducers(villageId: string, filter?: { cooperativeId?: string }): Promise<ProducerRecord[]>;
  getProducer(villageId: string, id: string): Promise<ProducerRecord | undefined>;
  upsertProducer(p: ProducerRecord): Promise<ProducerRecord>;

  /** Creates a lot with its inputs; `conflict` if the code is taken, `not_found` if an input lot is missing. */
  createLot(l: StoredLot): Promise<StoredLot>;
  getLot(villageId: string, id: string): Promise<StoredLot | undefined>;
  /** Newest production date first, then id. */
  listLots(villageId: string, filter?: LotFilter): Promise<StoredLot[]>;
  /** Codes of the village's lots that start with `prefix`, for making the next code. */
  lotCodesStartingWith(villageId: string, prefix: string): Promise<string[]>;
  /** Sets status and hold reason of lots; returns how many changed. */
  setLotStatus(
    villageId: string,
    ids: readonly string[],
    status: Exclude<LotStatus, 'expired'>,
    holdReason: string | null,
  ): Promise<number>;
  /** Every transformation edge of the village (`lotId` was made from `inputLotId`), for the trace. */
  lotEdges(villageId: string): Promise<{ lotId: string; inputLotId: string; quantity: number }[]>;

  /** Appends movements (all or none). Ids are made here. */
  addMovements(ms: readonly (Omit<MovementRecord, 'id'> & { actorUserId: string | null })[]): Promise<MovementRecord[]>;
  /** Oldest first (time, then id). */
  listMovements(
    villageId: string,
    filter?: { lotIds?: readonly string[]; shipmentId?: string; kinds?: readonly MovementRecord['kind'][] },
  ): Promise<MovementRecord[]>;
  /** Non-zero stock per lot and room, by lot then room. */
  onHand(villageId: string, filter?: { lotIds?: readonly string[]; roomId?: string }): Promise<OnHand[]>;

  createOrder(o: BulkOrderRecord): Promise<BulkOrderRecord>;
  getOrder(villageId: string, id: string): Promise<BulkOrderRecord | undefined>;
  /** Due date first, then id. */
  listOrders(villageId: string, filter?: { buyerUserId?: string }): Promise<BulkOrderRecord[]>;
  /** `not_found` for an unknown order. */
  updateOrder(
    villageId: string,
    id: string,
    patch: { status?: BulkOrderRecord['status']; allocations?: AllocationLine[]; minLotSize?: number },
  ): Promise<BulkOrderRecord>;

  addInspection(i: InspectionRecord): Promise<InspectionRecord>;
  /** Oldest first. */
  listInspections(villageId: string, filter?: { lotIds?: readonly string[] }): Promise<InspectionRecord[]>;

  createShipment(s: StoredShipment): Promise<StoredShipment>;
  getShipment(villageId: string, id: string): Promise<StoredShipment | undefined>;
  /** Newest first. */
  listShipments(villageId: string, filter?: { orderId?: string; ids?: readonly string[] }): Promise<StoredShipment[]>;
  /** Compare-and-set on the status: `conflict` if it is no longer `from`. */
  updateShipment(
    villageId: string,
    id: string,
    from: ShipmentRecord['status'],
    patch: Partial<Pick<StoredShipment, 'status' | 'dispatchedAt' | 'deliveredAt'>>,
  ): Promise<StoredShipment>;
}
