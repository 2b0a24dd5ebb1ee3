import { z } from 'zod';
import { VillageId } from './ids.ts';

/**
 * Environmental indicators and CSR reports over the API (issue 6). The indicator arithmetic, factors and
 * GRI mapping are in cloud/src/eco (docs/indicators.md).
 */

const EpochMs = z.number().int().describe('Epoch milliseconds, UTC');
const LocalDate = z.iso.date().describe('Local date in the village, YYYY-MM-DD');

export const ECO_RECORD_KINDS = {
  energy: ['grid', 'solar', 'generator'],
  fuel: ['diesel', 'gasoline', 'lpg'],
  water: ['groundwater', 'municipal', 'surface', 'rainwater'],
  waste: ['organic', 'plastic', 'other'],
} as const;
export const ECO_UNITS = { energy: 'kWh', fuel: 'L', water: 'm3', waste: 'kg' } as const;

/** A figure entered by hand (a fuel receipt, a weighed waste bag, a solar inverter's monthly total). */
export const EcoRecordInput = z
  .object({
    date: LocalDate,
    kind: z.enum(['energy', 'fuel', 'water', 'waste']),
    source: z.string().min(1).max(32),
    quantity: z.number().positive().max(1e9).describe('kWh, litres (LPG: kg), m³ or kg by kind'),
    note: z.string().trim().max(300).nullable().default(null),
  })
  .refine((r) => (ECO_RECORD_KINDS[r.kind] as readonly string[]).includes(r.source), {
    message: `source must fit the kind: ${Object.entries(ECO_RECORD_KINDS)
      .map(([k, v]) => `${k}: ${v.join('/')}`)
      .join('; ')}`,
    path: ['source'],
  });
export type EcoRecordInput = z.input<typeof EcoRecordInput>;
export const EcoRecord = z.object({
  id: z.string(),
  villageId: VillageId,
  date: LocalDate,
  kind: z.enum(['energy', 'fuel', 'water', 'waste']),
  source: z.string(),
  quantity: z.number(),
  note: z.string().nullable(),
  createdAt: EpochMs,
  createdBy: z.string(),
});
export type EcoRecord = z.infer<typeof EcoRecord>;

/** How a village's meters and figures map to indicator sources, and who the CSR partner is. */
export const EcoSettings = z.object({
  villageId: VillageId,
  gridRegion: z.string().min(1).max(64).describe('Grid of the emission factor, e.g. jamali'),
  meterSources: z
    .record(z.string(), z.string())
    .describe(
      'Meter site id → source: an energy meter → grid/solar/generator, a water meter → groundwater/municipal/surface/rainwater',
    ),
  csrPartnerName: z.string().max(120).nullable(),
  csrProgrammeName: z.string().max(200).nullable(),
});
export type EcoSettings = z.infer<typeof EcoSettings>;

export const IndicatorsQuery = z.object({
  from: LocalDate.describe('First local day'),
  to: LocalDate.describe('Day after the last (exclusive)'),
});

export const CsrReportRequest = z.object({
  from: LocalDate,
  to: LocalDate.describe('Exclusive'),
  villageIds: z.array(VillageId).max(50).optional().describe('More villages the caller may read, for a joint report'),
});

export const CsrReportSummary = z.object({
  id: z.string(),
  villageId: VillageId,
  villageIds: z.array(VillageId),
  from: LocalDate,
  to: LocalDate,
  generatedAt: EpochMs,
  trigger: z.enum(['schedule', 'manual']),
  generatedBy: z.string(),
  partnerName: z.string(),
  programmeName: z.string(),
  headline: z
    .array(
      z.object({ key: z.string(), value: z.number().nullable(), unit: z.string(), changePct: z.number().nullable() }),
    )
    .describe('A few indicators for the list view'),
});
export type CsrReportSummary = z.infer<typeof CsrReportSummary>;
