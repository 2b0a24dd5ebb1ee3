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

/** The body of `PUT /villages/:villageId/eco/settings`: the settings without the village, which is the path's. */
export const EcoSettingsInput = EcoSettings.omit({ villageId: true });
export type EcoSettingsInput = z.input<typeof EcoSettingsInput>;

export const EcoRecordsQuery = z.object({
  from: LocalDate.optional().describe('First local day (inclusive)'),
  to: LocalDate.optional().describe('Day after the last (exclusive)'),
});

const Text2 = z.object({ id: z.string().describe('Bahasa Indonesia'), en: z.string().describe('English') });

/** An emission factor as the indicators name it (cloud/src/eco/factors.ts), with its source. */
export const EmissionFactorView = z.object({
  id: z.string(),
  kind: z.enum(['grid', 'fuel']),
  region: z.string().optional(),
  year: z.number().int().optional(),
  fuel: z.enum(['diesel', 'gasoline', 'lpg']).optional(),
  value: z.number().describe('kg CO2e per unit for fuels; t CO2/MWh for grids'),
  unit: z.string(),
  source: z.string(),
  url: z.string().optional(),
  verified: z.boolean().describe('False: not checked against its publication, an assumption'),
  derivation: z.array(z.string()).optional(),
  energyMjPerUnit: z.number().optional(),
});

export const INDICATOR_GROUPS = [
  'energy',
  'fuel',
  'water',
  'emissions',
  'climate',
  'materials',
  'waste',
  'programme',
] as const;
export const INDICATOR_FLAGS = [
  'estimate',
  'upper_bound',
  'lower_bound',
  'conservative',
  'unverified_factor',
  'fallback_factor',
  'informational',
] as const;

export const IndicatorView = z.object({
  key: z.string().describe('e.g. energy.total.kwh (docs/indicators.md)'),
  group: z.enum(INDICATOR_GROUPS),
  value: z.number().nullable().describe('null when it cannot be computed: see `reason`'),
  unit: z.string(),
  decimals: z.number().int().describe('Decimals to show; the value itself is not rounded'),
  gri: z.array(z.string()).describe('GRI disclosures, e.g. 302-1'),
  labelId: z.string(),
  labelEn: z.string(),
  method: z.string().describe('How it was computed, with the factor ids used (English)'),
  methodId: z.string().describe('The same in Bahasa Indonesia'),
  reason: Text2.optional().describe('Why the value is null, or what limits it'),
  flags: z.array(z.enum(INDICATOR_FLAGS)),
  factorIds: z.array(z.string()),
});

/** `GET /villages/:villageId/indicators`: `computeIndicators` (cloud/src/eco/indicators.ts) over the period. */
export const IndicatorsView = z.object({
  period: z.object({ from: LocalDate, to: LocalDate.describe('Exclusive') }),
  villages: z.array(z.object({ id: VillageId, name: z.string(), gridRegion: z.string() })),
  items: z.array(IndicatorView),
  factorsUsed: z.array(z.object({ factor: EmissionFactorView, usedFor: z.array(z.string()), note: z.string() })),
  notes: z.array(Text2).describe('Assumptions and data gaps that apply to the whole set'),
});
export type IndicatorsView = z.infer<typeof IndicatorsView>;
