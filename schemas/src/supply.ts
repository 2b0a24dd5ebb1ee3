import { z } from 'zod';
import { Id, VillageId } from './ids.ts';
import { ScenarioSiteId } from './scenario.ts';

/**
 * The supply chain (issue 5): the catalogue (products, cooperatives, producers), production lots and
 * what they were made from, packing-house stock and its movements, KUB bulk orders and their allocation,
 * quality inspections, shipments, and the trace of a lot. docs/supply-chain.md explains the model.
 *
 * Ownership: every record belongs to one village, the home of the cooperative and its packing house.
 * A producer may live in another village (`homeVillageId`); their lots are still recorded here.
 */

const EpochMs = z.number().int().describe('Epoch milliseconds, UTC');
const LocalDate = z.iso.date().describe('Local date in the village, YYYY-MM-DD');
const Quantity = z.number().positive().max(1e9);
const Text = (max: number) => z.string().trim().min(1).max(max);

/** Lot codes are human-readable and fit GS1 AI (10) (at most 20 characters): `TAT-261115-01`. */
export const LotCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'upper-case letters, digits and "-", 1-20 characters (GS1 AI 10)')
  .describe('Lot code, unique within the village');
export type LotCode = z.infer<typeof LotCode>;

export const PRODUCT_CATEGORIES = ['makanan', 'kerajinan', 'hasil_tani'] as const;
export const ProductCategory = z.enum(PRODUCT_CATEGORIES);
export const PRODUCT_UNITS = ['pack', 'pcs', 'kg', 'litre'] as const;
export const ProductUnit = z.enum(PRODUCT_UNITS);
export type ProductUnit = z.infer<typeof ProductUnit>;

/** GTIN-8, -12, -13 or -14 (digits only; the check digit is verified by the cloud). */
export const Gtin = z.string().regex(/^(\d{8}|\d{12}|\d{13}|\d{14})$/, 'GTIN of 8, 12, 13 or 14 digits');

export const StorageSpec = z
  .object({
    temperatureMin: z.number().min(-40).max(60).nullable(),
    temperatureMax: z.number().min(-40).max(60).nullable(),
    humidityMin: z.number().min(0).max(100).nullable(),
    humidityMax: z.number().min(0).max(100).nullable(),
  })
  .describe('Storage conditions the product needs: °C and % relative humidity; null = no limit');
export type StorageSpec = z.infer<typeof StorageSpec>;

export const SUPPORTED_AQLS = [0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10] as const;
export const Aql = z
  .number()
  .refine((v) => (SUPPORTED_AQLS as readonly number[]).includes(v), {
    message: `AQL must be one of ${SUPPORTED_AQLS.join(', ')}`,
  })
  .describe('Acceptance quality limit, % nonconforming (ISO 2859-1)');

export const ProductInput = z.object({
  id: Id,
  name: Text(120),
  nameEn: Text(120).nullable().default(null),
  category: ProductCategory,
  unit: ProductUnit,
  gtin: Gtin.nullable().default(null),
  shelfLifeDays: z.number().int().min(1).max(3650),
  storage: StorageSpec,
  aql: Aql.default(2.5),
  unitWeightKg: z
    .number()
    .positive()
    .max(10_000)
    .nullable()
    .default(null)
    .describe('Net weight of one unit, kg: for indicators per kg of product (a kg product: 1)'),
  minRemainingShelfLifeDays: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(0)
    .describe('A lot is picked only with at least this many days of shelf life left'),
});
export type ProductInput = z.input<typeof ProductInput>;
export const ProductRecord = ProductInput.extend({ villageId: VillageId });
export type ProductRecord = z.infer<typeof ProductRecord>;

/** What the public trace page of a cooperative's lots may show. */
export const PublishSettings = z.object({
  producerName: z.boolean(),
  producerStory: z.boolean(),
  producerPhoto: z.boolean(),
  producerVillage: z.boolean(),
  productionDate: z.boolean(),
  storageConditions: z.boolean(),
  inspectionResult: z.boolean(),
});
export type PublishSettings = z.infer<typeof PublishSettings>;
export const PUBLISH_ALL: PublishSettings = {
  producerName: true,
  producerStory: true,
  producerPhoto: true,
  producerVillage: true,
  productionDate: true,
  storageConditions: true,
  inspectionResult: true,
};

