import {
  ApiHealth,
  DeviceRecord,
  MetricDefinition,
  ScenarioSiteId,
  SiteKindName,
  SiteRecord,
  VillageSummary,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors, requireVillage, VillageParams } from './common.ts';

export async function villageRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry, store, telemetry } = deps;
  const startedAt = deps.startedAt ?? Date.now();

  api.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Health of the API, its database and its time-series store',
        response: { 200: ApiHealth, 503: ApiHealth, ...errors() },
      },
    },
    async (_req, reply) => {
      const [db, ts] = await Promise.all([
        registry.ping().catch(() => false),
        store.listSeries({ villageId: '\u0000' }).then(
          () => true,
          () => false,
        ),
      ]);
      const body = {
        status: db && ts ? ('ok' as const) : ('degraded' as const),
        version: deps.version,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        database: { provider: registry.provider, ok: db },
        timeSeries: { store: store.name, ok: ts },
      };
      return reply.code(db && ts ? 200 : 503).send(body);
    },
  );

  api.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'The metric catalogue: names, canonical units, kinds, labels in id/en',
        response: { 200: z.array(MetricDefinition), ...errors() },
      },
    },
    async () => deps.catalogue.list(),
  );

  const summary = async (villageId: string) => {
    const village = await requireVillage(registry, villageId);
    const [sites, health, openAlerts] = await Promise.all([
      registry.listSites(villageId),
      telemetry.deviceHealth(villageId),
      registry.countOpenAlerts(villageId),
    ]);
    return {
      ...village,
      sites: sites.length,
      devices: health.length,
      devicesOnline: health.filter((h) => h.state === 'online').length,
      openAlerts,
    };
  };

  api.get(
    '/villages',
    {
      schema: {
        tags: ['registry'],
        summary: 'Villages (desa/kelurahan) with counts of sites, devices, devices online and open alerts',
        response: { 200: z.array(VillageSummary), ...errors() },
      },
    },
    async () => Promise.all((await registry.listVillages()).map((v) => summary(v.id))),
  );

  api.get(
    '/villages/:villageId',
    {
      schema: {
        tags: ['registry'],
        summary: 'One village with its counts',
        params: VillageParams,
        response: { 200: VillageSummary, ...errors(400, 404) },
      },
    },
    async (req) => summary(req.params.villageId),
  );

  api.get(
    '/villages/:villageId/sites',
    {
      schema: {
        tags: ['registry'],
        summary: 'Sites of a village: plots, storage rooms, meter points, weather stations, packing houses',
        params: VillageParams,
        querystring: z.object({ kind: SiteKindName.optional() }),
        response: { 200: z.array(SiteRecord), ...errors(400, 404) },
      },
    },
    async (req) => {
      await requireVillage(registry, req.params.villageId);
      return registry.listSites(req.params.villageId, req.query.kind ? { kind: req.query.kind } : {});
    },
  );

  api.get(
    '/villages/:villageId/sites/:siteId',
    {
      schema: {
        tags: ['registry'],
        summary: 'One site',
        params: VillageParams.extend({ siteId: ScenarioSiteId }),
        response: { 200: SiteRecord, ...errors(400, 404) },
      },
    },
    async (req) => {
      await requireVillage(registry, req.params.villageId);
      const site = await registry.getSite(req.params.villageId, req.params.siteId);
      if (!site) throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId: req.params.siteId });
      return site;
    },
  );

  api.get(
    '/villages/:villageId/devices',
    {
      schema: {
        tags: ['registry'],
        summary: 'Devices of a village (never their secrets)',
        params: VillageParams,
        querystring: z.object({ siteId: ScenarioSiteId.optional() }),
        response: { 200: z.array(DeviceRecord), ...errors(400, 404) },
      },
    },
    async (req) => {
      await requireVillage(registry, req.params.villageId);
      return registry.listDevices(req.params.villageId, req.query.siteId ? { siteId: req.query.siteId } : {});
    },
  );
}
