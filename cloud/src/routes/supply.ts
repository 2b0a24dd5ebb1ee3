import {
  CooperativeInput,
  CooperativeRecord,
  Id,
  InspectionInput,
  InspectionRecord,
  LotCode,
  LotDetail,
  LotExposure,
  LotRecord,
  LotStatus,
  LotTrace,
  NewLot,
  ProducerInput,
  ProducerRecord,
  ProductInput,
  ProductRecord,
  ReasonInput,
  RecallResult,
  SamplingPlanView,
  SUPPORTED_AQLS,
} from '@lumbung/schemas';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { GRANTS } from '../auth/permissions.ts';
import type { AuthenticatedPrincipal } from '../auth/service.ts';
import { ApiFailure, invalidInput } from '../errors.ts';
import { digitalLink, lotQrSvg } from '../supply/digital-link.ts';
import type { Actor, SupplyService } from '../supply/service.ts';
import { type Api, baseUrlOf, errors, type VillageAccess, VillageParams, villageAccess } from './common.ts';

// ── helpers shared by the supply-chain routes (supply.ts, stock.ts, orders.ts, public.ts) ──

export const LotParams = VillageParams.extend({ lotId: LotCode });

/** Who a write is recorded under (movements, inspections): the account and the name people know it by. */
export const actorOf = (p: AuthenticatedPrincipal): Actor => ({ userId: p.userId, label: p.username });

/**
 * Whether the caller reads the village's supply chain only as a buyer: their one role there that reads it
 * is `buyer` (a buyer who is also packing staff, or a platform admin, sees everything their other role does).
 */
export function buyerOnly(p: AuthenticatedPrincipal, villageId: string): boolean {
  if (p.isPlatformAdmin) return false;
  const roles = p.memberships.filter((m) => m.villageId === villageId).map((m) => m.role);
  return roles.includes('buyer') && !roles.some((r) => r !== 'buyer' && GRANTS[r].permissions.includes('supply.read'));
}

/**
 * The catalogue (products, cooperatives, producers), production lots with their storage exposure, trace,
 * EPCIS export and label QR, holds, recalls, inspections and the ISO 2859-1 sampling plan (issue 5).
 * `SupplyService` decides what may be done; these routes decide who may ask (docs/permissions.md).
 */