export const CooperativeInput = z.object({
  id: Id,
  name: Text(120),
  brand: Text(120).nullable().default(null),
  publish: PublishSettings.default(PUBLISH_ALL),
});
export type CooperativeInput = z.input<typeof CooperativeInput>;
export const CooperativeRecord = CooperativeInput.extend({ villageId: VillageId });
export type CooperativeRecord = z.infer<typeof CooperativeRecord>;

export const ProducerCapacity = z.object({
  productId: Id,
  weeklyCapacity: z.number().int().min(0).max(1e7).describe('Units of the product per week'),
});
export const ProducerInput = z.object({
  id: Id,
  name: Text(120),
  kind: z.enum(['umkm', 'farmer']),
  cooperativeId: Id.nullable().default(null),
  homeVillageId: VillageId.nullable().default(null).describe('Where the producer lives, if it is on the platform'),
  homeVillageName: Text(120).describe('Village name for the maker’s story'),
  story: z.string().trim().max(2000).nullable().default(null).describe('Cerita pengrajin'),
  photoUrl: z
    .string()
    .max(200_000)
    .regex(/^(https:\/\/|data:image\/(png|jpeg|webp|svg\+xml);base64,)/, 'https URL or a data:image URI')
    .nullable()
    .default(null),
  userId: z.string().max(64).nullable().default(null).describe('Their account, if they sign in'),
  capacities: z.array(ProducerCapacity).max(100).default([]),
});
export type ProducerInput = z.input<typeof ProducerInput>;
export const ProducerRecord = ProducerInput.extend({ villageId: VillageId });
export type ProducerRecord = z.infer<typeof ProducerRecord>;

export const LOT_STATUSES = ['available', 'on_hold', 'recalled', 'expired'] as const;
export const LotStatus = z.enum(LOT_STATUSES);
export type LotStatus = z.infer<typeof LotStatus>;

export const LotInputRef = z.object({ lotId: LotCode, quantity: Quantity });

export const NewLot = z.object({
  id: LotCode.optional().describe('Leave out to have one made from the product and date'),
  productId: Id,
  producerId: Id,
  originSiteId: ScenarioSiteId.nullable().default(null).describe('Plot (harvest) where it was grown'),
  originNote: z.string().trim().max(200).nullable().default(null).describe('Kitchen or workshop'),
  quantity: Quantity,
  producedOn: LocalDate,
  orderId: Id.nullable().default(null),
  packaging: z.enum(['eco', 'standard']).default('standard'),
  inputs: z.array(LotInputRef).max(200).default([]).describe('Lots it was made from'),
});
export type NewLot = z.input<typeof NewLot>;

export const LotRecord = z.object({
  villageId: VillageId,
  id: LotCode,
  productId: Id,
  producerId: Id,
  originSiteId: ScenarioSiteId.nullable(),
  originNote: z.string().nullable(),
  quantity: z.number(),
  unit: ProductUnit,
  producedOn: LocalDate,
  expiresOn: LocalDate,
  status: LotStatus.describe('`expired` is set on reading once the expiry date has passed'),
  holdReason: z.string().nullable(),
  orderId: Id.nullable(),
  packaging: z.enum(['eco', 'standard']),
  createdAt: EpochMs,
  inputs: z.array(LotInputRef),
});
export type LotRecord = z.infer<typeof LotRecord>;

export const MOVEMENT_KINDS = ['receive', 'move', 'pick', 'adjust', 'dispose'] as const;
export const MovementKind = z.enum(MOVEMENT_KINDS);
export type MovementKind = z.infer<typeof MovementKind>;

/**
 * A stock movement. receive: into `toRoomId`; move: `fromRoomId` → `toRoomId`; pick (to a shipment)
 * and dispose: out of `fromRoomId`; adjust: a signed correction in `toRoomId` (a count found more or
 * fewer). Quantities are positive except an adjust's; adjust and dispose need a reason.
 */
