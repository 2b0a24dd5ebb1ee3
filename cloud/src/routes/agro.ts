import {
  AgroWeatherDay,
  AgroWeatherQuery,
  IrrigationInput,
  IrrigationRecord,
  PlotAdvice,
  ScenarioSiteId,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AgroService } from '../agro/service.ts';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors, type VillageAccess, VillageParams, villageAccess } from './common.ts';

const PlotParams = VillageParams.extend({ siteId: ScenarioSiteId });

/** A plot the caller may not see is "not found", exactly like one that does not exist (a farmer: own plots). */
function requirePlotVisible(access: VillageAccess, siteId: string): void {
  if (!access.seeSite(siteId)) throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId });
}

/** Precision agriculture (issue 6): the station's daily weather with ET0, plot advice, irrigation records. */
export async function agroRoutes(api: Api, deps: AppDeps, agro: AgroService): Promise<void> {
  const { registry } = deps;

  api.get(
    '/villages/:villageId/agro/weather',
    {
      schema: {
        tags: ['agro'],
        summary: 'Daily weather of the village station with FAO-56 reference evapotranspiration (ET0)',
        description:
          'Needs `telemetry.read` and sight of the weather station. One row per local day (midnight to midnight in the village time zone) from `from` to `to` (default the last 14 days; at most 366; days after today are left out): Tmax/Tmin, RHmax/RHmin, mean wind at the sensor height, Rs (mean W/m² × 0.0864), rain, the share of the day the station reported, and ET0 by FAO-56 Eq. 6 with its intermediates and the missing-data procedures used (`method`). A day whose air temperature covers less than 80 % of it, and today, have no ET0.',
        params: VillageParams,
        querystring: AgroWeatherQuery,
        response: { 200: z.array(AgroWeatherDay), ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      const stations = await registry.listSites(access.village.id, { kind: 'weather' });
      if (stations.length > 0 && !stations.some((s) => access.seeSite(s.id)))
        throw new ApiFailure('LUMBUNG_ERR_FORBIDDEN');
      return agro.weather(access.village, req.query.from, req.query.to);
    },
  );

  api.get(
    '/villages/:villageId/agro/advice',
    {
      schema: {
        tags: ['agro'],
        summary: 'Advice for every plot the caller may see (a farmer: own plots)',
        description:
          'Needs `telemetry.read`. Per plot: crop stage and degree-days, today’s ET0 and crop water use, the soil water balance (or the ponding of a flooded paddy), irrigation advice, rice blast risk, heat index, dew point and a short explanation in Bahasa Indonesia and English (docs/agronomy.md).',
        params: VillageParams,
        response: { 200: z.array(PlotAdvice), ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      const plots = (await registry.listSites(access.village.id, { kind: 'plot' })).filter((s) => access.seeSite(s.id));
      return agro.adviceFor(access.village, plots);
    },
  );

  api.get(
    '/villages/:villageId/plots/:siteId/advice',
    {
      schema: {
        tags: ['agro'],
        summary: 'Advice for one plot: water, irrigation, stage, blast risk, heat',
        description:
          'Needs `telemetry.read` and sight of the plot (a farmer: own plots; any other plot answers 404 as if it did not exist).',
        params: PlotParams,
        response: { 200: PlotAdvice, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      requirePlotVisible(access, req.params.siteId);
      return agro.advice(access.village, req.params.siteId);
    },
  );

  api.get(
    '/villages/:villageId/plots/:siteId/irrigation',
    {
      schema: {
        tags: ['agro'],
        summary: 'Irrigation recorded on a plot, oldest first',
        description: 'Needs `telemetry.read` and sight of the plot.',
        params: PlotParams,
        response: { 200: z.array(IrrigationRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'telemetry.read');
      requirePlotVisible(access, req.params.siteId);
      return agro.irrigation(access.village.id, req.params.siteId);
    },
  );

  api.post(
    '/villages/:villageId/plots/:siteId/irrigation',
    {
      schema: {
        tags: ['agro'],
        summary: 'Record irrigation applied to a plot (net mm on a local date)',
        description:
          'Needs `plot.record` and sight of the plot (a farmer: own plots). The date may not be after today in the village; the depth is the net depth that soaked in, 0–300 mm. The next advice counts it in the water balance.',
        params: PlotParams,
        body: IrrigationInput,
        response: { 201: IrrigationRecord, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'plot.record');
      requirePlotVisible(access, req.params.siteId);
      const record = await agro.recordIrrigation(
        access.village,
        req.params.siteId,
        req.body,
        access.principal.username,
      );
      return reply.code(201).send(record);
    },
  );
}
