import { z } from 'zod';
import { VillageId } from './ids.ts';
import { ScenarioSiteId } from './scenario.ts';

/**
 * Precision agriculture over the API (issue 6): daily weather of a village's local day with FAO-56
 * reference evapotranspiration, and per plot the crop stage, water use, soil water, irrigation advice and
 * rice-blast risk. The science is in cloud/src/agro (docs/agronomy.md).
 */

const EpochMs = z.number().int().describe('Epoch milliseconds, UTC');
const LocalDate = z.iso.date().describe('Local date in the village, YYYY-MM-DD');
const Localized = z.object({ id: z.string(), en: z.string() });

/** One local day of the village's weather station with FAO-56 ET0 (Eq. 6) and its intermediates. */
export const AgroWeatherDay = z.object({
  date: LocalDate,
  tmax: z.number().nullable().describe('°C'),
  tmin: z.number().nullable(),
  rhmax: z.number().nullable().describe('%'),
  rhmin: z.number().nullable(),
  windSpeed: z.number().nullable().describe('m/s at the sensor height, daily mean'),
  solarRadiation: z.number().nullable().describe('Rs, MJ m⁻² day⁻¹ (from the W/m² mean)'),
  rainfall: z.number().nullable().describe('mm'),
  coverage: z.number().min(0).max(1).describe('Share of the day the station reported'),
  et0: z.number().nullable().describe('mm/day; null when the day has too little data'),
  method: z.string().describe('Which FAO-56 procedures were used (missing data etc.)'),
  intermediates: z
    .record(z.string(), z.number())
    .describe('pressure, gamma, es, ea, delta, ra, N, rs, rso, rns, rnl, rn, g, u2'),
});
export type AgroWeatherDay = z.infer<typeof AgroWeatherDay>;

export const AgroWeatherQuery = z.object({
  from: LocalDate.optional().describe('Default: 14 days ago'),
  to: LocalDate.optional().describe('Inclusive; default today'),
});

export const IrrigationInput = z.object({
  date: LocalDate,
  mm: z.number().positive().max(300).describe('Net depth applied, mm'),
  note: z.string().trim().max(300).nullable().default(null),
});
export const IrrigationRecord = IrrigationInput.extend({
  id: z.string(),
  villageId: VillageId,
  siteId: ScenarioSiteId,
  createdAt: EpochMs,
  createdBy: z.string(),
});
export type IrrigationRecord = z.infer<typeof IrrigationRecord>;

export const BLAST_LEVELS = ['high', 'moderate', 'low', 'unknown'] as const;

/** What a farmer needs today about one plot. */
export const PlotAdvice = z.object({
  villageId: VillageId,
  siteId: ScenarioSiteId,
  plotName: z.string(),
  crop: z.string(),
  date: LocalDate.describe('Today in the village'),
  plantingDate: LocalDate,
  daysAfterPlanting: z.number().int(),
  stage: z.object({ id: z.string(), label: Localized }),
  gdd: z.number().nullable().describe('Growing degree days since planting, °C·day'),
  kc: z.number(),
  et0Today: z.number().nullable().describe('mm, today so far or yesterday when today has too little data'),
  etcToday: z.number().nullable().describe('Crop water use, mm'),
  water: z.discriminatedUnion('model', [
    z.object({
      model: z.literal('soil'),
      taw: z.number(),
      raw: z.number(),
      depletion: z.number().describe('Root-zone depletion Dr, mm'),
      ks: z.number(),
      correctedByProbe: z.boolean().describe('Reset from the soil-moisture probe of the plot'),
    }),
    z.object({
      model: z.literal('paddy'),
      pondingMm: z.number().describe('Water standing on the field, mm'),
      targetMinMm: z.number(),
      targetMaxMm: z.number(),
    }),
  ]),
  irrigation: z.object({
    action: z.enum(['now', 'tomorrow', 'later', 'none']),
    mm: z.number().describe('Net depth to apply, mm'),
    message: Localized,
  }),
  blast: z
    .object({
      level: z.enum(BLAST_LEVELS),
      label: Localized,
      reasons: z.array(Localized),
    })
    .nullable()
    .describe('Rice only'),
  heatIndex: z.number().nullable().describe('°C, NWS, at the latest reading'),
  dewPoint: z.number().nullable().describe('°C, Magnus'),
  explanation: Localized.describe('Two or three short sentences for the farmer'),
  recentIrrigation: z.array(IrrigationRecord),
});
export type PlotAdvice = z.infer<typeof PlotAdvice>;