export const NewMovement = z.object({
  lotId: LotCode,
  kind: MovementKind,
  quantity: z.number().refine((v) => v !== 0 && Math.abs(v) <= 1e9, 'a non-zero quantity'),
  fromRoomId: ScenarioSiteId.nullable().default(null),
  toRoomId: ScenarioSiteId.nullable().default(null),
  reason: z.string().trim().max(300).nullable().default(null),
  at: EpochMs.optional().describe('When it happened (default: now); not in the future'),
});
export type NewMovement = z.input<typeof NewMovement>;
export const MovementRecord = z.object({
  id: z.string(),
  villageId: VillageId,
  lotId: LotCode,
  kind: MovementKind,
  quantity: z.number(),
  fromRoomId: z.string().nullable(),
  toRoomId: z.string().nullable(),
  reason: z.string().nullable(),
  shipmentId: z.string().nullable(),
  at: EpochMs,
  actorLabel: z.string(),
});
export type MovementRecord = z.infer<typeof MovementRecord>;

export const StockLine = z.object({
  lotId: LotCode,
  roomId: z.string(),
  productId: Id,
  producerId: Id,
  quantity: z.number(),
  producedOn: LocalDate,
  expiresOn: LocalDate,
  status: LotStatus,
  since: EpochMs.describe('When the lot came into this room'),
});
export type StockLine = z.infer<typeof StockLine>;

