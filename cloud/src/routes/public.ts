import { LotCode, PublicLotView, VillageId } from '@lumbung/schemas';
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { normalizeGtin } from '../supply/digital-link.ts';
import type { SupplyService } from '../supply/service.ts';
import { type Api, baseUrlOf, errors } from './common.ts';

const PublicLotParams = z.object({ villageId: VillageId, lotId: LotCode });

/** The dashboard's public trace page of a lot (dashboards/src/route.ts); a hash route, so any static host serves it. */
export const tracePage = (villageId: string, lotId: string): string =>
  `/#/trace/${encodeURIComponent(villageId)}/${encodeURIComponent(lotId)}`;

/**
 * What a shopper who scanned a pack may see of its lot, without signing in: only what the lot's cooperative
 * chose to publish (PublishSettings). Under /api/v1.
 */
export async function publicApiRoutes(api: Api, deps: AppDeps, supply: SupplyService): Promise<void> {
  api.get(
    '/public/lots/:villageId/:lotId',
    {
      schema: {
        tags: ['public'],
        summary: 'The public trace view of a lot: product, cooperative, and what the cooperative publishes',
        description:
          'No sign-in. Producer name, story, photo and village, production date, storage conditions and the inspection result appear only when the cooperative publishes them. An unknown lot (or village) is 404 `LUMBUNG_ERR_LOT_NOT_FOUND`.',
        params: PublicLotParams,
        response: { 200: PublicLotView, ...errors(400, 404, 429) },
      },
    },
    async (req) => supply.publicLot(req.params.villageId, req.params.lotId, baseUrlOf(req, deps.publicUrl)),
  );
}

/**
 * The URIs printed in the lots' QR codes (cloud/src/supply/digital-link.ts), at the root of the site, not
 * under /api/v1: `/lot/:villageId/:lotId` (products without a GTIN) and the GS1 Digital Link
 * `/01/:gtin/10/:lot` (GS1 Digital Link URI Syntax 1.2 lets any domain resolve it). Both redirect (302)
 * to the dashboard's trace page; query parameters (GS1 link types, other AIs) are ignored. Not in the
 * OpenAPI document: they answer a phone's browser, not an API client.
 */
export async function digitalLinkRoutes(app: App, deps: AppDeps, supply: SupplyService): Promise<void> {
  app.get(
    '/lot/:villageId/:lotId',
    {
      schema: {
        hide: true,
        params: PublicLotParams,
        response: { 302: z.null().describe('Location: /#/trace/:villageId/:lotId'), ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const { villageId, lotId } = req.params;
      // Unknown lots get the same answer as the public API, so a mistyped link says so at once.
      if (!(await deps.registry.supply.getLot(villageId, lotId)))
        throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId });
      return reply.redirect(tracePage(villageId, lotId), 302);
    },
  );

  app.get(
    '/01/:gtin/10/:lot',
    {
      schema: {
        hide: true,
        params: z.object({
          gtin: z.string().regex(/^(\d{8}|\d{12}|\d{13}|\d{14})$/, 'GTIN of 8, 12, 13 or 14 digits'),
          lot: LotCode,
        }),
        response: { 302: z.null().describe('Location: /#/trace/:villageId/:lotId'), ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      let gtin14: string;
      try {
        gtin14 = normalizeGtin(req.params.gtin);
      } catch (err) {
        throw new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: (err as Error).message });
      }
      const found = await supply.resolveGtin(gtin14, req.params.lot);
      if (!found) throw new ApiFailure('LUMBUNG_ERR_LOT_NOT_FOUND', { lotId: req.params.lot });
      return reply.redirect(tracePage(found.villageId, found.lotId), 302);
    },
  );
}
