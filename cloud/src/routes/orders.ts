import { Id, LotCode, NewBulkOrder, NewShipment, OrderDetail, ScenarioSiteId, ShipmentRecord } from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { type DispatchNoteInput, dispatchNotePdf } from '../documents/dispatch-note.ts';
import { ApiFailure, negotiateLanguage } from '../errors.ts';
import { digitalLink } from '../supply/digital-link.ts';
import type { SupplyService } from '../supply/service.ts';
import { type Api, baseUrlOf, errors, sendFile, type VillageAccess, VillageParams, villageAccess } from './common.ts';
import { actorOf, buyerOnly } from './supply.ts';

const OrderParams = VillageParams.extend({ orderId: Id });
const ShipmentParams = VillageParams.extend({ shipmentId: Id });

/**
 * KUB bulk orders with their allocation among members (largest remainder, capped by what each can make by
 * the due date), and the shipments that fill them: picks (FEFO, inspected and available lots only),
 * dispatch, delivery and the dispatch note (surat jalan) as PDF. A buyer sees only their own orders and
 * those orders' shipments; anything else is "not found", as if it did not exist.
 */
export async function orderRoutes(api: Api, deps: AppDeps, supply: SupplyService): Promise<void> {
  const { registry } = deps;

  /** The order, if the caller may see it: a buyer only their own (others are 404, like unknown ids). */
  const visibleOrder = async (access: VillageAccess, villageId: string, orderId: string): Promise<OrderDetail> => {
    const order = await supply.order(villageId, orderId);
    if (buyerOnly(access.principal, villageId) && order.buyerUserId !== access.principal.userId)
      throw new ApiFailure('LUMBUNG_ERR_ORDER_NOT_FOUND', { orderId });
    return order;
  };

  const visibleShipment = async (access: VillageAccess, villageId: string, shipmentId: string) => {
    const shipment = await supply.shipment(villageId, shipmentId);
    if (buyerOnly(access.principal, villageId)) {
      const order = await registry.supply.getOrder(villageId, shipment.orderId);
      if (order?.buyerUserId !== access.principal.userId)
        throw new ApiFailure('LUMBUNG_ERR_SHIPMENT_NOT_FOUND', { shipmentId });
    }
    return shipment;
  };

  // ── orders ──

  api.get(
    '/villages/:villageId/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Bulk orders with allocation, progress per member, totals and late risk; due date first',
        description: 'Needs `supply.read`. A buyer sees only the orders made out to their account.',
        params: VillageParams,
        response: { 200: z.array(OrderDetail), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      return supply.listOrders(
        villageId,
        buyerOnly(access.principal, villageId) ? { buyerUserId: access.principal.userId } : {},
      );
    },
  );

  api.post(
    '/villages/:villageId/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Take a bulk order; it is split among the cooperative’s members at once',
        description:
          'Needs `order.manage`. Quotas by the largest remainder method over what each member can make by the due date (weekly capacity × weeks left, less two packing days); members below `minLotSize` get none.',
        params: VillageParams,
        body: NewBulkOrder,
        response: { 201: OrderDetail, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'order.manage');
      return reply.code(201).send(await supply.createOrder(villageId, req.body, actorOf(principal)));
    },
  );

  api.get(
    '/villages/:villageId/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: 'One bulk order',
        description: 'Needs `supply.read`; a buyer only their own orders (else 404).',
        params: OrderParams,
        response: { 200: OrderDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, orderId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      return visibleOrder(access, villageId, orderId);
    },
  );

  api.post(
    '/villages/:villageId/orders/:orderId/allocate',
    {
      schema: {
        tags: ['orders'],
        summary: 'Compute the split among members again (capacities or the due date changed)',
        description: 'Needs `order.manage`. Replaces the coordinator’s adjustments.',
        params: OrderParams,
        body: z.object({ minLotSize: z.number().int().min(0).max(1e9).optional() }),
        response: { 200: OrderDetail, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, orderId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'order.manage');
      return supply.reallocate(villageId, orderId, req.body.minLotSize, actorOf(principal));
    },
  );

  api.put(
    '/villages/:villageId/orders/:orderId/allocation',
    {
      schema: {
        tags: ['orders'],
        summary: 'Set the quotas by hand (the coordinator’s adjustment)',
        description:
          'Needs `order.manage`. Every producer must be a member of the order’s cooperative, once; quotas may not add up to more than the order.',
        params: OrderParams,
        body: z.object({
          allocations: z.array(z.object({ producerId: Id, quota: z.number().int().min(0).max(1e9) })).max(500),
        }),
        response: { 200: OrderDetail, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, orderId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'order.manage');
      return supply.adjustAllocation(villageId, orderId, req.body.allocations, actorOf(principal));
    },
  );

  // ── shipments ──

  api.get(
    '/villages/:villageId/shipments',
    {
      schema: {
        tags: ['orders'],
        summary: 'Shipments with their lines (lot, room, quantity), newest first',
        description: 'Needs `supply.read`. A buyer sees only the shipments of their own orders.',
        params: VillageParams,
        querystring: z.object({ orderId: Id.optional() }),
        response: { 200: z.array(ShipmentRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      const list = await supply.listShipments(villageId, req.query.orderId ? { orderId: req.query.orderId } : {});
      if (!buyerOnly(access.principal, villageId)) return list;
      const mine = new Set(
        (await registry.supply.listOrders(villageId, { buyerUserId: access.principal.userId })).map((o) => o.id),
      );
      return list.filter((s) => mine.has(s.orderId));
    },
  );

  api.post(
    '/villages/:villageId/shipments',
    {
      schema: {
        tags: ['orders'],
        summary: 'Start a shipment for an order (status preparing)',
        description: 'Needs `shipment.manage`. Without `id` one is made from the order (`po-0001-k1`).',
        params: VillageParams,
        body: NewShipment,
        response: { 201: ShipmentRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'shipment.manage');
      return reply.code(201).send(await supply.createShipment(villageId, req.body, actorOf(principal)));
    },
  );

  api.get(
    '/villages/:villageId/shipments/:shipmentId',
    {
      schema: {
        tags: ['orders'],
        summary: 'One shipment',
        description: 'Needs `supply.read`; a buyer only the shipments of their own orders (else 404).',
        params: ShipmentParams,
        response: { 200: ShipmentRecord, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, shipmentId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      return visibleShipment(access, villageId, shipmentId);
    },
  );

  api.post(
    '/villages/:villageId/shipments/:shipmentId/picks',
    {
      schema: {
        tags: ['orders'],
        summary: 'Pick a lot from a room into the shipment (a pick movement)',
        description:
          'Needs `shipment.manage`. The lot must be the order’s product, inspected and conformant, available (a lot on hold or recalled is 409 `LUMBUNG_ERR_LOT_BLOCKED`), with enough shelf life left and enough in the room (409); the shipment must be preparing (409).',
        params: ShipmentParams,
        body: z.object({ lotId: LotCode, roomId: ScenarioSiteId, quantity: z.number().positive().max(1e9) }),
        response: { 200: ShipmentRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, shipmentId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'shipment.manage');
      return supply.pick(villageId, shipmentId, req.body, actorOf(principal));
    },
  );

  for (const step of [
    {
      action: 'dispatch',
      summary: 'Dispatch the shipment (preparing → dispatched)',
      description:
        'Needs `shipment.manage`. 409 if it is not preparing, is empty, or carries a lot put on hold or recalled since it was picked.',
    },
    {
      action: 'deliver',
      summary: 'Mark the shipment delivered (dispatched → delivered)',
      description: 'Needs `shipment.manage`. 409 if it was not dispatched.',
    },
  ] as const) {
    api.post(
      `/villages/:villageId/shipments/:shipmentId/${step.action}`,
      {
        schema: {
          tags: ['orders'],
          summary: step.summary,
          description: step.description,
          params: ShipmentParams,
          body: z.object({}).nullish(),
          response: { 200: ShipmentRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (req) => {
        const { villageId, shipmentId } = req.params;
        const { principal } = await villageAccess(req, registry, villageId, 'shipment.manage');
        return supply[step.action](villageId, shipmentId, actorOf(principal));
      },
    );
  }

  api.get(
    '/villages/:villageId/shipments/:shipmentId/dispatch-note.pdf',
    {
      schema: {
        tags: ['orders'],
        summary: 'The dispatch note (surat jalan) of the shipment, as PDF',
        description:
          'Needs `supply.read`; a buyer only for their own orders. `application/pdf`, as an attachment `surat-jalan-<id>.pdf`, in the language of `Accept-Language` (Bahasa Indonesia by default); times in the village’s time zone.',
        params: ShipmentParams,
        response: { 200: z.string().describe('application/pdf'), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { villageId, shipmentId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'supply.read');
      const shipment = await visibleShipment(access, villageId, shipmentId);
      const order = await supply.order(villageId, shipment.orderId);
      const lotIds = [...new Set(shipment.lines.map((l) => l.lotId))];
      const s = registry.supply;
      const [cooperative, lots, products, producers, inspections] = await Promise.all([
        s.getCooperative(villageId, order.cooperativeId),
        lotIds.length ? s.listLots(villageId, { ids: lotIds }) : [],
        s.listProducts(villageId),
        s.listProducers(villageId),
        lotIds.length ? s.listInspections(villageId, { lotIds }) : [],
      ]);
      const lotById = new Map(lots.map((l) => [l.id, l]));
      const productById = new Map(products.map((p) => [p.id, p]));
      const producerName = new Map(producers.map((p) => [p.id, p.name]));
      // The last inspection decides, as it does for picking.
      const lastResult = new Map(inspections.map((i) => [i.lotId, i.result]));
      const base = baseUrlOf(req, deps.publicUrl);
      const input: DispatchNoteInput = {
        shipment: {
          id: shipment.id,
          status: shipment.status,
          createdAt: shipment.createdAt,
          ...(shipment.dispatchedAt !== null ? { dispatchedAt: shipment.dispatchedAt } : {}),
          ...(shipment.destination !== null ? { destination: shipment.destination } : {}),
        },
        order: {
          id: order.id,
          buyerName: order.buyerName,
          productName: order.productName,
          quantity: order.quantity,
          unit: order.unit,
          dueDate: order.dueDate,
        },
        cooperative: { name: cooperative?.name ?? access.village.name },
        village: { name: access.village.name, timeZone: access.village.timeZone },
        lots: lotIds.map((lotId) => {
          const lot = lotById.get(lotId);
          const inspection = lastResult.get(lotId);
          return {
            lotId,
            productName: (lot && productById.get(lot.productId)?.name) ?? lot?.productId ?? '',
            producerName: (lot && producerName.get(lot.producerId)) ?? lot?.producerId ?? '',
            quantity: shipment.lines.filter((l) => l.lotId === lotId).reduce((sum, l) => sum + l.quantity, 0),
            unit: lot?.unit ?? order.unit,
            producedOn: lot?.producedOn ?? '',
            expiresOn: lot?.expiresOn ?? '',
            ...(inspection ? { inspection } : {}),
          };
        }),
        generatedAt: deps.now?.() ?? Date.now(),
        traceUrl: (lotId) => {
          const lot = lotById.get(lotId);
          const gtin = lot ? productById.get(lot.productId)?.gtin : null;
          return digitalLink({ baseUrl: base, villageId, lotId, gtin });
        },
      };
      return sendFile(reply, {
        contentType: 'application/pdf',
        filename: `surat-jalan-${shipment.id}.pdf`,
        body: await dispatchNotePdf(input, negotiateLanguage(req.headers['accept-language'])),
      });
    },
  );
}
