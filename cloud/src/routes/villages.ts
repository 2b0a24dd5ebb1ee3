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
import { requirePrincipal } from './auth.ts';
import { type Api, errors, type VillageAccess, VillageParams, villageAccess } from './common.ts';

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

  /** A village with its counts, as far as the caller sees it. */
  const summary = async (access: VillageAccess) => {
    const villageId = access.village.id;
    const [sites, health, openAlerts] = await Promise.all([
      registry.listSites(villageId),
      telemetry.deviceHealth(villageId),
      access.visible === 'all'
        ? registry.countOpenAlerts(villageId)
        : registry
            .listAlerts(villageId, { status: ['open'], limit: 1000 })
            .then((a) => a.filter((x) => access.seeSite(x.siteId)).length),
    ]);
    const mine = health.filter((h) => access.seeSite(h.siteId));
    return {
      ...access.village,
      sites: sites.filter((x) => access.seeSite(x.id)).length,
      devices: mine.length,
      devicesOnline: mine.filter((h) => h.state === 'online').length,
      openAlerts,
    };
  };

  api.get(
    '/villages',
    {
      schema: {
        tags: ['registry'],
        summary: 'Villages (desa/kelurahan) with counts of sites, devices, devices online and open alerts',
        response: { 200: z.array(VillageSummary), ...errors(401) },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const all = await registry.listVillages();
      const mine = new Set(p.villages(all.map((v) => v.id)));
      const out = [];
      for (const v of all)
        if (mine.has(v.id) && p.can('village.read', v.id))
          out.push(await summary(await villageAccess(req, registry, v.id, 'village.read')));
      return out;
    },
  );

  api.get(
    '/villages/:villageId',
    {
      schema: {
        tags: ['registry'],
        summary: 'One village with its counts',
        params: VillageParams,
        response: { 200: VillageSummary, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => summary(await villageAccess(req, registry, req.params.villageId, 'village.read')),
  );

  api.get(
    '/villages/:villageId/sites',
    {
      schema: {
        tags: ['registry'],
        summary: 'Sites of a village: plots, storage rooms, meter points, weather stations, packing houses',
        params: VillageParams,
        querystring: z.object({ kind: SiteKindName.optional() }),
        response: { 200: z.array(SiteRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'village.read');
      const sites = await registry.listSites(req.params.villageId, req.query.kind ? { kind: req.query.kind } : {});
      return sites.filter((x) => access.seeSite(x.id));
    },
  );

  api.get(
    '/villages/:villageId/sites/:siteId',
    {
      schema: {
        tags: ['registry'],
        summary: 'One site',
        params: VillageParams.extend({ siteId: ScenarioSiteId }),
        response: { 200: SiteRecord, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'village.read');
      const site = await registry.getSite(req.params.villageId, req.params.siteId);
      if (!site || !access.seeSite(site.id))
        throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId: req.params.siteId });
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
        response: { 200: z.array(DeviceRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'village.read');
      const devices = await registry.listDevices(
        req.params.villageId,
        req.query.siteId ? { siteId: req.query.siteId } : {},
      );
      return devices.filter((d) => access.seeSite(d.siteId));
    },
  );
}
