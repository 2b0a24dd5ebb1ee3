import {
  type Aggregation,
  DeviceHealth,
  DeviceId,
  LatestReading,
  ReadingsRequest,
  ReadingsResponse,
  ScenarioSiteId,
  SeriesQuery,
  SeriesRecord,
  tzOffsetMs,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors, VillageParams, villageAccess } from './common.ts';

const DAY = 86_400_000;

export async function telemetryRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry, telemetry } = deps;
  const now = deps.now ?? Date.now;

  api.get(
    '/villages/:villageId/series',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'Series (device × metric) of a village with their unit and newest timestamp',
        params: VillageParams,
        querystring: SeriesQuery,
        response: { 200: z.array(SeriesRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      return (await telemetry.series(req.params.villageId, req.query)).filter((x) => access.seeSite(x.siteId));
    },
  );

  api.get(
    '/villages/:villageId/readings',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'Readings of one series: raw without `step`, buckets with it (at most 10,000 points)',
        description:
          'Buckets of a day or longer start at local midnight of the village time zone. `points` rows are `[ts, value]` for raw readings and `[ts, agg1, agg2, …]` in the order of `aggs` for buckets; empty buckets are left out.',
        params: VillageParams,
        querystring: ReadingsRequest,
        response: { 200: ReadingsResponse, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      const village = access.village;
      const q = req.query;
      const device = await registry.getDevice(village.id, q.deviceId);
      if (!device || !access.seeSite(device.siteId))
        throw new ApiFailure('LUMBUNG_ERR_DEVICE_NOT_FOUND', { deviceId: q.deviceId });
      if (!deps.catalogue.has(q.metric)) throw new ApiFailure('LUMBUNG_ERR_METRIC_UNKNOWN', { metric: q.metric });
      const to = q.to ?? now();
      if (q.step !== undefined && q.step < 1000)
        throw new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: 'step must be at least 1s' });
      const aggs = (q.agg?.split(',') ?? ['avg']) as Aggregation[];
      // Daily and longer buckets follow the village's local day (STYLE.md "Units, time, names").
      const offset = q.step !== undefined && q.step % DAY === 0 ? -tzOffsetMs(village.timeZone, q.from) : 0;
      return telemetry.readings(
        village.id,
        { deviceId: q.deviceId, metric: q.metric, from: q.from, to, step: q.step, aggs: [...new Set(aggs)] },
        offset,
      );
    },
  );

  api.get(
    '/villages/:villageId/latest',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'The newest reading of every series of a village (optionally of one site or device)',
        params: VillageParams,
        querystring: z.object({ siteId: ScenarioSiteId.optional(), deviceId: DeviceId.optional() }),
        response: { 200: z.array(LatestReading), ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      return (await telemetry.latest(req.params.villageId, req.query)).filter((x) => access.seeSite(x.siteId));
    },
  );

  api.get(
    '/villages/:villageId/device-health',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'Device status: online/offline from the status topic and last seen, battery, signal',
        params: VillageParams,
        querystring: z.object({ deviceId: DeviceId.optional() }),
        response: { 200: z.array(DeviceHealth), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      const health = await telemetry.deviceHealth(req.params.villageId, req.query.deviceId);
      return health.filter((x) => access.seeSite(x.siteId));
    },
  );
}
