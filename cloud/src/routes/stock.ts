import {
  Id,
  LotCode,
  MovementRecord,
  NewMovement,
  PickSuggestion,
  ScenarioSiteId,
  StockLine,
  StockWarnings,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import type { SupplyService } from '../supply/service.ts';
import { type Api, errors, VillageParams, villageAccess } from './common.ts';
import { actorOf, buyerOnly } from './supply.ts';

/**
 * The packing house's stock (issue 5): what is in which storage room (the village's `storage_room` sites),
 * FEFO order, expiry and storage-exposure warnings, movements, and a FEFO pick list. Buyers get none of it:
 * stock is the cooperative's own business, not part of a buyer's orders.
 */
export async function stockRoutes(api: Api, deps: AppDeps, supply: SupplyService): Promise<void> {
  const { registry } = deps;

  /** Reads of stock: `supply.read`, but not for a caller who reads the supply chain only as a buyer. */
  const stockReader = async (req: Parameters<typeof villageAccess>[0], villageId: string) => {
    const access = await villageAccess(req, registry, villageId, 'supply.read');
    if (buyerOnly(access.principal, villageId)) throw new ApiFailure('LUMBUNG_ERR_FORBIDDEN');
    return access;
  };

  api.get(
    '/villages/:villageId/stock',
    {
      schema: {
        tags: ['stock'],
        summary: 'Stock on hand by lot and room, earliest expiry first (FEFO)',
        description: 'Needs `supply.read` (not for buyers).',
        params: VillageParams,
        querystring: z.object({ roomId: ScenarioSiteId.optional(), productId: Id.optional() }),
        response: { 200: z.array(StockLine), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await stockReader(req, villageId);
      return supply.stock(villageId, {
        ...(req.query.roomId ? { roomId: req.query.roomId } : {}),
        ...(req.query.productId ? { productId: req.query.productId } : {}),
      });
    },
  );

  api.get(
    '/villages/:villageId/stock/warnings',
    {
      schema: {
        tags: ['stock'],
        summary:
          'Stock that expires within `days` (or has expired), and lots whose storage exposure asks for an inspection',
        description: 'Needs `supply.read` (not for buyers).',
        params: VillageParams,
        querystring: z.object({ days: z.coerce.number().int().min(0).max(3650).default(7) }),
        response: {
          200: StockWarnings,
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await stockReader(req, villageId);
      return supply.warnings(villageId, req.query.days);
    },
  );

  api.post(
    '/villages/:villageId/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'Record a stock movement: receive, move between rooms, adjust, dispose',
        description:
          'Needs `stock.manage`. receive: into `toRoomId`; move: `fromRoomId` → `toRoomId`; dispose: out of `fromRoomId`; adjust: a signed correction in `toRoomId`. adjust and dispose need a reason. Taking more than a room holds is 409 `LUMBUNG_ERR_INSUFFICIENT_STOCK`. Picks for a shipment go through `POST /shipments/:shipmentId/picks`, which also checks the lot’s inspection.',
        params: VillageParams,
        body: NewMovement,
        response: { 201: MovementRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'stock.manage');
      return reply.code(201).send(await supply.recordMovement(villageId, req.body, actorOf(principal)));
    },
  );

  api.get(
    '/villages/:villageId/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'Stock movements, oldest first',
        description: 'Needs `supply.read` (not for buyers).',
        params: VillageParams,
        querystring: z.object({ lotId: LotCode.optional() }),
        response: { 200: z.array(MovementRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await stockReader(req, villageId);
      return supply.movements(villageId, req.query.lotId ? { lotId: req.query.lotId } : {});
    },
  );

  api.get(
    '/villages/:villageId/stock/pick-suggestions',
    {
      schema: {
        tags: ['stock'],
        summary: 'What to pick for a quantity of a product, first-expired-first-out',
        description:
          'Needs `supply.read` (not for buyers). Only available lots with at least the product’s minimum remaining shelf life; `short` is what the stock cannot cover.',
        params: VillageParams,
        querystring: z.object({
          productId: Id,
          quantity: z.coerce.number().positive().max(1e9),
        }),
        response: { 200: PickSuggestion, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await stockReader(req, villageId);
      return supply.pickSuggestions(villageId, req.query.productId, req.query.quantity);
    },
  );
}
