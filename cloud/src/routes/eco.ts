import {
  CsrReportRequest,
  CsrReportSummary,
  EcoRecord,
  EcoRecordInput,
  EcoRecordsQuery,
  EcoSettings,
  EcoSettingsInput,
  Id,
  IndicatorsQuery,
  IndicatorsView,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { EcoService } from '../eco/service.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors, sendFile, VillageParams, villageAccess } from './common.ts';

const ReportParams = VillageParams.extend({ reportId: Id });

/**
 * Environmental indicators, the figures entered by hand, the village's indicator settings and CSR reports
 * (issue 6). `EcoService` gathers and computes; these routes decide who may ask (docs/permissions.md):
 * `indicator.read` (CSR partners, admins) reads and makes reports, `indicator.record` (packing-house staff,
 * admins) enters figures and settings.
 */
export async function ecoRoutes(api: Api, deps: AppDeps, eco: EcoService): Promise<void> {
  const { registry } = deps;

  api.get(
    '/villages/:villageId/indicators',
    {
      schema: {
        tags: ['eco'],
        summary: 'Environmental indicators over a period, mapped to GRI, with their method and factors',
        description:
          'Needs `indicator.read`. `from` inclusive, `to` exclusive, local dates (at most 1,098 days). Energy and water from the meter points (daily `increase` of their counters, summed) and the figures entered by hand, production and programme outputs from the supply chain; docs/indicators.md. A value that cannot be computed is null with a `reason`.',
        params: VillageParams,
        querystring: IndicatorsQuery,
        response: { 200: IndicatorsView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'indicator.read');
      return eco.indicators([villageId], req.query.from, req.query.to);
    },
  );

  api.get(
    '/villages/:villageId/eco/records',
    {
      schema: {
        tags: ['eco'],
        summary: 'Figures entered by hand (fuel, waste, unmetered energy and water), oldest first',
        description: 'Needs `indicator.read`. `from` inclusive, `to` exclusive, local dates.',
        params: VillageParams,
        querystring: EcoRecordsQuery,
        response: { 200: z.array(EcoRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'indicator.read');
      return eco.listRecords(villageId, {
        ...(req.query.from ? { from: req.query.from } : {}),
        ...(req.query.to ? { to: req.query.to } : {}),
      });
    },
  );

  api.post(
    '/villages/:villageId/eco/records',
    {
      schema: {
        tags: ['eco'],
        summary: 'Enter a figure: a fuel receipt, a weighed waste bag, a solar inverter’s monthly kWh',
        description:
          'Needs `indicator.record`. Units by kind: energy kWh (grid/solar/generator), fuel litres (LPG: kg; diesel/gasoline/lpg), water m³ (groundwater/municipal/surface/rainwater), waste kg (organic/plastic/other). The date may not be in the future.',
        params: VillageParams,
        body: EcoRecordInput,
        response: { 201: EcoRecord, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'indicator.record');
      const record = await eco.addRecord(villageId, req.body, access.principal.username);
      return reply.code(201).send(record);
    },
  );

  api.get(
    '/villages/:villageId/eco/settings',
    {
      schema: {
        tags: ['eco'],
        summary: 'Indicator settings: grid region, what each meter measures as a source, the CSR partner',
        description:
          'Needs `indicator.read`. Before any are saved: the defaults (grid region from the province, energy meters → PLN grid, water meters → PDAM).',
        params: VillageParams,
        response: { 200: EcoSettings, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'indicator.read');
      return eco.settings(villageId);
    },
  );

  api.put(
    '/villages/:villageId/eco/settings',
    {
      schema: {
        tags: ['eco'],
        summary: 'Replace the indicator settings',
        description:
          'Needs `indicator.record`. `meterSources` keys are the village’s meter points; an energy meter’s source is grid/solar/generator, a water meter’s groundwater/municipal/surface/rainwater. With `csrPartnerName` set, a report of each month is made on the 2nd (local time).',
        params: VillageParams,
        body: EcoSettingsInput,
        response: { 200: EcoSettings, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'indicator.record');
      return eco.putSettings(villageId, req.body);
    },
  );

  api.get(
    '/villages/:villageId/csr/reports',
    {
      schema: {
        tags: ['eco'],
        summary: 'CSR reports of the village, newest first, with a few headline figures each',
        description: 'Needs `indicator.read`.',
        params: VillageParams,
        response: { 200: z.array(CsrReportSummary), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'indicator.read');
      return eco.listReports(villageId);
    },
  );

  api.post(
    '/villages/:villageId/csr/reports',
    {
      schema: {
        tags: ['eco'],
        summary: 'Make a CSR report of a period, against the previous period of the same length',
        description:
          'Needs `indicator.read` here and in each of `villageIds` (a joint report; a village the caller may not read answers 404). The previous period has as many calendar months when both dates are the 1st, else as many days. One report per village, period and trigger: a second is 409.',
        params: VillageParams,
        body: CsrReportRequest,
        response: { 201: CsrReportSummary, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const access = await villageAccess(req, registry, villageId, 'indicator.read');
      const p = access.principal;
      for (const other of req.body.villageIds ?? []) {
        // Another village's figures are as secret as the village itself: no role there that reads them is 404.
        if (other === villageId) continue;
        if (!p.can('indicator.read', other) || !(await registry.getVillage(other)))
          throw new ApiFailure('LUMBUNG_ERR_VILLAGE_NOT_FOUND', { villageId: other });
      }
      const summary = await eco.createReport(villageId, req.body, { trigger: 'manual', by: p.username });
      return reply.code(201).send(summary);
    },
  );

  for (const format of ['pdf', 'csv'] as const) {
    api.get(
      `/villages/:villageId/csr/reports/:reportId/report.${format}`,
      {
        schema: {
          tags: ['eco'],
          summary:
            format === 'pdf'
              ? 'A CSR report as PDF: indicators with their trend, monthly charts, programme outputs, method notes'
              : 'A CSR report as CSV: one row per indicator (RFC 4180, UTF-8)',
          description:
            format === 'pdf'
              ? 'Needs `indicator.read`. `application/pdf`, an attachment `laporan-csr-<village>-<first day>-<last day>.pdf`, in the language of `Accept-Language` (Bahasa Indonesia by default), rendered from the figures stored with the report.'
              : 'Needs `indicator.read`. `text/csv; charset=utf-8`, an attachment `laporan-csr-<village>-<first day>-<last day>.csv`; labels in both languages.',
          params: ReportParams,
          response: {
            200: z.string().describe(format === 'pdf' ? 'application/pdf' : 'text/csv'),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (req, reply) => {
        const { villageId, reportId } = req.params;
        await villageAccess(req, registry, villageId, 'indicator.read');
        return sendFile(reply, await eco.renderReport(villageId, reportId, format, req.lang));
      },
    );
  }
}