export const ORDER_STATUSES = ['open', 'in_production', 'shipped', 'closed', 'cancelled'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export const NewBulkOrder = z.object({
  id: Id.optional(),
  cooperativeId: Id,
  buyerName: Text(120),
  buyerUserId: z.string().max(64).nullable().default(null).describe('The buyer’s account, to see this order'),
  productId: Id,
  quantity: z.number().int().positive().max(1e9),
  dueDate: LocalDate,
  pricePerUnit: z.number().min(0).max(1e10).describe('Rupiah per unit'),
  minLotSize: z.number().int().min(0).max(1e9).default(0).describe('Smallest quota worth a member’s while'),
});
export type NewBulkOrder = z.input<typeof NewBulkOrder>;
export const AllocationLine = z.object({
  producerId: Id,
  quota: z.number().int().min(0),
  adjusted: z.boolean().describe('Changed by the coordinator after the computed split'),
});
export type AllocationLine = z.infer<typeof AllocationLine>;
export const BulkOrderRecord = NewBulkOrder.extend({
  id: Id,
  villageId: VillageId,
  status: OrderStatus,
  createdAt: EpochMs,
  allocations: z.array(AllocationLine),
});
export type BulkOrderRecord = z.infer<typeof BulkOrderRecord>;

export const InspectionInput = z.object({
  defects: z.number().int().min(0).max(1e7).describe('Nonconforming items found in the sample'),
  aql: Aql.optional().describe('Default: the product’s AQL'),
  notes: z.string().trim().max(1000).nullable().default(null),
});
export const InspectionRecord = z.object({
  id: z.string(),
  villageId: VillageId,
  lotId: LotCode,
  at: EpochMs,
  inspector: z.string(),
  lotSize: z.number(),
  level: z.string(),
  aql: z.number(),
  codeLetter: z.string(),
  sampleSize: z.number().int(),
  acceptNumber: z.number().int(),
  rejectNumber: z.number().int(),
  defects: z.number().int(),
  result: z.enum(['conformant', 'non_conformant']),
  notes: z.string().nullable(),
});
export type InspectionRecord = z.infer<typeof InspectionRecord>;

export const SHIPMENT_STATUSES = ['preparing', 'dispatched', 'delivered', 'cancelled'] as const;
export const ShipmentStatus = z.enum(SHIPMENT_STATUSES);
export const NewShipment = z.object({
  id: Id.optional(),
  orderId: Id,
  destination: Text(200).nullable().default(null),
});
export const ShipmentLine = z.object({ lotId: LotCode, roomId: z.string(), quantity: z.number() });
export const ShipmentRecord = z.object({
  id: Id,
  villageId: VillageId,
  orderId: Id,
  destination: z.string().nullable(),
  status: ShipmentStatus,
  createdAt: EpochMs,
  dispatchedAt: EpochMs.nullable(),
  deliveredAt: EpochMs.nullable(),
  lines: z.array(ShipmentLine),
});
export type ShipmentRecord = z.infer<typeof ShipmentRecord>;

export type HoldReason = 'inspection' | 'recall' | 'excursion' | 'manual';

/** Why a lot is put on hold or recalled (by a person). */
export const ReasonInput = z.object({ reason: z.string().trim().min(1).max(300) });

/** An ISO 2859-1 single sampling plan, normal inspection (GET …/sampling-plan). */
export const SamplingPlanView = z.object({
  codeLetter: z.string().describe('Sample size code letter of ISO 2859-1 Table 1 for the lot size and level'),
  planCodeLetter: z.string().describe('The letter whose plan applies (differs where Table 2-A has an arrow)'),
  sampleSize: z.number().int(),
  acceptNumber: z.number().int(),
  rejectNumber: z.number().int(),
  aql: z.number(),
  level: z.string(),
  lotSize: z.number().int(),
  wholeLot: z.boolean().describe('The sample is the whole lot: inspect every unit'),
});
export type SamplingPlanView = z.infer<typeof SamplingPlanView>;

/** A FEFO pick list (GET …/stock/pick-suggestions). */
export const PickSuggestion = z.object({
  picks: z.array(z.object({ lotId: LotCode, roomId: z.string(), quantity: z.number() })).describe('FEFO order'),
  short: z.number().describe('Units the eligible stock cannot cover'),
  skipped: z.array(
    z.object({
      lotId: LotCode,
      roomId: z.string(),
      reason: z.enum(['status', 'expired', 'shelf_life']).describe('The first reason the stock was not eligible'),
    }),
  ),
});
export type PickSuggestion = z.infer<typeof PickSuggestion>;

// ---- Views the API returns (computed, not stored) ----

const Stat = z.object({ min: z.number(), max: z.number(), mean: z.number() });

/** Conditions of one stay of a lot in a room, from that room's readings in the time-series store. */
export const StayExposure = z.object({
  roomId: z.string(),
  roomName: z.string(),
  from: EpochMs,
  to: EpochMs.nullable().describe('null while the lot is still in the room'),
  temperature: Stat.extend({ mkt: z.number().nullable(), outsideMs: z.number(), excursions: z.number().int() })
    .nullable()
    .describe('°C; null without readings'),
  humidity: Stat.extend({ outsideMs: z.number(), excursions: z.number().int() }).nullable().describe('%'),
  noDataMs: z.number(),
});
export type StayExposure = z.infer<typeof StayExposure>;

export const LotExposure = z.object({
  lotId: LotCode,
  spec: StorageSpec,
  stays: z.array(StayExposure),
  total: z.object({
    temperatureOutsideMs: z.number(),
    humidityOutsideMs: z.number(),
    excursions: z.number().int(),
    mkt: z.number().nullable(),
    minTemperature: z.number().nullable(),
    maxTemperature: z.number().nullable(),
  }),
  inspect: z.boolean().describe('A serious excursion: the lot should be inspected'),
  reasons: z
    .array(z.string())
    .describe(
      'Reason codes: temperature_outside_total, temperature_excursion_long, temperature_mkt_above_max, humidity_outside_total, temperature_no_data, humidity_no_data',
    ),
});
export type LotExposure = z.infer<typeof LotExposure>;

export const LotDetail = LotRecord.extend({
  productName: z.string(),
  producerName: z.string(),
  stock: z.array(z.object({ roomId: z.string(), quantity: z.number(), since: EpochMs })),
  onHand: z.number(),
  inspections: z.array(InspectionRecord),
  exposure: LotExposure.nullable(),
  digitalLink: z.string().describe('GS1 Digital Link URI (GTIN + lot) or the platform resolver URL'),
  daysToExpiry: z.number().int(),
});
export type LotDetail = z.infer<typeof LotDetail>;

export const TraceNode = z.object({
  lotId: LotCode,
  depth: z.number().int().describe('0: the lot asked for; 1: its inputs (backward) or products (forward)'),
  productId: Id,
  productName: z.string(),
  producerId: Id,
  producerName: z.string(),
  producerVillage: z.string(),
  originSiteId: z.string().nullable(),
  originNote: z.string().nullable(),
  quantity: z.number(),
  unit: ProductUnit,
  producedOn: LocalDate,
  expiresOn: LocalDate,
  status: LotStatus,
  stays: z.array(StayExposure).describe('Rooms and their conditions (only on the lot asked for and its inputs)'),
  inspections: z.array(InspectionRecord.pick({ at: true, result: true, defects: true, sampleSize: true })),
});
export const TraceShipment = z.object({
  shipmentId: Id,
  orderId: Id,
  buyerName: z.string(),
  status: ShipmentStatus,
  dispatchedAt: EpochMs.nullable(),
  lots: z.array(z.object({ lotId: LotCode, quantity: z.number() })),
});
export const LotTrace = z.object({
  lotId: LotCode,
  direction: z.enum(['backward', 'forward']),
  nodes: z.array(TraceNode),
  edges: z.array(z.object({ from: LotCode, to: LotCode, quantity: z.number() }).describe('`to` was made from `from`')),
  shipments: z.array(TraceShipment),
  buyers: z.array(z.string()).describe('Buyers who received any of the lots'),
});
export type LotTrace = z.infer<typeof LotTrace>;

export const RecallResult = z.object({
  lotId: LotCode,
  affectedLots: z.array(LotCode).describe('The lot and everything made from it, now recalled or on hold'),
  shipments: z.array(TraceShipment),
  buyers: z.array(z.string()).describe('Buyers to notify'),
});

export const ProducerProgress = z.object({
  producerId: Id,
  producerName: z.string(),
  quota: z.number().int(),
  produced: z.number(),
  inspected: z.number().describe('Conformant lots'),
  packed: z.number().describe('Picked into shipments'),
  shipped: z.number(),
  atRisk: z.boolean(),
});
export const OrderDetail = BulkOrderRecord.extend({
  productName: z.string(),
  unit: ProductUnit,
  valueIdr: z.number(),
  progress: z.array(ProducerProgress),
  totals: z.object({ produced: z.number(), inspected: z.number(), packed: z.number(), shipped: z.number() }),
  lateRisk: z.object({
    atRisk: z.boolean(),
    daysLeft: z.number().int(),
    reasons: z.array(z.object({ id: z.string(), en: z.string() })),
  }),
});
export type OrderDetail = z.infer<typeof OrderDetail>;

/** The public trace page: only what the cooperative chose to publish (absent fields are not published). */
export const PublicLotView = z.object({
  villageId: VillageId,
  lotId: LotCode,
  product: z.object({ name: z.string(), nameEn: z.string().nullable(), category: ProductCategory, unit: ProductUnit }),
  cooperative: z.object({ name: z.string(), brand: z.string().nullable() }),
  producer: z
    .object({
      name: z.string(),
      story: z.string().nullable().optional(),
      photoUrl: z.string().nullable().optional(),
      village: z.string().optional(),
    })
    .optional(),
  producedOn: LocalDate.optional(),
  expiresOn: LocalDate,
  status: LotStatus,
  storage: z
    .object({
      withinSpec: z.boolean(),
      rooms: z.array(
        z.object({
          name: z.string(),
          from: EpochMs,
          to: EpochMs.nullable(),
          temperature: Stat.nullable(),
          humidity: Stat.nullable(),
        }),
      ),
    })
    .optional(),
  inspection: z.object({ result: z.enum(['conformant', 'non_conformant']), at: EpochMs }).optional(),
  digitalLink: z.string(),
});
export type PublicLotView = z.infer<typeof PublicLotView>;

/** Stock expiring soon and lots whose storage exposure asks for an inspection (GET …/stock/warnings). */
export const StockWarnings = z.object({
  expiring: z.array(StockLine),
  exposure: z.array(z.object({ lotId: LotCode, reasons: LotExposure.shape.reasons })),
});
export type StockWarnings = z.infer<typeof StockWarnings>;