export async function supplyRoutes(api: Api, deps: AppDeps, supply: SupplyService): Promise<void> {
  const { registry } = deps;

  /**
   * Reads of one lot: `supply.read`, and a buyer reaches only the lots of their own orders and what went into
   * them; any other lot is "not found", exactly like a lot that does not exist, so lot codes reveal nothing
   * about other buyers' business.
   */
  const lotReader = async (req: FastifyRequest, villageId: string, lotId: string): Promise<VillageAccess> => {
    const access = await villageAccess(req, registry, villageId, 'supply.read');
    const { principal } = access;
    if (buyerOnly(principal, villageId) && !(await supply.buyerMaySee(villageId, principal.userId, lotId)))
      throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId });
    return access;
  };

  // ── catalogue ──

  /**
   * One kind of the catalogue: GET the list (`supply.read`) and PUT one by id (`catalogue.manage`; the `id`
   * in the body must be the one in the path, `rule` says what else the service checks). The routes see
   * the schemas untyped; `list` and `upsert` are typed by them at each call.
   */
  const catalogue = <Input extends { id: string }, Output>(kind: {
    path: string;
    idParam: string;
    input: z.ZodType<Input>;
    record: z.ZodType<Output>;
    listSummary: string;
    upsertSummary: string;
    rule?: string;
    list(villageId: string): Promise<Output[]>;
    upsert(villageId: string, input: Input): Promise<Output>;
  }) => {
    const record: z.ZodType = kind.record;
    const body: z.ZodType<{ id: string }> = kind.input;
    const params = z.object({ ...VillageParams.shape, [kind.idParam]: Id }) as z.ZodType<{
      villageId: string;
      [idParam: string]: string;
    }>;

    api.get(
      `/villages/:villageId/${kind.path}`,
      {
        schema: {
          tags: ['supply'],
          summary: kind.listSummary,
          description: 'Needs `supply.read`.',
          params: VillageParams,
          response: { 200: z.array(record), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        await villageAccess(req, registry, req.params.villageId, 'supply.read');
        return kind.list(req.params.villageId);
      },
    );

    api.put(
      `/villages/:villageId/${kind.path}/:${kind.idParam}`,
      {
        schema: {
          tags: ['supply'],
          summary: kind.upsertSummary,
          description: `Needs \`catalogue.manage\`. The \`id\` in the body must be the one in the path${kind.rule ? `; ${kind.rule}` : ''}.`,
          params,
          body,
          response: { 200: record, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (req) => {
        const { villageId, [kind.idParam]: id } = req.params;
        await villageAccess(req, registry, villageId, 'catalogue.manage');
        if (id !== req.body.id) throw invalidInput(`id "${req.body.id}" in the body is not "${id}"`);
        return kind.upsert(villageId, req.body as Input);
      },
    );
  };

  catalogue({
    path: 'products',
    idParam: 'productId',
    input: ProductInput,
    record: ProductRecord,
    listSummary: "The village's products: unit, shelf life, storage conditions, AQL, GTIN",
    upsertSummary: 'Create or replace a product',
    rule: 'a GTIN must have a correct check digit',
    list: (villageId) => supply.listProducts(villageId),
    upsert: (villageId, input) => supply.upsertProduct(villageId, input),
  });
  catalogue({
    path: 'cooperatives',
    idParam: 'cooperativeId',
    input: CooperativeInput,
    record: CooperativeRecord,
    listSummary: "The village's cooperatives (KUB) and what each publishes on its lots' trace page",
    upsertSummary: 'Create or replace a cooperative (KUB)',
    list: (villageId) => supply.listCooperatives(villageId),
    upsert: (villageId, input) => supply.upsertCooperative(villageId, input),
  });
  catalogue({
    path: 'producers',
    idParam: 'producerId',
    input: ProducerInput,
    record: ProducerRecord,
    listSummary: "The village's producers (UMKM, farmers): cooperative, home village, story, weekly capacities",
    upsertSummary: 'Create or replace a producer',
    rule: 'its cooperative and the products of its capacities must exist',
    list: (villageId) => supply.listProducers(villageId),
    upsert: (villageId, input) => supply.upsertProducer(villageId, input),
  });

  // ── lots ──

  api.get(
    '/villages/:villageId/lots',
    {
      schema: {
        tags: ['supply'],
        summary: 'Production lots, newest production first',
        description:
          'Needs `supply.read`. A buyer sees only the lots of their own orders and the lots those were made from. `expired` is read from the expiry date.',
        params: VillageParams,
        querystring: z.object({
          status: LotStatus.optional(),
          productId: Id.optional(),
          producerId: Id.optional(),
          orderId: Id.optional(),
        }),
        response: { 200: z.array(LotRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      const q = req.query;
      const lots = await supply.listLots(villageId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.productId ? { productId: q.productId } : {}),
        ...(q.producerId ? { producerId: q.producerId } : {}),
        ...(q.orderId ? { orderId: q.orderId } : {}),
      });
      if (!buyerOnly(access.principal, villageId)) return lots;
      const out: LotRecord[] = [];
      for (const l of lots) if (await supply.buyerMaySee(villageId, access.principal.userId, l.id)) out.push(l);
      return out;
    },
  );

  api.post(
    '/villages/:villageId/lots',
    {
      schema: {
        tags: ['supply'],
        summary: 'Record a production lot (and the lots it was made from)',
        description:
          'Needs `stock.manage`. Without `id` a code is made from the product and production date (`TA-261116-01`). The expiry date is the production date plus the product’s shelf life. The lot is not in stock until it is received (`POST /stock/movements`).',
        params: VillageParams,
        body: NewLot,
        response: { 201: LotRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'stock.manage');
      return reply.code(201).send(await supply.createLot(villageId, req.body, actorOf(principal)));
    },
  );

  api.get(
    '/villages/:villageId/lots/:lotId',
    {
      schema: {
        tags: ['supply'],
        summary: 'One lot: stock by room, inspections, storage exposure, Digital Link, days to expiry',
        description: 'Needs `supply.read`; a buyer only for a lot of their orders (else 404).',
        params: LotParams,
        response: { 200: LotDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      await lotReader(req, villageId, lotId);
      return supply.lotDetail(villageId, lotId, baseUrlOf(req, deps.publicUrl));
    },
  );

  api.get(
    '/villages/:villageId/lots/:lotId/exposure',
    {
      schema: {
        tags: ['supply'],
        summary: 'Temperature and humidity the lot went through in each storage room, against its product’s spec',
        description:
          'Needs `supply.read`. From the readings of the rooms’ sensors in the time-series store: min, max, time-weighted mean, mean kinetic temperature (USP <1079.2>), time outside the spec and excursions, per stay and in total; `inspect` when the policy in docs/supply-chain-calculations.md asks for a look.',
        params: LotParams,
        response: { 200: LotExposure, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      await lotReader(req, villageId, lotId);
      return supply.exposure(villageId, lotId);
    },
  );

  api.get(
    '/villages/:villageId/lots/:lotId/trace',
    {
      schema: {
        tags: ['supply'],
        summary: 'Trace a lot backward (what it was made from) or forward (what was made from it, and who got it)',
        description:
          'Needs `supply.read`. A buyer sees only the lots, shipments and buyer of their own orders in the trace.',
        params: LotParams,
        querystring: z.object({ direction: z.enum(['backward', 'forward']).default('backward') }),
        response: { 200: LotTrace, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      const access = await lotReader(req, villageId, lotId);
      const trace = await supply.trace(villageId, lotId, req.query.direction);
      if (!buyerOnly(access.principal, villageId)) return trace;
      // Other lots made from the same inputs, and where they went, are other buyers' business.
      const userId = access.principal.userId;
      const mine = new Set((await registry.supply.listOrders(villageId, { buyerUserId: userId })).map((o) => o.id));
      const visible = new Set<string>();
      for (const n of trace.nodes) if (await supply.buyerMaySee(villageId, userId, n.lotId)) visible.add(n.lotId);
      const shipments = trace.shipments.filter((s) => mine.has(s.orderId));
      return {
        ...trace,
        nodes: trace.nodes.filter((n) => visible.has(n.lotId)),
        edges: trace.edges.filter((e) => visible.has(e.from) && visible.has(e.to)),
        shipments,
        buyers: [...new Set(shipments.map((s) => s.buyerName))].sort(),
      };
    },
  );

  api.get(
    '/villages/:villageId/lots/:lotId/epcis',
    {
      schema: {
        tags: ['supply'],
        summary: 'The lot’s history as a GS1 EPCIS 2.0 document (JSON-LD)',
        description:
          'Needs `supply.read`. `application/ld+json`: commissioning of the lot and of every lot it was made from, the transformation, storing with the room conditions as sensor reports, inspections, a hold or recall, packing and shipping. Identifiers are GS1 Digital Links when the product has a GTIN (docs/epcis.md).',
        params: LotParams,
        response: {
          200: z.record(z.string(), z.unknown()).describe('EPCISDocument, application/ld+json'),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { villageId, lotId } = req.params;
      await lotReader(req, villageId, lotId);
      const doc = await supply.epcis(villageId, lotId, baseUrlOf(req, deps.publicUrl));
      return reply.type('application/ld+json; charset=utf-8').send(doc as unknown as Record<string, unknown>);
    },
  );

  api.get(
    '/villages/:villageId/lots/:lotId/qr.svg',
    {
      schema: {
        tags: ['supply'],
        summary:
          'The QR code for the lot’s label (SVG): its GS1 Digital Link, or the platform’s lot URL without a GTIN',
        description: 'Needs `supply.read`. `image/svg+xml`; error correction M and a 4-module quiet zone, for print.',
        params: LotParams,
        response: { 200: z.string().describe('image/svg+xml'), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { villageId, lotId } = req.params;
      await lotReader(req, villageId, lotId);
      const lot = await supply.getLot(villageId, lotId);
      const product = await registry.supply.getProduct(villageId, lot.productId);
      const url = digitalLink({ baseUrl: baseUrlOf(req, deps.publicUrl), villageId, lotId, gtin: product?.gtin });
      return reply.type('image/svg+xml; charset=utf-8').send(await lotQrSvg(url));
    },
  );

  api.post(
    '/villages/:villageId/lots/:lotId/hold',
    {
      schema: {
        tags: ['supply'],
        summary: 'Put a lot on hold: it may not be picked or shipped until released',
        description: 'Needs `quality.inspect`. A recalled lot cannot be put on hold (409).',
        params: LotParams,
        body: ReasonInput,
        response: { 200: LotRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'quality.inspect');
      return supply.setHold(villageId, lotId, true, req.body.reason, actorOf(principal));
    },
  );

  api.post(
    '/villages/:villageId/lots/:lotId/release',
    {
      schema: {
        tags: ['supply'],
        summary: 'Release a lot from hold',
        description: 'Needs `quality.inspect`. Only a lot on hold can be released (409 otherwise).',
        params: LotParams,
        body: z.object({}).nullish(),
        response: { 200: LotRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'quality.inspect');
      return supply.setHold(villageId, lotId, false, null, actorOf(principal));
    },
  );

  api.post(
    '/villages/:villageId/lots/:lotId/recall',
    {
      schema: {
        tags: ['supply'],
        summary: 'Recall a lot: it is recalled, everything made from it goes on hold; lists the buyers to notify',
        description: 'Needs `lot.recall`. Recorded in the audit log (`lot.recalled`).',
        params: LotParams,
        body: ReasonInput,
        response: { 200: RecallResult, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, lotId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'lot.recall');
      const result = await supply.recall(villageId, lotId, req.body.reason, actorOf(principal));
      await deps.auth?.auditBy(principal, req.ip, {
        action: 'lot.recalled',
        villageId,
        targetType: 'lot',
        targetId: lotId,
        details: {
          reason: req.body.reason,
          affectedLots: result.affectedLots,
          shipments: result.shipments.map((s) => s.shipmentId),
          buyers: result.buyers,
        },
      });
      return result;
    },
  );

  api.post(
    '/villages/:villageId/lots/:lotId/inspections',
    {
      schema: {
        tags: ['supply'],
        summary: 'Record a quality inspection by ISO 2859-1 sampling; a non-conformant lot goes on hold',
        description:
          'Needs `quality.inspect`. The plan (sample size, accept and reject numbers) follows from the lot size and the AQL (the product’s unless given), general level II, normal inspection; `defects` nonconforming items in the sample decide the result.',
        params: LotParams,
        body: InspectionInput,
        response: { 201: InspectionRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId, lotId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'quality.inspect');
      return reply.code(201).send(await supply.inspect(villageId, lotId, req.body, actorOf(principal)));
    },
  );

  api.get(
    '/villages/:villageId/sampling-plan',
    {
      schema: {
        tags: ['supply'],
        summary: 'The ISO 2859-1 single sampling plan for a lot size and AQL (normal inspection, level II)',
        description: 'Needs `supply.read`. ISO 2859-1:1999 Table 1 (code letter) and Table 2-A (sample size, Ac, Re).',
        params: VillageParams,
        querystring: z.object({
          lotSize: z.coerce.number().int().min(1).max(1e9).describe('Units in the lot'),
          aql: z.coerce
            .number()
            .refine((v) => (SUPPORTED_AQLS as readonly number[]).includes(v), {
              message: `AQL must be one of ${SUPPORTED_AQLS.join(', ')}`,
            })
            .describe('Acceptance quality limit, % nonconforming'),
        }),
        response: { 200: SamplingPlanView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await villageAccess(req, registry, req.params.villageId, 'supply.read');
      return supply.samplingPlan(req.query.lotSize, req.query.aql);
    },
  );
}
